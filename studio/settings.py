"""Settings, read once at the edge (environment variables ``STUDIO_*`` and CLI flags)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.brand import SAMPLE_BRAND_DIR
from knowledge.embeddings import BUNDLED_EMBEDDINGS
from knowledge.errors import StudioError
from knowledge.rulebook import RULEBOOK_DIR


class Settings(BaseSettings):
    """Every knob of the studio; defaults run the bundled sample brand offline."""

    model_config = SettingsConfigDict(env_prefix="STUDIO_", extra="ignore")

    home: Path = Field(
        default=Path.home() / ".content-studio",
        description="folder for the index, model cache and database",
    )
    llm: str = Field(default="smollm2", description="smollm2 | hf:<model id or path>")
    embeddings: str = BUNDLED_EMBEDDINGS
    brand_dir: Path = SAMPLE_BRAND_DIR
    rulebook_dir: Path = RULEBOOK_DIR
    index_dir: Path | None = None
    model_cache: Path | None = None
    db_path: Path | None = None
    users_file: Path | None = Field(
        default=None, description="YAML of UI users and roles (default HOME/users.yaml)"
    )
    compliance_layer: Literal["rules", "classifier", "similarity"] = Field(
        default="classifier",
        description="rules only, or rules plus the trained classifier / exemplar similarity "
        "(adds paraphrase findings; see eval/golden/REPORT_compliance.md for the trade-off)",
    )
    max_revisions: int = Field(default=1, ge=0, le=10)
    n_candidates: int = Field(default=2, ge=1, le=8)
    temperature: float = Field(default=0.5, ge=0.0, le=2.0)
    seed: int = 0
    examples_k: int = Field(default=3, ge=0, le=8)
    performance_weight: float = Field(default=0.35, ge=0.0, le=1.0)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        values = {k: v for k, v in overrides.items() if v is not None}
        try:
            return cls(**values)  # type: ignore[arg-type]
        except ValidationError as exc:
            error = exc.errors()[0]
            name = "STUDIO_" + "_".join(str(part) for part in error["loc"]).upper()
            raise StudioError(f"setting {name}: {error['msg']}") from None

    @property
    def index_path(self) -> Path:
        return self.index_dir or self.home / "index"

    @property
    def model_cache_path(self) -> Path:
        return self.model_cache or self.home / "models"

    @property
    def database_path(self) -> Path:
        return self.db_path or self.home / "studio.sqlite"

    @property
    def users_path(self) -> Path:
        return self.users_file or self.home / "users.yaml"

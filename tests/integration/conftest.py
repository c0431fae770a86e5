"""Integration fixtures: the real bundled LLM, embeddings and a FAISS index built once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from studio.service import Studio
from studio.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
# The converted SmolLM2 is cached across test sessions (it takes ~20 s to de-quantise).
MODEL_CACHE = Path(os.environ.get("STUDIO_MODEL_CACHE", ROOT / ".studio" / "models"))

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def studio_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("studio-home")


@pytest.fixture(scope="session")
def settings(studio_home: Path) -> Settings:
    return Settings(home=studio_home, model_cache=MODEL_CACHE, max_revisions=1, n_candidates=2)


@pytest.fixture(scope="session")
def studio(settings: Settings) -> Studio:
    instance = Studio(settings)
    instance.build_index(progress=False)
    return instance


@pytest.fixture(scope="session")
def cli_env(settings: Settings, studio: Studio) -> dict[str, str]:
    return {
        **os.environ,
        "STUDIO_HOME": str(settings.home),
        "STUDIO_MODEL_CACHE": str(MODEL_CACHE),
        "STUDIO_MAX_REVISIONS": "1",
        "STUDIO_N_CANDIDATES": "2",
    }

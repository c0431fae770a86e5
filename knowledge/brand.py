"""Load and validate a brand folder: products, personas, channels, guidelines, past copy."""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from knowledge.errors import BrandDataError, ProductFileError, yaml_problem

SAMPLE_BRAND_DIR = Path(__file__).parent / "sample_brand"
Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")
MAX_PRODUCT_FILE_BYTES = 256_000


class Bilingual(BaseModel):
    en: str = ""
    zh: str = ""

    def get(self, language: str) -> str:
        return getattr(self, language, "") or self.en or self.zh


class BilingualList(BaseModel):
    en: list[str] = Field(default_factory=list)
    zh: list[str] = Field(default_factory=list)

    def get(self, language: str) -> list[str]:
        return list(getattr(self, language, []) or [])


class Product(BaseModel):
    """A product as the DESIGN.md contract describes it."""

    id: str = ""
    name: str
    # the product's names in the other language or in short ("珐琅铸铁锅" for the Enamelled
    # Dutch Oven 24 cm): copy that uses one names the product
    aliases: list[str] = Field(default_factory=list)
    category: str
    facts: dict[str, Any] = Field(default_factory=dict)
    price: float | None = None
    currency: str | None = None
    language: Language | None = None
    evidence: dict[str, str] = Field(default_factory=dict)

    @field_validator("name", "category")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    def fact_lines(self) -> list[str]:
        """Render facts as 'key: value' lines for prompts and checks."""
        lines = []
        for key, value in self.facts.items():
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            lines.append(f"{key.replace('_', ' ')}: {value}")
        if self.price is not None:
            lines.append(f"price: {self.price:g} {self.currency or ''}".strip())
        return lines


class Persona(BaseModel):
    id: str = ""
    name: Bilingual
    description: Bilingual = Field(default_factory=Bilingual)
    needs: BilingualList = Field(default_factory=BilingualList)
    tone: str = "warm"
    resonates: BilingualList = Field(default_factory=BilingualList)
    avoid: BilingualList = Field(default_factory=BilingualList)


class LengthLimits(BaseModel):
    min_words: int | None = None
    max_words: int | None = None
    min_chars: int | None = None
    max_chars: int | None = None

    def bounds(self) -> tuple[int, int, str]:
        """Return (min, max, unit) where unit is 'words' or 'chars'."""
        if self.max_chars is not None:
            return self.min_chars or 0, self.max_chars, "chars"
        return self.min_words or 0, self.max_words or 10_000, "words"


class Tone(BaseModel):
    sentiment_min: float = -1.0
    sentiment_max: float = 1.0
    style: str = ""


class CountLimits(BaseModel):
    min: int = 0
    max: int = 0


class Channel(BaseModel):
    id: str = ""
    name: Bilingual
    scenario: str = ""
    purpose: Bilingual = Field(default_factory=Bilingual)
    length: dict[str, LengthLimits]
    required_elements: list[str] = Field(default_factory=list)
    tone: Tone = Field(default_factory=Tone)
    hashtags: CountLimits = Field(default_factory=CountLimits)
    emoji: CountLimits = Field(default_factory=CountLimits)
    guidance: Bilingual = Field(default_factory=Bilingual)
    # characters seen before the "more" fold, per language: a disclosure must start within them
    disclosure_fold: dict[str, int] = Field(default_factory=dict)
    # words that tell a shopper what we know about them (browsing, purchases): never in copy
    private_cues: dict[str, list[str]] = Field(default_factory=dict)

    def limits(self, language: str) -> LengthLimits:
        return self.length.get(language) or next(iter(self.length.values()))


class DoDont(BaseModel):
    language: str = "en"
    do: str
    dont: str
    why: str = ""


class Guidelines(BaseModel):
    brand: dict[str, Bilingual]
    voice: dict[str, Any]
    words_to_use: BilingualList = Field(default_factory=BilingualList)
    words_to_avoid: BilingualList = Field(default_factory=BilingualList)
    channel_rules: dict[str, BilingualList] = Field(default_factory=dict)
    do_dont: list[DoDont] = Field(default_factory=list)

    def brand_name(self, language: str) -> str:
        return self.brand["name"].get(language)

    def voice_description(self, language: str) -> str:
        description = self.voice.get("description", {})
        if isinstance(description, dict):
            return str(description.get(language) or description.get("en") or "")
        return str(description)


class PastCopy(BaseModel):
    id: str
    text: str
    language: Language
    channel: str
    category: str
    persona: str = "general"
    product: str = ""
    metrics: dict[str, float] = Field(default_factory=dict)
    tier: Literal["excellent", "good", "average", "poor"]
    date: str = ""


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BrandDataError(f"brand file missing: {path}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise BrandDataError(f"brand file {path} is not valid YAML: {yaml_problem(exc)}") from None


def _validation_message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(root)"
    return f"{where}: {err['msg']}"


def load_product(path: str | Path) -> Product:
    """Read and validate a product JSON file; raise ProductFileError with a one-line reason."""
    path = Path(path)
    if not path.is_file():
        raise ProductFileError(f"product file not found: {path}")
    if path.stat().st_size > MAX_PRODUCT_FILE_BYTES:
        raise ProductFileError(
            f"product file {path} is larger than {MAX_PRODUCT_FILE_BYTES // 1000} kB"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ProductFileError(f"product file {path} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ProductFileError(
            f"product file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg})"
        ) from None
    return parse_product(data, source=str(path), default_id=path.stem)


def parse_product(data: Any, source: str = "product", default_id: str = "") -> Product:
    """Validate a product mapping (from a file or the UI)."""
    if not isinstance(data, dict):
        raise ProductFileError(f"{source} must be a JSON object with name, category and facts")
    try:
        product = Product.model_validate(data)
    except ValidationError as exc:
        raise ProductFileError(f"{source} is malformed: {_validation_message(exc)}") from None
    if not product.id:
        product.id = default_id or product.name.lower().replace(" ", "-")
    return product


class Brand:
    """A brand folder loaded once: guidelines, channels, personas, products and past copy."""

    def __init__(self, root: str | Path = SAMPLE_BRAND_DIR) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise BrandDataError(f"brand folder not found: {self.root}")

    @cached_property
    def guidelines(self) -> Guidelines:
        return self._model(Guidelines, _read_yaml(self.root / "guidelines.yaml"), "guidelines")

    @cached_property
    def channels(self) -> dict[str, Channel]:
        data = _read_yaml(self.root / "channels.yaml") or {}
        return {
            cid: self._model(Channel, {**spec, "id": cid}, f"channels.{cid}")
            for cid, spec in (data.get("channels") or {}).items()
        }

    @cached_property
    def element_cues(self) -> dict[str, dict[str, list[str]]]:
        data = _read_yaml(self.root / "channels.yaml") or {}
        return {
            name: {lang: [str(c).lower() for c in cues] for lang, cues in spec.items()}
            for name, spec in (data.get("elements") or {}).items()
        }

    @cached_property
    def personas(self) -> dict[str, Persona]:
        data = _read_yaml(self.root / "personas.yaml") or {}
        return {
            pid: self._model(Persona, {**spec, "id": pid}, f"personas.{pid}")
            for pid, spec in (data.get("personas") or {}).items()
        }

    @cached_property
    def products(self) -> dict[str, Product]:
        folder = self.root / "products"
        return {p.stem: load_product(p) for p in sorted(folder.glob("*.json"))}

    @cached_property
    def past_copy(self) -> list[PastCopy]:
        path = self.root / "past_copy.jsonl"
        if not path.is_file():
            raise BrandDataError(f"brand corpus missing: {path}")
        items = []
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                items.append(PastCopy.model_validate_json(line))
            except ValidationError as exc:
                raise BrandDataError(f"{path} line {lineno}: {_validation_message(exc)}") from None
        return items

    def channel(self, channel_id: str) -> Channel:
        try:
            return self.channels[channel_id]
        except KeyError:
            raise BrandDataError(
                f"unknown channel '{channel_id}'; choose one of: {', '.join(self.channels)}"
            ) from None

    def persona(self, persona_id: str) -> Persona:
        try:
            return self.personas[persona_id]
        except KeyError:
            raise BrandDataError(
                f"unknown persona '{persona_id}'; choose one of: {', '.join(self.personas)}"
            ) from None

    def corpus_files(self) -> list[Path]:
        return [self.root / "past_copy.jsonl", self.root / "guidelines.yaml"]

    def corpus_hash(self) -> str:
        digest = hashlib.sha256()
        for path in self.corpus_files():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]

    @staticmethod
    def _model(model: type[BaseModel], data: Any, where: str) -> Any:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise BrandDataError(f"brand data {where}: {_validation_message(exc)}") from None

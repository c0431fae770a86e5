"""Advertising-law rulebooks as data: load, validate and version the YAML files."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from knowledge.errors import RulebookError, yaml_problem

RULEBOOK_DIR = Path(__file__).parent / "rulebooks"
JURISDICTIONS = ("cn", "us", "eu", "uk", "platform")
DEFAULT_JURISDICTIONS = ("cn", "us", "eu", "uk")
CATEGORIES = (
    "absolute_superlative",
    "medical_claim",
    "unsubstantiated_proof",
    "environmental",
    "natural_purity",
    "guarantee_risk_free",
    "price_claim",
    "false_urgency",
    "false_endorsement",
    "body_image",
)
Severity = Literal["block", "require_evidence", "require_qualifier", "warn"]
BLOCKING_SEVERITIES = frozenset({"block", "require_evidence", "require_qualifier"})


def _compiled(patterns: list[str]) -> list[str]:
    """The patterns, unchanged, once each has compiled; a clear error names the one that fails."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"regex {pattern!r} does not compile: {exc}") from None
    return patterns


class LegalBasis(BaseModel):
    law: str
    article: str = ""
    summary: str = ""
    url: str = ""

    def cite(self) -> str:
        head = f"{self.law} {self.article}".strip()
        text = f"{head}: {self.summary}" if self.summary else head
        return f"{text} ({self.url})" if self.url else text


class Examples(BaseModel):
    positive: list[str] = Field(default_factory=list)
    negative: list[str] = Field(default_factory=list)


class Rule(BaseModel):
    id: str
    category: str
    severity: Severity
    escalate: bool = False
    languages: list[str] = Field(default_factory=lambda: ["en", "zh"])
    product_categories: list[str] = Field(default_factory=list)
    terms: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    exemptions: list[str] = Field(default_factory=list)
    exemption_refs: list[str] = Field(default_factory=list)  # names in context/exemptions.yaml
    exemption_patterns: list[str] = Field(default_factory=list)
    evidence_keys: list[str] = Field(default_factory=list)
    qualifiers: list[str] = Field(default_factory=list)
    remedy: dict[str, str] = Field(default_factory=dict)
    legal_basis: LegalBasis
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None
    examples: Examples = Field(default_factory=Examples)
    jurisdictions: list[str] = Field(default_factory=list)

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"unknown category '{value}'")
        return value

    @field_validator("patterns", "exemption_patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        return _compiled(patterns)

    def in_force(self, on: dt.date) -> bool:
        if self.effective_from and on < self.effective_from:
            return False
        return not (self.effective_until and on > self.effective_until)

    def applies_to(self, product_category: str | None) -> bool:
        return (
            not self.product_categories
            or product_category is None
            or (product_category in self.product_categories)
        )

    def remedy_for(self, language: str) -> str:
        return (
            self.remedy.get(language)
            or self.remedy.get("en")
            or next(iter(self.remedy.values()), "")
        )


class SemanticCategory(BaseModel):
    """Exemplar claims of one category and the rules its semantic findings cite."""

    rules: list[str]
    threshold: dict[str, float] = Field(default_factory=dict)  # per language, calibrated
    claims: dict[str, list[str]]


class SemanticExemplars(BaseModel):
    version: str
    categories: dict[str, SemanticCategory]

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, value: dict[str, SemanticCategory]) -> dict[str, SemanticCategory]:
        unknown = sorted(set(value) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"unknown categories {unknown}")
        return value


class RulebookFile(BaseModel):
    jurisdiction: str
    name: str = ""
    version: str
    rules: list[Rule]


class SharedExemption(BaseModel):
    description: str
    patterns: list[str]

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        return _compiled(patterns)


class SharedExemptions(BaseModel):
    version: str
    exemptions: dict[str, SharedExemption]


class Denials(BaseModel):
    version: str
    before: list[str]
    after: list[str] = Field(default_factory=list)  # matched at the start of what follows
    others: list[str] = Field(default_factory=list)

    @field_validator("before", "after", "others")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        return _compiled(patterns)


class Rulebook:
    """All rulebook files of a folder, validated; `version` changes whenever any rule changes."""

    def __init__(self, folder: str | Path = RULEBOOK_DIR) -> None:
        self.folder = Path(folder)
        paths = sorted(self.folder.glob("*.yaml"))
        if not paths:
            raise RulebookError(f"no rulebooks (*.yaml) found in {self.folder}")
        self.files: dict[str, RulebookFile] = {}
        digest = hashlib.sha256()
        for path in paths:
            raw = path.read_bytes()
            digest.update(path.name.encode() + raw)
            book = _parse(RulebookFile, raw, f"rulebook {path}")
            for rule in book.rules:
                rule.jurisdictions = rule.jurisdictions or [book.jurisdiction]
            self.files[book.jurisdiction] = book
        self.semantic = self._load_semantic(digest)
        self.denials = self._load_denials(digest)
        self.shared_exemptions = self._resolve_shared_exemptions(digest)
        classifier = self.folder / "semantic" / "classifier.yaml"  # the trained classifier
        if classifier.is_file():
            digest.update(b"semantic/classifier.yaml" + classifier.read_bytes())
        versions = "+".join(f"{j}@{b.version}" for j, b in sorted(self.files.items()))
        self.version = f"{versions}#{digest.hexdigest()[:10]}"
        ids = [r.id for r in self.rules]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise RulebookError(f"duplicate rule ids in {self.folder}: {', '.join(duplicates)}")

    def _resolve_shared_exemptions(self, digest: Any) -> SharedExemptions:
        """Exemptions written once for several rules (`context/exemptions.yaml`): each rule's
        `exemption_refs` are added to its `exemption_patterns`; an unknown name is an error."""
        path = self.folder / "context" / "exemptions.yaml"
        shared = SharedExemptions(version="", exemptions={})
        if path.is_file():
            raw = path.read_bytes()
            digest.update(b"context/exemptions.yaml" + raw)
            shared = _parse(SharedExemptions, raw, f"exemptions {path}")
        for book in self.files.values():
            for rule in book.rules:
                unknown = [n for n in rule.exemption_refs if n not in shared.exemptions]
                if unknown:
                    raise RulebookError(
                        f"rule {rule.id} names unknown shared exemption(s) "
                        f"{', '.join(unknown)} (not in {path})"
                    )
                own = list(rule.exemption_patterns)
                for name in rule.exemption_refs:
                    own += [p for p in shared.exemptions[name].patterns if p not in own]
                rule.exemption_patterns = own
        return shared

    def _load_denials(self, digest: Any) -> Denials:
        """Patterns that, right before a term, deny the claim or only mention the word
        (`context/denials.yaml`); none when the folder has no such file."""
        path = self.folder / "context" / "denials.yaml"
        if not path.is_file():
            return Denials(version="", before=[])
        raw = path.read_bytes()
        digest.update(b"context/denials.yaml" + raw)
        return _parse(Denials, raw, f"denials {path}")

    def _load_semantic(self, digest: Any) -> SemanticExemplars | None:
        path = self.folder / "semantic" / "exemplars.yaml"
        if not path.is_file():
            return None
        raw = path.read_bytes()
        digest.update(b"semantic/exemplars.yaml" + raw)
        semantic = _parse(SemanticExemplars, raw, f"exemplars {path}")
        known = {r.id: r.category for book in self.files.values() for r in book.rules}
        for category, spec in semantic.categories.items():
            for rule_id in spec.rules:
                if known.get(rule_id) != category:
                    raise RulebookError(
                        f"exemplars {path}: {category} cites '{rule_id}', "
                        f"which is not a {category} rule"
                    )
        return semantic

    @cached_property
    def rules(self) -> list[Rule]:
        return [rule for book in self.files.values() for rule in book.rules]

    def rules_for(self, jurisdictions: tuple[str, ...] | list[str]) -> list[Rule]:
        wanted = set(parse_jurisdictions(jurisdictions))
        return [r for r in self.rules if wanted & set(r.jurisdictions)]


def parse_jurisdictions(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """Parse 'cn,us' or a list into known jurisdiction ids; raise RulebookError otherwise."""
    if value is None or value == "" or value == []:
        return DEFAULT_JURISDICTIONS
    items = value.split(",") if isinstance(value, str) else list(value)
    result = []
    for item in items:
        code = item.strip().lower()
        if not code:
            continue
        if code not in JURISDICTIONS:
            raise RulebookError(
                f"unknown jurisdiction '{item.strip()}'; choose from: {', '.join(JURISDICTIONS)}"
            )
        if code not in result:
            result.append(code)
    if not result:
        raise RulebookError(f"no jurisdiction given; choose from: {', '.join(JURISDICTIONS)}")
    return tuple(result)


ModelT = TypeVar("ModelT", bound=BaseModel)


def _parse(model: type[ModelT], raw: bytes, what: str) -> ModelT:
    """Validate a YAML file's bytes as ``model``; any problem is a one-line RulebookError."""
    try:
        return model.model_validate(yaml.safe_load(raw.decode("utf-8")))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RulebookError(f"{what} is not valid YAML: {yaml_problem(exc)}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise RulebookError(f"{what}: {where}: {err['msg']}") from None

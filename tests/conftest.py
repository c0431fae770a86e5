"""Shared fixtures: the sample brand, rulebooks, and a weight-free studio context for unit tests."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from agents.compliance.checker import ComplianceChecker  # noqa: E402
from agents.context import Context  # noqa: E402
from agents.critic import Critic  # noqa: E402
from agents.llm import ScriptedChatModel  # noqa: E402
from knowledge.brand import Brand  # noqa: E402
from knowledge.embeddings import HashingEmbedder  # noqa: E402
from knowledge.index import build_index, load_index  # noqa: E402
from knowledge.retrieval import FaissRetriever  # noqa: E402
from knowledge.rulebook import Rulebook  # noqa: E402

GOOD_BOTTLE_COPY = (
    "Meet the Fernhill Trail Bottle 500 ml, a steady companion for long days outside. "
    "Its 18/8 stainless steel body and double-wall vacuum keep water cold for 24 hours and "
    "coffee hot for 12 hours. At 340 g it rides easily in a daypack, in moss, slate or sand. "
    "Shop now and fill it for your next trail."
)

# Every sentence carries a blocked superlative, so no repaired variant can clear it.
RISKY_BOTTLE_COPY = (
    GOOD_BOTTLE_COPY.replace(
        "a steady companion", "the best bottle in the world and a steady companion"
    )
    .replace("Its 18/8", "The best 18/8")
    .replace("At 340 g", "The best at 340 g")
    .replace("Shop now and", "Shop now for the best and")
)


@pytest.fixture(scope="session")
def brand() -> Brand:
    return Brand()


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    return Rulebook()


@pytest.fixture(scope="session")
def checker(rulebook: Rulebook) -> ComplianceChecker:
    return ComplianceChecker(rulebook)


@pytest.fixture(scope="session")
def hashing_retriever(brand: Brand, tmp_path_factory: pytest.TempPathFactory) -> FaissRetriever:
    embedder = HashingEmbedder()
    folder = tmp_path_factory.mktemp("index")
    build_index(brand, embedder, folder, progress=False)
    return FaissRetriever(load_index(folder, embedder, brand.corpus_hash()), embedder)


@pytest.fixture
def make_context(
    brand: Brand, checker: ComplianceChecker, hashing_retriever: FaissRetriever
) -> Callable[..., Context]:
    def make(replies: list[str], **overrides: Any) -> Context:
        llm = ScriptedChatModel(replies=replies)
        values: dict[str, Any] = {
            "llm": llm,
            "brand": brand,
            "retriever": hashing_retriever,
            "checker": checker,
            "embedder": hashing_retriever.embedder,
            "critic": Critic(brand, hashing_retriever.embedder, hashing_retriever, checker),
            "fact_sentences": False,  # scripted replies stand for whole drafts here
            "max_revisions": 2,
            "n_candidates": 2,
            "seed": 0,
        }
        values.update(overrides)
        return Context(**values)

    return make


@pytest.fixture
def bottle(brand: Brand) -> dict[str, Any]:
    return brand.products["steel-bottle-500"].model_dump()


@pytest.fixture
def sample_products_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "knowledge" / "sample_brand" / "products"

"""The bundled sample brand and the FAISS index: coverage, idempotence, damage, filters, ranking."""

from __future__ import annotations

import json
import shutil

import pytest

from knowledge.brand import Brand, load_product
from knowledge.embeddings import HashingEmbedder
from knowledge.errors import (
    BrandDataError,
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    ProductFileError,
)
from knowledge.index import build_index, load_index
from knowledge.retrieval import FaissRetriever

CHANNELS = {"product_page", "promo_banner", "recommendation", "cs_reply", "social_post"}


def test_sample_brand_covers_what_the_foundation_needs(brand: Brand):
    copy = brand.past_copy
    assert len(copy) >= 150
    assert {c.language for c in copy} == {"en", "zh"}
    assert {c.channel for c in copy} == CHANNELS
    assert {c.tier for c in copy} == {"excellent", "good", "average", "poor"}
    assert len(brand.products) >= 20
    assert {p.language for p in brand.products.values()} == {"en", "zh"}
    assert set(brand.channels) == CHANNELS
    assert {
        "student_budget",
        "outdoor_enthusiast",
        "new_parent",
        "business_professional",
        "general",
    } <= set(brand.personas)
    for channel in brand.channels.values():
        assert set(channel.length) == {"en", "zh"}
        assert channel.required_elements
    assert brand.guidelines.words_to_avoid.get("zh") and brand.guidelines.words_to_avoid.get("en")


def test_every_product_category_has_past_copy(brand: Brand):
    categories = {p.category for p in brand.products.values()}
    assert categories <= {c.category for c in brand.past_copy}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('["a list"]', "must be a JSON object"),
        ('{"name": "X"}', "category"),
        ('{"name": "  ", "category": "drinkware"}', "name"),
    ],
)
def test_malformed_product_files_get_one_line_errors(tmp_path, content, message):
    path = tmp_path / "p.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProductFileError, match=message) as info:
        load_product(path)
    assert "\n" not in str(info.value)


def test_missing_product_file(tmp_path):
    with pytest.raises(ProductFileError, match="not found"):
        load_product(tmp_path / "nope.json")


def test_unknown_channel_and_persona_list_the_choices(brand: Brand):
    with pytest.raises(BrandDataError, match="unknown channel 'tiktok'.*product_page"):
        brand.channel("tiktok")
    with pytest.raises(BrandDataError, match="unknown persona 'alien'.*new_parent"):
        brand.persona("alien")


@pytest.fixture
def built(brand, tmp_path):
    embedder = HashingEmbedder()
    folder = tmp_path / "index"
    result = build_index(brand, embedder, folder, progress=False)
    return brand, embedder, folder, result


def test_index_build_is_idempotent(built):
    brand, embedder, folder, first = built
    assert first.built and first.count > len(brand.past_copy)
    again = build_index(brand, embedder, folder, progress=False)
    assert not again.built
    forced = build_index(brand, embedder, folder, force=True, progress=False)
    assert forced.built


def test_missing_index(tmp_path):
    with pytest.raises(IndexMissingError, match="studio index build"):
        load_index(tmp_path / "none", HashingEmbedder())


def test_corrupt_index_is_refused(built):
    brand, embedder, folder, _ = built
    data = (folder / "index.faiss").read_bytes()
    (folder / "index.faiss").write_bytes(data[:-100] + b"\0" * 100)
    with pytest.raises(IndexCorruptError, match="does not match its manifest"):
        load_index(folder, embedder)


def test_mismatched_embeddings_are_refused(built):
    _, _, folder, _ = built
    with pytest.raises(IndexMismatchError, match="built with embeddings"):
        load_index(folder, HashingEmbedder(dim=128))


def test_index_from_another_corpus_is_refused(built, tmp_path):
    brand, embedder, folder, _ = built
    other = tmp_path / "brand"
    shutil.copytree(brand.root, other)
    with (other / "past_copy.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(
            json.dumps(
                {
                    "id": "pc-new",
                    "text": "New copy.",
                    "language": "en",
                    "channel": "product_page",
                    "category": "drinkware",
                    "tier": "good",
                }
            )
            + "\n"
        )
    with pytest.raises(IndexMismatchError, match="another version of the brand corpus"):
        load_index(folder, embedder, expected_corpus_hash=Brand(other).corpus_hash())
    rebuilt = build_index(Brand(other), embedder, folder, progress=False)
    assert rebuilt.built


def test_search_respects_filters_and_prefers_top_performers(built):
    brand, embedder, folder, _ = built
    retriever = FaissRetriever(load_index(folder, embedder), embedder, performance_weight=0.35)
    hits = retriever.search(
        "stainless steel bottle",
        k=5,
        filters={"kind": "copy", "language": "zh", "channel": "promo_banner"},
    )
    assert hits
    for hit in hits:
        assert hit.metadata["language"] == "zh" and hit.metadata["channel"] == "promo_banner"
    assert hits == sorted(hits, key=lambda h: h.score, reverse=True)
    plain = FaissRetriever(load_index(folder, embedder), embedder, performance_weight=0.0)
    boosted = FaissRetriever(load_index(folder, embedder), embedder, performance_weight=1.0)
    query, filters = "bottle", {"kind": "copy", "channel": "product_page"}
    top_boosted = boosted.search(query, k=3, filters=filters)
    assert [h.performance for h in top_boosted] == sorted(
        [h.performance for h in top_boosted], reverse=True
    )
    assert max(h.performance for h in top_boosted) >= max(
        h.performance for h in plain.search(query, k=3, filters=filters)
    )
    assert retriever.search("x", k=3, filters={"language": "fr"}) == []

"""Build, verify and load the FAISS index of a brand's past copy and guidelines."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.brand import Brand
from knowledge.embeddings import Embedder
from knowledge.errors import IndexCorruptError, IndexMismatchError, IndexMissingError

FORMAT_VERSION = 1
INDEX_FILE = "index.faiss"
METADATA_FILE = "metadata.jsonl"
MANIFEST_FILE = "manifest.json"

# The metric that best measures success on each channel, used to rank past copy.
PRIMARY_METRIC = {
    "product_page": "conversion_rate",
    "promo_banner": "ctr",
    "recommendation": "conversion_rate",
    "cs_reply": "csat",
    "social_post": "engagement_rate",
}
TIER_ORDER = {"poor": 0, "average": 1, "good": 2, "excellent": 3}


def corpus_documents(brand: Brand) -> list[dict[str, Any]]:
    """Turn past copy and guideline sections into index documents with metadata."""
    docs: list[dict[str, Any]] = []
    performance = performance_percentiles(brand)
    for item in brand.past_copy:
        docs.append(
            {
                "id": item.id,
                "kind": "copy",
                "text": item.text,
                "language": item.language,
                "channel": item.channel,
                "category": item.category,
                "persona": item.persona,
                "tier": item.tier,
                "metrics": item.metrics,
                "performance": performance[item.id],
            }
        )
    g = brand.guidelines
    for lang in ("en", "zh"):
        voice = g.voice_description(lang)
        if voice:
            docs.append(_guideline(f"guide-voice-{lang}", voice, lang, None))
        use, avoid = g.words_to_use.get(lang), g.words_to_avoid.get(lang)
        if use or avoid:
            text = f"Words to use: {', '.join(use)}. Words to avoid: {', '.join(avoid)}."
            docs.append(_guideline(f"guide-words-{lang}", text, lang, None))
        for channel, rules in g.channel_rules.items():
            if rules.get(lang):
                text = " ".join(rules.get(lang))
                docs.append(_guideline(f"guide-{channel}-{lang}", text, lang, channel))
    for n, pair in enumerate(g.do_dont, 1):
        text = f"Do: {pair.do} Don't: {pair.dont} {pair.why}".strip()
        docs.append(_guideline(f"guide-dodont-{n}", text, pair.language, None))
    return docs


def _guideline(doc_id: str, text: str, language: str, channel: str | None) -> dict[str, Any]:
    return {
        "id": doc_id,
        "kind": "guideline",
        "text": text,
        "language": language,
        "channel": channel,
        "category": None,
        "performance": 1.0,
    }


def performance_percentiles(brand: Brand) -> dict[str, float]:
    """Rank each piece of copy within its channel by the channel's primary metric (0..1)."""
    by_channel: dict[str, list[Any]] = {}
    for item in brand.past_copy:
        by_channel.setdefault(item.channel, []).append(item)
    result: dict[str, float] = {}
    for channel, items in by_channel.items():
        metric = PRIMARY_METRIC.get(channel, "ctr")

        def key(item: Any, metric: str = metric) -> tuple[float, int]:
            return (float(item.metrics.get(metric, 0.0)), TIER_ORDER[item.tier])

        ranked = sorted(items, key=key)
        denominator = max(len(ranked) - 1, 1)
        for rank, item in enumerate(ranked):
            result[item.id] = round(rank / denominator, 4)
    return result


@dataclass
class BuildResult:
    path: Path
    count: int
    built: bool
    seconds: float


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_index(
    brand: Brand,
    embedder: Embedder,
    out_dir: str | Path,
    force: bool = False,
    progress: bool = True,
) -> BuildResult:
    """Embed the brand corpus and write index, metadata and manifest; skip when up to date."""
    import faiss

    out = Path(out_dir)
    start = time.perf_counter()
    if not force and out.exists():
        try:
            load_index(out, embedder, expected_corpus_hash=brand.corpus_hash())
            return BuildResult(
                out, _read_manifest(out)["count"], False, time.perf_counter() - start
            )
        except (IndexMissingError, IndexCorruptError, IndexMismatchError):
            pass  # rebuild below
    docs = corpus_documents(brand)
    vectors = _encode_with_progress(embedder, [d["text"] for d in docs], progress)
    index = faiss.IndexFlatIP(embedder.dim)
    index.add(vectors)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    faiss.write_index(index, str(tmp / INDEX_FILE))
    with (tmp / METADATA_FILE).open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    manifest = {
        "format_version": FORMAT_VERSION,
        "corpus_hash": brand.corpus_hash(),
        "embedding_model": embedder.model_id,
        "dim": embedder.dim,
        "count": len(docs),
        "faiss_sha256": _sha256(tmp / INDEX_FILE),
        "metadata_sha256": _sha256(tmp / METADATA_FILE),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (tmp / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return BuildResult(out, len(docs), True, time.perf_counter() - start)


def _encode_with_progress(embedder: Embedder, texts: list[str], progress: bool) -> np.ndarray:
    from tqdm import tqdm

    batch = 32
    parts = []
    with tqdm(total=len(texts), desc="Embedding corpus", unit="doc", disable=not progress) as bar:
        for i in range(0, len(texts), batch):
            chunk = texts[i : i + batch]
            parts.append(embedder.encode(chunk))
            bar.update(len(chunk))
    return np.vstack(parts).astype(np.float32)


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST_FILE
    if not path.is_file():
        raise IndexMissingError(f"no index at {folder}: run `studio index build`")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["count"] = int(manifest["count"])
        return manifest
    except (ValueError, KeyError, TypeError):
        raise IndexCorruptError(
            f"index manifest {path} is unreadable: run `studio index build --force`"
        ) from None


@dataclass
class LoadedIndex:
    index: Any
    documents: list[dict[str, Any]]
    manifest: dict[str, Any]

    @property
    def version(self) -> str:
        return f"{self.manifest['corpus_hash']}-{self.manifest['faiss_sha256'][:8]}"


def load_index(
    folder: str | Path, embedder: Embedder, expected_corpus_hash: str | None = None
) -> LoadedIndex:
    """Load and verify an index folder; raise a clear error when it is missing or damaged."""
    import faiss

    folder = Path(folder)
    manifest = _read_manifest(folder)
    rebuild = "run `studio index build --force`"
    for name, key in ((INDEX_FILE, "faiss_sha256"), (METADATA_FILE, "metadata_sha256")):
        path = folder / name
        if not path.is_file():
            raise IndexCorruptError(f"index file {path} is missing: {rebuild}")
        if _sha256(path) != manifest.get(key):
            raise IndexCorruptError(f"index file {path} does not match its manifest: {rebuild}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexMismatchError(f"index at {folder} has an old format: {rebuild}")
    if manifest.get("embedding_model") != embedder.model_id or manifest.get("dim") != embedder.dim:
        raise IndexMismatchError(
            f"index at {folder} was built with embeddings '{manifest.get('embedding_model')}' "
            f"({manifest.get('dim')}-d), not '{embedder.model_id}' ({embedder.dim}-d): {rebuild}"
        )
    if expected_corpus_hash and manifest.get("corpus_hash") != expected_corpus_hash:
        raise IndexMismatchError(
            f"index at {folder} was built from another version of the brand corpus: "
            "run `studio index build`"
        )
    try:
        index = faiss.read_index(str(folder / INDEX_FILE))
        lines = (folder / METADATA_FILE).read_text(encoding="utf-8").splitlines()
        documents = [json.loads(line) for line in lines if line.strip()]
    except (RuntimeError, ValueError):
        raise IndexCorruptError(f"index at {folder} cannot be read: {rebuild}") from None
    if (
        index.ntotal != len(documents)
        or index.ntotal != manifest["count"]
        or index.d != embedder.dim
    ):
        raise IndexCorruptError(f"index at {folder} is inconsistent with its metadata: {rebuild}")
    return LoadedIndex(index, documents, manifest)

"""Search the brand index with filters, ranking by relevance and past performance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from knowledge.embeddings import Embedder
from knowledge.index import LoadedIndex

Filters = Mapping[str, Any]


@dataclass(frozen=True)
class Hit:
    id: str
    text: str
    score: float
    relevance: float
    performance: float
    metadata: dict[str, Any] = field(default_factory=dict)


class Retriever(Protocol):
    def search(self, query: str, k: int = 4, filters: Filters | None = None) -> list[Hit]: ...


def _matches(doc: Mapping[str, Any], filters: Filters) -> bool:
    for key, wanted in filters.items():
        if wanted is None:
            continue
        value = doc.get(key)
        if isinstance(wanted, list | tuple | set | frozenset):
            if value not in wanted:
                return False
        elif value != wanted:
            return False
    return True


class FaissRetriever:
    """Dense retrieval over a loaded FAISS index with metadata filters and performance boost."""

    def __init__(self, loaded: LoadedIndex, embedder: Embedder, performance_weight: float = 0.35):
        self.loaded = loaded
        self.embedder = embedder
        self.performance_weight = performance_weight
        self._docs = loaded.documents

    @property
    def version(self) -> str:
        return self.loaded.version

    def allowed_ids(self, filters: Filters | None) -> np.ndarray:
        if not filters:
            return np.arange(len(self._docs), dtype=np.int64)
        return np.array(
            [i for i, doc in enumerate(self._docs) if _matches(doc, filters)], dtype=np.int64
        )

    def search(self, query: str, k: int = 4, filters: Filters | None = None) -> list[Hit]:
        import faiss

        allowed = self.allowed_ids(filters)
        if k <= 0 or len(allowed) == 0:
            return []
        fetch = int(min(len(allowed), max(k * 5, 20)))
        vector = self.embedder.encode([query])
        params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))  # type: ignore[call-arg]
        sims, ids = self.loaded.index.search(vector, fetch, params=params)
        hits = []
        w = self.performance_weight
        for sim, idx in zip(sims[0], ids[0], strict=True):
            if idx < 0:
                continue
            doc = self._docs[int(idx)]
            perf = float(doc.get("performance", 0.0))
            relevance = float(sim)
            hits.append(
                Hit(
                    id=doc["id"],
                    text=doc["text"],
                    score=round((1 - w) * relevance + w * perf, 4),
                    relevance=round(relevance, 4),
                    performance=perf,
                    metadata={key: v for key, v in doc.items() if key != "text"},
                )
            )
        hits.sort(key=lambda h: h.score, reverse=True)
        return hits[:k]

    def centroid(self, filters: Filters) -> np.ndarray | None:
        """Return the normalised mean vector of the documents matching the filters."""
        allowed = self.allowed_ids(filters)
        if len(allowed) == 0:
            return None
        vectors = np.vstack([self.loaded.index.reconstruct(int(i)) for i in allowed])
        mean = vectors.mean(axis=0)
        norm = float(np.linalg.norm(mean))
        return (mean / norm).astype(np.float32) if norm > 0 else None

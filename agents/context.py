"""What every node reads at run time: loaded models, the index, the rulebook, the brand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from langchain_core.language_models import BaseChatModel

from agents.compliance.checker import ComplianceChecker
from knowledge.brand import Brand
from knowledge.retrieval import Retriever

if TYPE_CHECKING:
    from agents.critic import Critic


@dataclass(frozen=True)
class Context:
    llm: BaseChatModel
    brand: Brand
    retriever: Retriever
    checker: ComplianceChecker
    embedder: Any  # knowledge.embeddings.Embedder, or anything with encode(texts) -> ndarray
    critic: Critic
    max_revisions: int = 2
    n_candidates: int = 3
    seed: int = 0
    examples_k: int = 3
    temperature: float = 0.5
    fallback_composer: bool = True
    fact_sentences: bool = True

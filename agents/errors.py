"""Errors raised by the agents that a user can fix."""

from knowledge.errors import StudioError


class BriefError(StudioError):
    """The request or brief cannot be turned into copy (empty, oversized, contradictory)."""


class ModelLoadError(StudioError):
    """An LLM's weights are missing, corrupt, or the spec names no known backend."""


class GenerationError(StudioError):
    """The LLM failed while generating."""

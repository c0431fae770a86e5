"""Errors a user can fix; the CLI and UI turn each into a one-line message."""


class StudioError(Exception):
    """Base class for errors that carry a one-line, user-facing message."""


class BrandDataError(StudioError):
    """Brand data (products, personas, channels, guidelines, corpus) is missing or malformed."""


class ProductFileError(StudioError):
    """A product file is missing, unreadable or malformed."""


class IndexMissingError(StudioError):
    """No index exists where one was expected."""


class IndexCorruptError(StudioError):
    """The index on disk is damaged or does not match its manifest."""


class IndexMismatchError(StudioError):
    """The index was built from another corpus or embedding model."""


class EmbeddingModelError(StudioError):
    """The embedding model cannot be found or loaded."""


class RulebookError(StudioError):
    """A rulebook is missing, malformed, or a jurisdiction is unknown."""

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


def yaml_problem(exc: Exception) -> str:
    """One line for a YAML parse error: what is wrong and where ("line 4, column 7: ...")."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or (str(exc).strip().splitlines() or [""])[0]
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return f"{where}{problem or type(exc).__name__}"

"""Skip regexes that cannot match: each pattern's required literals, found with one automaton pass.

For every pattern we derive a set of literal strings one of which any match must contain (from
the parsed regex: literal runs, mandatory groups, alternations of literals, repeats with a
minimum of one). One Aho-Corasick pass over the text then names the patterns worth running.
Patterns with no such set always run, so the result equals running every pattern.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import ahocorasick

try:  # Python >= 3.11
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_LITERAL = sre_constants.LITERAL
_SUBPATTERN = sre_constants.SUBPATTERN
_BRANCH = sre_constants.BRANCH
_IN = sre_constants.IN
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
_MAX_CLASS = 12  # a character class of up to this many literals counts as a set of anchors


def required_literals(pattern: str) -> frozenset[str] | None:
    """Return strings one of which every match of `pattern` contains, or None if unknown."""
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
        return None
    found = _sequence(list(parsed))
    if not found or any(not s.strip() for s in found):
        return None
    return frozenset(s.lower() for s in found)


def _score(options: set[str]) -> tuple[int, int]:
    return (min(len(s.strip()) for s in options), -len(options))


def _sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    candidates: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is _LITERAL:
            run += chr(av)
            continue
        if run:
            candidates.append({run})
            run = ""
        option = _element(op, av)
        if option:
            candidates.append(option)
    if run:
        candidates.append({run})
    return max(candidates, key=_score) if candidates else None


def _element(op: Any, av: Any) -> set[str] | None:
    if op is _SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is _BRANCH:
        merged: set[str] = set()
        for branch in av[1]:
            option = _sequence(list(branch))
            if not option:
                return None
            merged |= option
        return merged
    if op in _REPEATS:
        low, _high, sub = av
        return _sequence(list(sub)) if low >= 1 else None
    if op is _IN:
        chars = list(av)
        if 0 < len(chars) <= _MAX_CLASS and all(kind is _LITERAL for kind, _ in chars):
            return {chr(value) for _, value in chars}
    return None


class PatternPrefilter:
    """Name the patterns (by index) whose required literals occur in a text."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.always: list[int] = []
        self._automaton = ahocorasick.Automaton()
        for idx, pattern in enumerate(patterns):
            anchors = required_literals(pattern)
            if anchors is None:
                self.always.append(idx)
                continue
            for anchor in anchors:
                _, owners = self._automaton.get(anchor, (anchor, []))
                owners.append(idx)
                self._automaton.add_word(anchor, (anchor, owners))
        if len(self._automaton):
            self._automaton.make_automaton()

    def candidates(self, text: str) -> list[int]:
        """Return, in order, the indices of patterns that may match `text`."""
        found = set(self.always)
        if len(self._automaton):
            for _, (_, owners) in self._automaton.iter(text):
                found.update(owners)
        return sorted(found)

"""Find risky claims in copy: lexicon (Aho-Corasick) and regex layers over normalised text,
and optionally a semantic layer (``agents.compliance.semantic``) for paraphrases.

Compliance fails closed: only evidence in the product facts or a required qualifier in the copy
clears a finding; nothing else (no LLM, no brief) can remove one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import ahocorasick

from agents.compliance.normalize import Normalized, PinyinLexicon, language_of, normalize
from agents.compliance.prefilter import PatternPrefilter
from knowledge.rulebook import BLOCKING_SEVERITIES, Rule, Rulebook, parse_jurisdictions

if TYPE_CHECKING:
    from agents.compliance.classifier import ClassifierLayer
    from agents.compliance.semantic import SemanticHit, SemanticLayer

Verdict = Literal["pass", "revise", "legal_review"]
_WORD = re.compile(r"[a-z0-9]")


# The fields of a finding in the DESIGN.md contracts, in order.
CONTRACT_FIELDS = (
    "rule_id",
    "category",
    "severity",
    "start",
    "end",
    "match",
    "jurisdictions",
    "legal_basis",
    "remedy",
)


@dataclass
class Finding:
    rule_id: str
    category: str
    severity: str
    start: int
    end: int
    match: str
    jurisdictions: list[str]
    legal_basis: str
    remedy: str
    escalate: bool = False
    cleared_by: str | None = None
    layer: str = "rules"  # "rules" (lexicon/regex) or "semantic"; not part of the contract

    @property
    def blocking(self) -> bool:
        return self.cleared_by is None and self.severity in BLOCKING_SEVERITIES

    def contract(self) -> dict[str, Any]:
        """Return the finding as the DESIGN.md `studio check` contract spells it."""
        return {name: getattr(self, name) for name in CONTRACT_FIELDS}

    def as_dict(self) -> dict[str, Any]:
        return {**self.contract(), "escalate": self.escalate, "cleared_by": self.cleared_by}


@dataclass
class CheckResult:
    text: str
    findings: list[Finding]
    cleared: list[Finding] = field(default_factory=list)
    rulebook_version: str = ""

    @property
    def verdict(self) -> Verdict:
        if any(f.escalate for f in self.findings):
            return "legal_review"
        if any(f.blocking for f in self.findings):
            return "revise"
        return "pass"

    @property
    def passed(self) -> bool:
        return self.verdict == "pass"

    def contract(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "verdict": self.verdict,
            "findings": [f.contract() for f in self.findings],
            "rulebook_version": self.rulebook_version,
        }


@dataclass
class _CompiledRule:
    rule: Rule
    patterns: list[re.Pattern[str]]
    exemptions: list[str]
    exemption_patterns: list[re.Pattern[str]]
    qualifiers: list[str]


class ComplianceChecker:
    """Check copy against the rules of the chosen jurisdictions."""

    def __init__(
        self,
        rulebook: Rulebook,
        jurisdictions: Iterable[str] | str | None = None,
        today: dt.date | None = None,
        semantic: SemanticLayer | ClassifierLayer | bool | str = False,
    ) -> None:
        """`semantic`: a SemanticLayer or ClassifierLayer; True or "similarity" for the bundled
        similarity layer, "classifier" for the bundled trained classifier (each loaded once per
        process); False or "rules" for rules only (the values of STUDIO_COMPLIANCE_LAYER)."""
        self.rulebook = rulebook
        self.jurisdictions = parse_jurisdictions(
            jurisdictions
            if isinstance(jurisdictions, str) or jurisdictions is None
            else list(jurisdictions)
        )
        self.today = today or dt.date.today()
        rules = [r for r in rulebook.rules if r.in_force(self.today)]
        self._rules = [self._compile(rule) for rule in rules]
        self._automaton = ahocorasick.Automaton()
        for idx, compiled in enumerate(self._rules):
            for term in compiled.rule.terms:
                key = normalize(term).text.strip()
                if not key:
                    continue
                _, entries = self._automaton.get(key, (key, []))
                if idx not in entries:
                    entries.append(idx)
                self._automaton.add_word(key, (key, entries))
        if len(self._automaton):
            self._automaton.make_automaton()
        self._by_id = {compiled.rule.id: compiled for compiled in self._rules}
        before, others = rulebook.denials.before, rulebook.denials.others
        after = rulebook.denials.after
        self._denial = re.compile("|".join(f"(?:{p})" for p in before)) if before else None
        self._others = re.compile("|".join(f"(?:{p})" for p in others)) if others else None
        self._denial_after = re.compile("|".join(f"(?:{p})" for p in after)) if after else None
        self._patterns = [
            (idx, pattern)
            for idx, compiled in enumerate(self._rules)
            for pattern in compiled.patterns
        ]
        self._prefilter = PatternPrefilter([pattern.pattern for _, pattern in self._patterns])
        # pinyin written in place of a character the rules look for (无xiao退kuan)
        self._pinyin = PinyinLexicon.from_words(
            [term for compiled in self._rules for term in compiled.rule.terms]
            + [pattern.pattern for _, pattern in self._patterns]
        )
        if semantic == "rules":
            semantic = False
        if semantic is True or semantic == "similarity":
            from agents.compliance.semantic import load_semantic_layer

            semantic = load_semantic_layer(rulebook)
        elif semantic == "classifier":
            from agents.compliance.classifier import load_classifier_layer

            semantic = load_classifier_layer(rulebook)
        elif isinstance(semantic, str):
            raise ValueError(f"unknown semantic layer {semantic!r}: similarity or classifier")
        self.semantic: SemanticLayer | ClassifierLayer | None = semantic or None

    @property
    def version(self) -> str:
        return self.rulebook.version

    @staticmethod
    def _compile(rule: Rule) -> _CompiledRule:
        return _CompiledRule(
            rule=rule,
            patterns=[re.compile(p, re.IGNORECASE) for p in rule.patterns],
            exemptions=[normalize(e).text for e in rule.exemptions if e.strip()],
            exemption_patterns=[re.compile(p, re.IGNORECASE) for p in rule.exemption_patterns],
            qualifiers=[normalize(q).text for q in rule.qualifiers if q.strip()],
        )

    def check(
        self,
        text: str,
        product_category: str | None = None,
        evidence: Mapping[str, str] | None = None,
        jurisdictions: Iterable[str] | str | None = None,
        semantic_hits: Sequence[SemanticHit] | None = None,
    ) -> CheckResult:
        """Check one text; `semantic_hits` may carry this text's hits from a batched scan."""
        wanted = set(
            self.jurisdictions
            if jurisdictions is None
            else parse_jurisdictions(
                jurisdictions if isinstance(jurisdictions, str) else list(jurisdictions)
            )
        )
        norm = normalize(text, self._pinyin)
        language = language_of(text)
        raw_hits = self._term_hits(norm.text) + self._pattern_hits(norm.text)
        findings: dict[tuple[str, int, int], Finding] = {}
        exempt_spans: dict[str, list[tuple[int, int]]] = {}  # per rule id, found once per text
        cleared_words: list[tuple[str, int, int]] = []  # (category, span) exempt or denied
        for idx, start, end in sorted(raw_hits, key=lambda h: (h[1], -h[2])):
            compiled = self._rules[idx]
            rule = compiled.rule
            if not wanted & set(rule.jurisdictions) or not rule.applies_to(product_category):
                continue
            if rule.id not in exempt_spans:
                exempt_spans[rule.id] = self._exempt_spans(compiled, norm.text)
            if any(a < end and start < b for a, b in exempt_spans[rule.id]) or self._denied(
                norm.text, start, end
            ):
                cleared_words.append((rule.category, *norm.span(start, end)))
                continue
            o_start, o_end = norm.span(start, end)
            if any(
                f.rule_id == rule.id and f.start <= o_start and o_end <= f.end
                for f in findings.values()
            ):
                continue  # a longer hit of the same rule already covers this span
            finding = Finding(
                rule_id=rule.id,
                category=rule.category,
                severity=rule.severity,
                start=o_start,
                end=o_end,
                match=text[o_start:o_end],
                jurisdictions=list(rule.jurisdictions),
                legal_basis=rule.legal_basis.cite(),
                remedy=rule.remedy_for(language),
                escalate=rule.escalate,
                cleared_by=self._clearance(compiled, norm.text, evidence),
            )
            findings[(rule.id, o_start, o_end)] = finding
        if self.semantic is not None:
            hits = self.semantic.scan(text) if semantic_hits is None else semantic_hits
            hits = [h for h in hits if not self._only_cleared_words(text, h, cleared_words)]
            self._add_semantic(
                text,
                norm,
                language,
                hits,
                findings,
                wanted,
                product_category,
                evidence,
                exempt_spans,
            )
        ordered = sorted(findings.values(), key=lambda f: (f.start, f.end, f.rule_id))
        active = [f for f in ordered if f.cleared_by is None]
        cleared = [f for f in ordered if f.cleared_by is not None]
        return CheckResult(text, active, cleared, self.version)

    def _only_cleared_words(
        self, text: str, hit: SemanticHit, cleared: Sequence[tuple[str, int, int]]
    ) -> bool:
        """True when the hit rests on words the rules cleared in context: with them blanked
        out ("We don't call it 'eco-friendly'" -> "We don't call it ''"), the unit no longer
        reaches the category's threshold. Another claim in the same sentence still does."""
        inside = [(a, b) for c, a, b in cleared if c == hit.category and hit.start <= a < hit.end]
        if not inside or self.semantic is None:
            return False
        unit = list(text[hit.start : hit.end])
        for a, b in inside:
            for i in range(a - hit.start, min(b, hit.end) - hit.start):
                unit[i] = " "
        masked = "".join(unit)
        return not any(h.category == hit.category for h in self.semantic.scan(masked))

    def _add_semantic(
        self,
        text: str,
        norm: Normalized,
        language: str,
        hits: Sequence[SemanticHit],
        findings: dict[tuple[str, int, int], Finding],
        wanted: set[str],
        product_category: str | None,
        evidence: Mapping[str, str] | None,
        exempt_spans: dict[str, list[tuple[int, int]]],
    ) -> None:
        """Add findings for paraphrased claims the rules missed; never remove one. A hit is
        not cited under a rule whose exemptions cover most of it: the context that clears the
        rule's words ("活动前30天内最低成交价259元") clears their paraphrase too."""
        assert self.semantic is not None
        normalised = norm.text
        for hit in hits:
            if any(
                f.category == hit.category and f.start < hit.end and hit.start < f.end
                for f in findings.values()
            ):
                continue  # the lexicon already flags this category here
            spec = self.semantic.exemplars.categories[hit.category]
            covered: set[str] = set()
            for rule_id in spec.rules:
                compiled = self._by_id.get(rule_id)
                if compiled is None:  # not in force
                    continue
                rule = compiled.rule
                fresh = (wanted & set(rule.jurisdictions)) - covered
                if not fresh or not rule.applies_to(product_category):
                    continue
                if rule.id not in exempt_spans:  # the rules' spans, shared with check()
                    exempt_spans[rule.id] = self._exempt_spans(compiled, normalised)
                exempt = [norm.span(a, b) for a, b in exempt_spans[rule.id]]
                if _covered_share(exempt, hit.start, hit.end) >= EXEMPT_COVER:
                    continue
                covered |= fresh
                findings[(rule.id, hit.start, hit.end)] = Finding(
                    rule_id=rule.id,
                    category=rule.category,
                    severity=rule.severity,
                    start=hit.start,
                    end=hit.end,
                    match=text[hit.start : hit.end],
                    jurisdictions=list(rule.jurisdictions),
                    legal_basis=rule.legal_basis.cite(),
                    remedy=rule.remedy_for(language),
                    escalate=rule.escalate,
                    cleared_by=self._clearance(compiled, normalised, evidence),
                    layer="semantic",
                )

    def _term_hits(self, text: str) -> list[tuple[int, int, int]]:
        hits: list[tuple[int, int, int]] = []
        if not len(self._automaton):
            return hits
        for last, (key, entries) in self._automaton.iter(text):
            start = last - len(key) + 1
            if _latin_boundary_ok(text, start, last + 1, key):
                hits.extend((idx, start, last + 1) for idx in entries)
        return hits

    def _pattern_hits(self, text: str) -> list[tuple[int, int, int]]:
        hits = []
        for position in self._prefilter.candidates(text):
            idx, pattern = self._patterns[position]
            for m in pattern.finditer(text):
                if m.end() > m.start():
                    hits.append((idx, m.start(), m.end()))
        return hits

    def _denied(self, text: str, start: int, end: int | None = None) -> bool:
        """True when the words around the term, inside its clause, deny the claim or only
        mention the word ("will not treat eczema", 不能代替药物, 看到“一周瘦十斤”这种广告):
        the rulebook's context/denials.yaml. A clause about other products ("other creams
        won't cure eczema") is a comparison, not a denial. A quoted term listed after a
        quoted term that is only mentioned is mentioned too: 不允许说“最”和“第一”."""
        window = _CLAUSE_BREAK.split(text[max(0, start - 60) : start])[-1]
        if self._others is not None and self._others.search(window):
            return False
        if self._denial is not None and self._denial.search(window):
            return True
        if end is not None and self._denial_after is not None:
            after = self._denial_after.match(text, end, end + 40)
            # a closing quote after the term needs its opening quote before it: "rivals' hype"
            # is a possessive, not the quoted term
            if after and (not _QUOTES.search(after.group()) or _quote_opened(window)):
                return True
        listed = _QUOTED_LIST.search(window)
        if listed:  # the quoted term before this one decides
            previous = start - len(window) + listed.start(1)
            return self._denied(text, previous, start - len(window) + listed.end(1))
        return False

    @staticmethod
    def _exempt_spans(compiled: _CompiledRule, text: str) -> list[tuple[int, int]]:
        """Every span of the text that one of the rule's exemptions covers; a hit that
        overlaps one is exempt."""
        spans = []
        for phrase in compiled.exemptions:
            pos = text.find(phrase)
            while pos != -1:
                spans.append((pos, pos + len(phrase)))
                pos = text.find(phrase, pos + 1)
        for pattern in compiled.exemption_patterns:
            spans += [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]
        return spans

    @staticmethod
    def _clearance(
        compiled: _CompiledRule, text: str, evidence: Mapping[str, str] | None
    ) -> str | None:
        rule = compiled.rule
        if rule.severity == "require_evidence" and evidence:
            for key in rule.evidence_keys:
                if evidence.get(key):
                    return f"evidence:{key}: {evidence[key]}"
        if rule.severity == "require_qualifier":
            for qualifier in compiled.qualifiers:
                if qualifier in text:
                    return f"qualifier: {qualifier}"
        return None


EXEMPT_COVER = 0.5  # share of a semantic hit an exemption must cover to clear it


def _covered_share(spans: Sequence[tuple[int, int]], start: int, end: int) -> float:
    """The share of [start, end) that the spans cover (overlaps counted once)."""
    if end <= start:
        return 0.0
    covered: set[int] = set()
    for a, b in spans:
        covered.update(range(max(a, start), min(b, end)))
    return len(covered) / (end - start)


# a quoted term, a list word and the opening quote of the next term: “最”和“  'the best' or '
# (not a comma: “便宜”，“最好”才是大家的评价 starts a new clause with a claim)
_QUOTED_LIST = re.compile(
    r"[“\"「‘']([^“\"「‘'”」’]{1,20})[”\"」’']\s*(?:和|与|、|或|或者|以及|及|\band\b|\bor\b|\bnor\b)\s*[“\"「‘']$"
)
_QUOTES = re.compile("[“”\"「」‘’']")


def _quote_opened(window: str) -> bool:
    """True when the last quote mark before the term opens a quotation: “最, 'Best, 'the best
    (not the closing ” of an earlier quote, and not the apostrophe in "rivals'")."""
    marks = list(_QUOTES.finditer(window))
    if not marks:
        return False
    mark = marks[-1].group()
    if mark in "“「‘":
        return True
    if mark in "”」’":
        return False
    at = marks[-1].start()  # an ASCII ' or ": opening where a word does not end right before it
    return at == 0 or not window[at - 1].isalnum()


_CLAUSE_BREAK = re.compile(r"[.;:!?。；：！？]|\bbut\b|(?<!not )\byet\b|但|却")


def _latin_boundary_ok(text: str, start: int, end: int, key: str) -> bool:
    """Latin terms match whole words only; CJK terms match anywhere."""
    if key[0].isascii() and key[0].isalnum() and start > 0 and _WORD.match(text[start - 1]):
        return False
    return not (
        key[-1].isascii() and key[-1].isalnum() and end < len(text) and _WORD.match(text[end])
    )

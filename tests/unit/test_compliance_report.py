"""The golden report's approved-copy count: blocks on copy a brand lead rated 4-5."""

from __future__ import annotations

from agents.compliance.checker import ComplianceChecker
from eval.golden.compliance_report import approved_copy
from knowledge.rulebook import JURISDICTIONS, Rulebook


class _BlockEverything:
    """A checker that blocks every copy, so the count and the list cannot be empty."""

    def __init__(self, real: ComplianceChecker) -> None:
        self.real = real

    def check(self, text, category, evidence, jurisdictions):
        return self.real.check("This balm cures eczema.", category, evidence, jurisdictions)


def test_approved_copy_counts_blocks_on_copy_a_brand_lead_approved(capsys):
    rules = ComplianceChecker(Rulebook(), JURISDICTIONS)
    approved_copy([("rules", rules), ("everything", _BlockEverything(rules))], listed=True)
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("**")]
    rules_line, everything_line = lines
    total = int(everything_line.split(" of ")[1].split()[0])
    assert total >= 900  # every calibration item rated 4 or 5
    assert everything_line.startswith(f"**everything**: {total} of {total}")
    blocked = int(rules_line.split(": ")[1].split()[0])
    assert blocked < total * 0.05, rules_line  # the rules block few approved copies
    assert out.count("- ") >= total  # the list names each blocked copy

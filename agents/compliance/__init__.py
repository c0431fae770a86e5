"""The compliance checker: rulebook-driven detection of risky claims, failing closed.

The graph node lives in ``agents.compliance.node``.
"""

from agents.compliance.checker import CheckResult, ComplianceChecker, Finding

__all__ = ["CheckResult", "ComplianceChecker", "Finding"]

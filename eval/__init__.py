"""The eval harness: suites (JSONL), metrics, the regression runner, reports and baselines."""

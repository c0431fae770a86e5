"""The calibration files: dev* splits tune the critic, every other split stays held back."""

from __future__ import annotations

from collections import Counter

from eval.critic_report import DEFAULT_SET, is_dev, load_items


def test_only_dev_splits_are_tuned_on():
    assert all(is_dev(s) for s in ("dev", "dev2", "dev3", "dev4"))
    # heldout4 became dev4; a heldout5 file dropped in later is held back without code changes
    assert not any(is_dev(s) for s in ("heldout", "heldout4", "heldout5", "test"))


def test_calibration_items_have_unique_ids_and_their_files_split():
    items = [i for p in sorted(DEFAULT_SET.parent.glob("*.jsonl")) for i in load_items(p)]
    assert not [k for k, n in Counter(i["id"] for i in items).items() if n > 1]
    dev4 = load_items(DEFAULT_SET.parent / "critic_dev4.jsonl")
    assert len(dev4) == 70 and {i["split"] for i in dev4} == {"dev4"}
    assert all(i["id"].startswith("h4-") for i in dev4)

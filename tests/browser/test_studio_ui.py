"""The studio in a real browser: write copy, stream tokens, review, audit, restart.

The tests run in order and share one server and database, as a day at work would: a
copywriter writes copy, a risky run lands in the legal queue, the server restarts, and a
reviewer edits and approves the paused run, which finishes from its checkpoint.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from tests.browser.conftest import USERS

pytestmark = pytest.mark.browser

FINAL = re.compile(r"Approved by the critic|Revision budget used up|Sent to legal review")
# Chinese product whose name carries an absolute superlative (Advertising Law Art. 9): every
# draft the studio can write names the product, so the run must end in legal review.
RISKY_FACTS = {
    "name": "全网销量第一保温杯",
    "category": "drinkware",
    "language": "zh",
    "price": 129.0,
    "facts": {"容量": "500毫升", "材质": "304不锈钢", "保温": "12小时"},
}
CLEAN_EDIT = "蕨山保温杯，500毫升，304不锈钢，保温12小时。点击了解更多。"
SHARED: dict[str, Any] = {}


def login(browser: Any, server: Any, name: str) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.goto(server.url)
    page.get_by_label("username").fill(name)
    page.get_by_label("password").fill(USERS[name][1])
    page.get_by_role("button", name="Login").click()
    page.locator("#header").get_by_text(f"signed in as {name}").wait_for(timeout=60_000)
    return page


def field(page: Any, elem_id: str) -> Any:
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


def status(page: Any) -> str:
    return str(page.locator("#status").inner_text())


def send(page: Any, text: str) -> None:
    field(page, "message").fill(text)
    page.locator("#send").click()


def wait_for_text(page: Any, selector: str, pattern: str, timeout_s: float) -> str:
    deadline = time.monotonic() + timeout_s
    text = ""
    while time.monotonic() < deadline:
        text = str(page.locator(selector).inner_text())
        if re.search(pattern, text):
            return text
        time.sleep(0.5)
    raise AssertionError(f"{selector} never matched {pattern!r}; last text: {text!r}")


def test_a_copywriter_writes_copy_and_sees_tokens_stream(browser, server, screenshots):
    page = login(browser, server, "carl")
    send(page, "Product page copy for hikers who want a light bottle")
    wait_for_text(page, "#status", "Working", 60)
    seen: list[str] = []
    deadline = time.monotonic() + 420
    while time.monotonic() < deadline and not FINAL.search(status(page)):
        value = field(page, "draft-stream").input_value()
        if value.strip() and (not seen or value != seen[-1]):
            seen.append(value)
        time.sleep(0.25)
    assert FINAL.search(status(page)), status(page)
    growing = [v for a, v in zip(seen, seen[1:], strict=False) if v.startswith(a.strip()[:20])]
    assert len(seen) >= 3 and growing, f"tokens did not stream: {seen[:5]}"
    copy = field(page, "final-copy").input_value()
    assert len(copy) > 40
    assert copy in page.locator("#chat").inner_text().replace("\n", " ") or copy[:30] in (
        page.locator("#chat").inner_text()
    )
    assert re.search(r"overall \*{0,2}\d\.\d\d", page.locator("#scores").inner_text())
    assert "Examples" in page.locator("#activity").inner_text()
    page.screenshot(path=str(screenshots / "chat.png"), full_page=True)
    SHARED["first_copy"] = copy
    SHARED["carl"] = page


def test_a_follow_up_revises_in_the_same_conversation(browser, server):
    page = SHARED["carl"]
    send(page, "shorter and warmer")
    wait_for_text(page, "#status", "Working", 60)
    wait_for_text(page, "#status", FINAL.pattern, 420)
    chat = page.locator("#chat").inner_text()
    assert "shorter and warmer" in chat and "Product page copy for hikers" in chat
    assert "adjust: shorter, warmer" in page.locator("#activity").inner_text()


def test_bad_input_gets_a_visible_message_not_a_stack_trace(browser, server):
    page = SHARED["carl"]
    send(page, "   ")
    wait_for_text(page, "#status", "Type a request first", 30)
    send(page, "x" * 2500)
    wait_for_text(page, "#status", "keep it under 2,000", 30)
    assert field(page, "message").input_value() == "x" * 2500  # nothing lost
    page.get_by_text("…or paste product facts (JSON)").click()
    field(page, "pasted-facts").fill('{"name": "Broken", "facts": ')
    send(page, "Copy please")
    text = wait_for_text(page, "#status", "not valid JSON", 30)
    assert "Traceback" not in page.content() and "Traceback" not in text
    field(page, "pasted-facts").fill("")


def test_a_run_that_needs_legal_review_lands_in_the_queue(browser, server):
    page = login(browser, server, "carl")
    page.get_by_text("…or paste product facts (JSON)").click()
    field(page, "pasted-facts").fill(json.dumps(RISKY_FACTS, ensure_ascii=False))
    send(page, "写一段详情页文案")
    wait_for_text(page, "#status", "Working", 60)
    status_text = wait_for_text(page, "#status", "Sent to legal review", 600)
    # the name carries the claim, so no revision round is spent before escalating
    assert "name itself carries CN-AD-9-3-superlative" in status_text
    assert "<mark" in page.locator("#copy-view").inner_html()
    assert "CN-AD-9-3-superlative" in page.locator("#findings").inner_text()
    page.get_by_role("tab", name="Review queue").click()
    page.locator("#refresh-queue").click()
    wait_for_text(page, "#queue", "全网销量第一保温杯", 30)
    assert page.locator("#approve").is_disabled()  # a copywriter cannot approve
    assert page.locator("#edit-approve").is_disabled() and page.locator("#reject").is_disabled()
    assert "Only reviewers can decide" in page.locator("#role-note").inner_text()


def test_the_queue_survives_a_restart_and_a_reviewer_edits_and_approves(
    browser, server, screenshots
):
    server.stop()  # as a crash would: no clean shutdown
    server.start()
    page = login(browser, server, "rita")
    page.get_by_role("tab", name="Review queue").click()
    wait_for_text(page, "#queue", "全网销量第一保温杯", 60)
    wait_for_text(page, "#item-status", "pending", 30)
    assert "CN-AD-9-3-superlative" in page.locator("#item-view").inner_html()
    findings = page.locator("#item-findings").inner_text()
    assert "Advertising Law" in findings and "绝对化" in findings  # legal basis and remedy
    assert "Evidence on file" in page.locator("#item-evidence").inner_text()
    page.screenshot(path=str(screenshots / "review-queue.png"), full_page=True)
    field(page, "review-comment").fill("")
    page.locator("#approve").click()
    wait_for_text(page, "#review-status", "comment is required", 30)
    field(page, "review-edit").fill(RISKY_FACTS["name"] + "，500毫升。")
    field(page, "review-comment").fill("edit keeps the superlative")
    page.locator("#edit-approve").click()
    wait_for_text(page, "#review-status", "still has 1 blocking finding", 60)
    field(page, "review-edit").fill(CLEAN_EDIT)
    field(page, "review-comment").fill("removed the unprovable sales ranking")
    page.locator("#edit-approve").click()
    wait_for_text(page, "#review-status", r"approved by rita", 300)
    page.get_by_role("tab", name="Audit trail").click()
    page.locator("#refresh-audit").click()
    audit = wait_for_text(page, "#audit", "removed the unprovable sales ranking", 30)
    assert "rita" in audit and "reviewer" in audit and "edit" in audit


def test_two_people_never_see_each_others_threads(browser, server):
    page = login(browser, server, "rita")
    page.get_by_role("tab", name="My runs").click()
    page.locator("#refresh-runs").click()
    time.sleep(2)
    assert "全网销量第一保温杯" not in page.locator("#runs").inner_text()
    carl = login(browser, server, "carl")
    carl.get_by_role("tab", name="My runs").click()
    carl.locator("#refresh-runs").click()
    runs = wait_for_text(carl, "#runs", "全网销量第一保温杯", 30)
    assert "needs_legal_review" in runs and "done" in runs

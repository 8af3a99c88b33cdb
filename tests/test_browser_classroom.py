"""Classroom mode in a real browser (Debian's chromium via Playwright): the teacher's board on a
projector-sized window and a group in another browser context. The group joins and submits;
the board shows the deal by itself (its fragment refreshes), then the teacher reveals."""

from __future__ import annotations

import re

import pytest

from classroom.store import DATABASE_URL_ENV, ClassStore
from components.verdicts import VERDICT_WORDS
from engine.evaluate import evaluate

from .conftest import running_app
from .test_browser import CHROMIUM, TIMEOUT_MS

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (CI installs it)")


@pytest.fixture(scope="module")
def class_app(tmp_path_factory):
    db_url = f"sqlite:///{tmp_path_factory.mktemp('classdb')}/classes.sqlite3"
    with running_app({DATABASE_URL_ENV: db_url}) as base:
        store = ClassStore(db_url)
        yield base, store
        store.dispose()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


def test_a_group_submits_and_the_teachers_board_shows_it_then_reveals(class_app, browser, corpus):
    from playwright.sync_api import expect

    base, store = class_app
    info, key = store.create_class("Browser class")
    teacher = browser.new_context(viewport={"width": 1920, "height": 1080})
    board = teacher.new_page()
    board.goto(f"{base}/?view=board&class={info.code}&teacher={key}", timeout=TIMEOUT_MS)
    expect(board.get_by_text(f"Join code: {info.code}")).to_be_visible(timeout=TIMEOUT_MS)
    expect(board.get_by_text("No deal yet")).to_be_visible(timeout=TIMEOUT_MS)
    # The projector's board has no sidebar.
    assert board.locator('[data-testid="stSidebar"]').count() == 0 or not board.locator('[data-testid="stSidebar"]').is_visible()

    group_ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    group = group_ctx.new_page()
    group.goto(f"{base}/?view=class&class={info.code}&preset=kyiv_terms", timeout=TIMEOUT_MS)
    group.get_by_label("Group name (no personal names)").fill("Window seat")
    group.get_by_role("button", name=re.compile("Join")).click()
    expect(group.get_by_text("Group “Window seat”")).to_be_visible(timeout=TIMEOUT_MS)
    # The teacher link's key is in neither the group's address bar nor its page.
    assert key not in group.url and key not in group.content()
    group.get_by_label(re.compile("could live with this deal")).fill("Kyiv keeps its army.")
    group.get_by_role("button", name=re.compile("Submit our deal")).click()
    expect(group.get_by_text("4 · On the board")).to_be_visible(timeout=TIMEOUT_MS)

    # No click on the board: its fragment refreshes and the deal appears.
    card = board.locator(".st-key-deal_" + store.groups(info.id)[0].id)
    expect(card).to_contain_text("Window seat", timeout=TIMEOUT_MS)
    expect(card).to_contain_text("▒▒▒", timeout=TIMEOUT_MS)

    board.get_by_role("button", name=re.compile("Reveal the verdicts")).click()
    ev = evaluate(corpus, corpus.preset("kyiv_terms").scenario)
    for sd in ev.sides:
        expect(card).to_contain_text(VERDICT_WORDS[sd.verdict], timeout=TIMEOUT_MS)
    # Projector-sized text on the board.
    size = card.locator("p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 20
    group_ctx.close()
    teacher.close()

"""The main path in a real browser: headless Chromium (Debian's `chromium`) driven by Playwright.

Open a preset's link, change a term, see the verdicts and the address change, then open the
link the app offers for copying in a fresh browser context and see the same view.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from components.verdicts import VERDICT_WORDS
from engine.evaluate import evaluate

from .conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (CI installs it)")
TIMEOUT_MS = 60_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    port = _free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                pytest.fail(f"streamlit did not start:\n{out}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


def _card(page, side_id: str):
    return page.locator(f".st-key-card_{side_id}")


def _wait_until_idle(page) -> None:
    """Wait for the app to finish its run: every card drawn in full, no run in progress."""
    from playwright.sync_api import expect

    page.wait_for_selector(".st-key-card_russia", timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS
    )
    for card in page.locator("[class*='st-key-card_']").all():
        expect(card).to_contain_text("Weighted share met", timeout=TIMEOUT_MS)


def _checked_option(page, term_id: str) -> str:
    radio = page.locator(f".st-key-term__{term_id}")
    return radio.locator("label:has(input:checked)").inner_text().strip()


def _verdicts(page, corpus) -> dict[str, str]:
    return {sd.id: " ".join(_card(page, sd.id).inner_text().split()) for sd in corpus.sides}


def test_change_a_term_and_share_the_link(app_url, browser, corpus):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{app_url}/?preset=kremlin_terms", timeout=TIMEOUT_MS)
    _wait_until_idle(page)

    preset = corpus.preset("kremlin_terms").scenario
    before = evaluate(corpus, preset)
    from playwright.sync_api import expect

    for sd in before.sides:
        expect(_card(page, sd.id)).to_contain_text(VERDICT_WORDS[sd.verdict], timeout=TIMEOUT_MS)
    # The app writes the whole scenario into the address bar.
    page.wait_for_url(re.compile(r".*territory=recognise_all_annexed.*"), timeout=TIMEOUT_MS)
    assert "preset=kremlin_terms" in page.url
    url_before = page.url

    # Change a term whose change alters a verdict.
    target = "restore_1991"
    after = evaluate(corpus, {**preset, "territory": target})
    changed = [sd.id for sd in after.sides if sd.verdict != before.side(sd.id).verdict]
    assert changed, "restoring the 1991 borders should change some side's verdict under the Kremlin's terms"
    label = corpus.term("territory").option(target).label
    page.locator(".st-key-term__territory").get_by_text(label, exact=True).click()

    side = changed[0]
    expect(_card(page, side)).to_contain_text(VERDICT_WORDS[after.side(side).verdict], timeout=TIMEOUT_MS)
    page.wait_for_url(re.compile(rf".*territory={target}.*"), timeout=TIMEOUT_MS)
    assert page.url != url_before
    _wait_until_idle(page)
    verdicts = _verdicts(page, corpus)
    for sd in after.sides:
        assert VERDICT_WORDS[sd.verdict] in verdicts[sd.id]

    # The link offered for copying holds the same view.
    page.get_by_role("button", name=re.compile("Copy link")).click()
    code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"] code').first
    expect(code).to_contain_text(f"territory={target}", timeout=TIMEOUT_MS)
    link = code.inner_text().strip()
    assert link.startswith(app_url), link
    assert "preset=kremlin_terms" in link and "view=build" in link

    fresh_context = browser.new_context(viewport={"width": 1366, "height": 900})
    fresh = fresh_context.new_page()
    fresh.goto(link, timeout=TIMEOUT_MS)
    _wait_until_idle(fresh)
    for sd in after.sides:
        expect(_card(fresh, sd.id)).to_contain_text(VERDICT_WORDS[sd.verdict], timeout=TIMEOUT_MS)
    assert _verdicts(fresh, corpus) == verdicts
    assert _checked_option(fresh, "territory") == label
    for t in ("neutrality", "sanctions"):
        assert _checked_option(fresh, t) == corpus.term(t).option(preset[t]).label
    fresh_context.close()
    context.close()


def test_markup_in_a_link_is_named_not_rendered(app_url, browser):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{app_url}/?territory=[click](https://evil.example)&junk=![x](https://evil.example/x.png)", timeout=TIMEOUT_MS)
    _wait_until_idle(page)
    notice = page.locator('[data-testid="stAlertContentWarning"]')
    expect(notice).to_contain_text("'junk'", timeout=TIMEOUT_MS)
    # Shown as typed (an invisible word joiner keeps GFM from linking the bare address)...
    shown = notice.inner_text().replace("\u2060", "")
    assert "'[click](https://evil.example)'" in shown
    # ...and never as a link or an image, there or anywhere on the page.
    assert page.locator('a[href*="evil.example"]').count() == 0
    assert page.locator('img[src*="evil.example"]').count() == 0
    context.close()

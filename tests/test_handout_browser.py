"""The printable handout (issue 9 §9) printed by a real Chromium: one or two pages for every
starting point and the baseline, on A4 and on Letter. Reuses tests/test_browser.py's browser."""

from __future__ import annotations

import re

import pytest

from engine import tables
from engine.handout import handout_html

from .test_browser import CHROMIUM, TIMEOUT_MS, _wait_until_idle, app_url, browser  # noqa: F401  (its fixtures)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (CI installs it)")
PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


def pages(pdf: bytes) -> int:
    """Pages in a PDF: its page objects (Chromium writes one `/Type /Page` per page)."""
    return len(PAGE.findall(pdf))


def _scenarios(corpus):
    yield None, corpus.default_scenario()
    for p in corpus.presets:
        yield p.id, p.scenario
    # A preset with changes: the longest title and the changed marks.
    k = corpus.preset("kremlin_terms").scenario
    yield "kremlin_terms", {**k, "territory": "restore_1991", "sanctions": "kept"}


def test_the_handout_prints_on_one_or_two_pages(browser, corpus):  # noqa: F811
    page = browser.new_page()
    try:
        for preset, sc in _scenarios(corpus):
            title = tables.scenario_title(corpus, sc, preset)
            # A long link, as today's addresses are (every term, the view and a comparison).
            link = "http://localhost:8501/?" + "&".join(f"{k}={v}" for k, v in sc.items()) + "&view=build&compare=current,kyiv_terms,us_ceasefire"
            page.set_content(handout_html(corpus, sc, preset, title=title, link=link))
            for fmt in ("A4", "Letter"):
                n = pages(page.pdf(format=fmt, print_background=True))
                assert 1 <= n <= 2, f"{title} on {fmt}: {n} pages"
    finally:
        page.close()


def test_page_counter_reads_chromium_pdfs(browser):  # noqa: F811
    page = browser.new_page()
    try:
        page.set_content("<p>one</p>")
        assert pages(page.pdf(format="A4")) == 1
        page.set_content("<p style='break-after:page'>one</p><p>two</p>")
        assert pages(page.pdf(format="A4")) == 2
    finally:
        page.close()


def test_the_handout_reads_on_a_phone_without_sideways_scrolling(browser, corpus):  # noqa: F811
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        sc = corpus.preset("kremlin_terms").scenario
        page.set_content(handout_html(corpus, sc, "kremlin_terms", title="The Kremlin's terms", link="http://localhost:8501/?preset=kremlin_terms"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        page.close()


def test_the_header_downloads_the_handout(app_url, browser, corpus):  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?preset=kyiv_terms", timeout=TIMEOUT_MS)
        _wait_until_idle(page)
        with page.expect_download(timeout=TIMEOUT_MS) as info:
            # In the header's "Copy link · Download" (on every view).
            page.get_by_role("button", name=re.compile("Copy link")).click()
            page.locator(".st-key-dl_handout_share").get_by_role("button", name=re.compile("Handout to print")).click()
        download = info.value
        assert download.suggested_filename == "kyiv_terms-handout.html"
        html = open(download.path(), encoding="utf-8").read()
        assert html.startswith("<!doctype html>") and corpus.data_version in html
        assert "preset=kyiv_terms" in html  # the link that reopens the view
        page.set_content(html)
        assert 1 <= pages(page.pdf(format="A4")) <= 2
    finally:
        context.close()

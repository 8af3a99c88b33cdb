"""The app in a real browser: headless Chromium (Debian's `chromium`) driven by Playwright.

The main path (open a preset's link, change a term, see the verdicts and the address change,
open the short link the app offers for copying in a fresh browser and see the same view); Back,
Forward and reload; a shared link on a phone; present mode on a projector and zoomed; the page
icon with no network; and axe-core on every view at laptop and phone sizes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from components.verdicts import VERDICT_WORDS
from engine.evaluate import evaluate

from .conftest import running_app

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (CI installs it)")
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def app_url():
    with running_app() as base:
        yield base


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
    return page.locator(f"#card-{side_id}")


def _wait_until_idle(page) -> None:
    """Wait for the app to finish its run: every card drawn in full, no run in progress."""
    from playwright.sync_api import expect

    page.wait_for_selector("#card-russia", timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS
    )
    for card in page.locator(".pte-card").all():
        expect(card).to_contain_text("Weighted share met", timeout=TIMEOUT_MS)


def _checked_option(page, term_id: str) -> str:
    radio = page.locator(f".st-key-term__{term_id}")
    return radio.locator("label:has(input:checked)").inner_text().strip()


def _verdicts(page, corpus) -> dict[str, str]:
    # The card's text (its box in the cards' Markdown block; the apply buttons are under the cards).
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
    # The link says the whole view: the preset alone, as given.
    assert page.url == f"{app_url}/?preset=kremlin_terms"
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
    # Short: only what differs from the preset and the defaults.
    assert link == f"{app_url}/?preset=kremlin_terms&territory={target}", link

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


# --- Issue #9: Back/Forward, the phone, present mode, short links, offline, axe ---------------------

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}


def _settled(page) -> None:
    """Wait for the run to finish and the page to be drawn (no skeleton, nothing stale)."""
    page.wait_for_selector('[data-testid="stMainBlockContainer"]', timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-testid=\"stSkeleton\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')",
        timeout=TIMEOUT_MS,
    )
    page.wait_for_timeout(300)


def _pick(page, corpus, term_id: str, option_id: str) -> None:
    page.locator(f".st-key-term__{term_id}").get_by_text(corpus.term(term_id).option(option_id).label, exact=True).click()
    page.wait_for_url(re.compile(rf".*{term_id}={option_id}.*"), timeout=TIMEOUT_MS)
    _settled(page)


def test_back_undoes_a_change_forward_redoes_it_reload_keeps_it(app_url, browser, corpus):
    context = browser.new_context(**LAPTOP)
    page = context.new_page()
    page.goto(f"{app_url}/?preset=kremlin_terms", timeout=TIMEOUT_MS)
    _wait_until_idle(page)
    preset = corpus.preset("kremlin_terms").scenario
    label = lambda t, o: corpus.term(t).option(o).label  # noqa: E731

    _pick(page, corpus, "territory", "freeze_line")
    _pick(page, corpus, "neutrality", "nato_membership")
    assert page.url == f"{app_url}/?preset=kremlin_terms&territory=freeze_line&neutrality=nato_membership"

    page.go_back()
    page.wait_for_url(f"{app_url}/?preset=kremlin_terms&territory=freeze_line", timeout=TIMEOUT_MS)
    _settled(page)
    assert _checked_option(page, "neutrality") == label("neutrality", preset["neutrality"])
    assert _checked_option(page, "territory") == label("territory", "freeze_line")

    page.go_back()
    page.wait_for_url(f"{app_url}/?preset=kremlin_terms", timeout=TIMEOUT_MS)
    _settled(page)
    assert _checked_option(page, "territory") == label("territory", preset["territory"])

    page.go_forward()
    page.wait_for_url(f"{app_url}/?preset=kremlin_terms&territory=freeze_line", timeout=TIMEOUT_MS)
    _settled(page)
    assert _checked_option(page, "territory") == label("territory", "freeze_line")
    assert _checked_option(page, "neutrality") == label("neutrality", preset["neutrality"])

    # A view change is a step too, and a reload keeps the view.
    page.locator(".st-key-view").get_by_role("radio", name="Compare", exact=True).click()
    page.wait_for_url(re.compile(r".*view=compare.*"), timeout=TIMEOUT_MS)
    _settled(page)
    page.reload()
    _settled(page)
    assert "view=compare" in page.url
    expect_heading = page.get_by_role("heading", name="Compare scenarios")
    from playwright.sync_api import expect

    expect(expect_heading).to_be_visible(timeout=TIMEOUT_MS)
    page.go_back()
    page.wait_for_url(f"{app_url}/?preset=kremlin_terms&territory=freeze_line", timeout=TIMEOUT_MS)
    _wait_until_idle(page)
    # The page's title, icon and wide layout are sent on a session's first run only: every
    # rerun since has kept them.
    assert page.title() == "Peace Terms Explorer"
    assert page.evaluate("() => [...document.querySelectorAll('link[rel~=\"icon\"]')].pop().href").endswith("/app/static/icon.png")
    assert page.locator('[data-testid="stMainBlockContainer"]').bounding_box()["width"] > 1000  # wide, not 736 px
    context.close()


def test_a_shared_link_on_a_phone_shows_the_result_first(app_url, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{app_url}/?preset=kyiv_terms&territory=freeze_line", timeout=TIMEOUT_MS)
    _wait_until_idle(page)
    sidebar = page.locator('section[data-testid="stSidebar"]')
    assert sidebar.get_attribute("data-collapsed") == "true"
    box = sidebar.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0, box  # off screen
    # The first card is on the first screen, and nothing scrolls sideways.
    card = _card(page, "russia").bounding_box()
    assert card and card["y"] < 844 and card["x"] >= 0 and card["x"] + card["width"] <= 390
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    # The copy button of the link is there without hovering (a touch screen cannot hover).
    page.get_by_role("button", name=re.compile("Copy link")).click()
    copy = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"] button[aria-label="Copy to clipboard"]')
    copy.wait_for(state="attached", timeout=TIMEOUT_MS)
    assert copy.evaluate("e => getComputedStyle(e).visibility") == "visible"
    assert copy.is_visible()
    context.close()


def _font_px(locator) -> float:
    return float(locator.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


@pytest.mark.parametrize("zoom", [1, 1.5, 2])
def test_present_mode_is_large_unclipped_and_wraps_the_cards(app_url, browser, corpus, zoom):
    # Browser zoom at 1920x1080: the page gets 1920/zoom CSS pixels, drawn at `zoom` device pixels each.
    context = browser.new_context(viewport={"width": round(1920 / zoom), "height": round(1080 / zoom)}, device_scale_factor=zoom)
    page = context.new_page()
    page.goto(f"{app_url}/?preset=kremlin_terms&present=1", timeout=TIMEOUT_MS)
    _wait_until_idle(page)
    _settled(page)
    assert not page.locator('section[data-testid="stSidebar"]').is_visible()
    assert page.get_by_role("button", name="Next").is_visible()
    for sd in corpus.sides:
        text = _card(page, sd.id).locator("p").first
        assert _font_px(text) >= 20, sd.id
    for caption in page.locator('[data-testid="stCaptionContainer"]').all()[:5]:
        assert _font_px(caption) >= 20
    # Small print in Markdown (the note under the cards) too.
    note = page.get_by_text("Headline: our graded words", exact=False).first
    assert _font_px(note) >= 20
    boxes = [_card(page, sd.id).bounding_box() for sd in corpus.sides]
    columns = len({round(b["x"]) for b in boxes})
    assert columns == (4 if zoom == 1 else 2), boxes
    if zoom == 1:  # the verdicts on the first screen
        assert all(b["y"] + b["height"] <= 1080 for b in boxes), boxes
    # Nothing clipped or scrolling sideways; no word runs out of its card.
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('.pte-card :is(h3, h4, p)')]
               .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
    )
    assert overflowing == []
    context.close()


def test_the_page_icon_is_the_apps_own_and_works_offline(app_url, browser):
    context = browser.new_context(**LAPTOP)
    page = context.new_page()
    elsewhere: list[str] = []

    def only_the_app(route):
        if route.request.url.startswith(app_url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_app)
    page.goto(f"{app_url}/?preset=kremlin_terms", timeout=TIMEOUT_MS)
    _wait_until_idle(page)
    href = page.evaluate("() => [...document.querySelectorAll('link[rel~=\"icon\"]')].map(l => l.href).pop()")
    assert href and href.startswith(app_url), href
    status, kind = page.evaluate("async u => { const r = await fetch(u); return [r.status, r.headers.get('content-type')]; }", href)
    assert status == 200 and kind.startswith("image/")
    assert elsewhere == [], elsewhere
    context.close()


AXE_VIEWS = {
    "build": "?preset=kremlin_terms",
    "predictions": "?preset=kremlin_terms&show=predictions",
    "chart": "?preset=kremlin_terms&show=chart",
    "scenario": "?preset=kremlin_terms&show=scenario",
    "compare": "?view=compare",
    "landscape": "?view=landscape",
    "sources": "?view=sources",
    "quotes": "?view=sources&show=quotes&q=neutrality",
    "method": "?view=method",
    "present": "?preset=kremlin_terms&present=1",
}


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_axe_finds_no_serious_violation_on_any_view(app_url, browser, size):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(**(PHONE if size == "phone" else LAPTOP))
    found = {}
    for name, query in AXE_VIEWS.items():
        page = context.new_page()
        page.goto(f"{app_url}/{query}", timeout=TIMEOUT_MS)
        _settled(page)
        page.wait_for_timeout(1000)
        _settled(page)
        result = axe.run(page)
        bad = [v for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
        if bad:
            found[name] = [(v["id"], [n["target"] for n in v["nodes"][:3]], v["nodes"][0]["failureSummary"][:300]) for v in bad]
        page.close()
    context.close()
    assert found == {}, found

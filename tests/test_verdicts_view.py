"""Issue 9 §5–§7, §9 in the build view (AppTest) and the engine: graded verdicts, what moved,
predictions by outcome, "what would it take" with one click to apply, and the handout."""

from __future__ import annotations

import re

import pytest

from components.text import md
from engine.evaluate import (
    GRADE_LABEL,
    disagreements_here,
    evaluate,
    grade,
    moved,
    moved_words,
    predictions_by_outcome,
)
from engine.handout import handout_html
from engine.landscape import what_would_it_take

from .test_app import card, open_app, texts, term_radio, url


# --- Graded words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "verdict, share, crossed, expected",
    [
        ("red_line_crossed", 0.9, 1, "Crosses a red line"),
        ("red_line_crossed", 0.0, 3, "Crosses 3 red lines"),
        ("all_demands_met", 1.0, 0, "Meets every demand"),
        ("some_demands_unmet", 0.98, 0, "Most demands met"),
        ("some_demands_unmet", 2 / 3, 0, "Most demands met"),
        ("some_demands_unmet", 0.5, 0, "Some demands met"),
        ("some_demands_unmet", 0.2, 0, "Few demands met"),
        ("some_demands_unmet", 0.0, 0, "None of its demands met"),
        ("no_demands", 0.0, 0, "No demands on record"),
    ],
)
def test_grade_words_follow_the_weighted_share(verdict, share, crossed, expected):
    assert grade(verdict, share, crossed)[1] == expected


def test_98_and_0_percent_never_read_the_same(corpus):
    ev = evaluate(corpus, corpus.preset("kremlin_terms").scenario)
    russia, europe = ev.side("russia"), ev.side("europe")
    # The case: the same verdict id for 98% and 0% ...
    assert russia.verdict == europe.verdict == "some_demands_unmet"
    assert russia.satisfaction > 0.9 and europe.satisfaction == 0
    # ... now graded apart, the verdict ids and labels unchanged (a contract).
    assert (russia.grade, europe.grade) == ("most_met", "none_met")
    assert russia.verdict_label == europe.verdict_label == "No red line crossed; some demands unmet"


def test_every_card_shows_its_graded_words_and_counts_in_positions(corpus):
    for preset in corpus.preset_ids:
        at = open_app(preset=preset)
        ev = evaluate(corpus, corpus.preset(preset).scenario)
        for sd in ev.sides:
            text = card(at, sd.name)
            assert md(sd.grade_label) in text
            assert f"Weighted share met: **{sd.satisfaction:.0%}**" in text
            n = len(sd.sources)
            assert f"reported by {n} source{'s' if n != 1 else ''}" in text
            assert f"On record on **{sd.terms_on_record} of {len(corpus.terms)}** terms" in text
    assert set(GRADE_LABEL) >= {sd.grade for sd in ev.sides}


# --- What moved ----------------------------------------------------------------------------------


def _moved_line(at) -> str:
    lines = [t for t in texts(at) if "What moved with your last change" in t]
    return lines[0] if lines else ""


def test_what_moved_after_a_change_until_the_next(corpus):
    at = open_app(preset="kremlin_terms")
    assert not _moved_line(at)  # nothing moved yet
    sc = corpus.preset("kremlin_terms").scenario
    term_radio(at, "territory").set_value("restore_1991").run()
    after = {**sc, "territory": "restore_1991"}
    words = moved_words(moved(evaluate(corpus, sc), evaluate(corpus, after)))
    assert "Ukraine: \u22122 red lines" in words
    assert md(words) in _moved_line(at)
    # Another rerun without a change (a side picked) keeps it ...
    at.segmented_control(key="side").set_value("ukraine").run()
    assert md(words) in _moved_line(at)
    # ... until the next change, which says what it moved.
    term_radio(at, "sanctions").set_value("kept").run()
    later = {**after, "sanctions": "kept"}
    words2 = moved_words(moved(evaluate(corpus, after), evaluate(corpus, later))) or "no verdict moved"
    assert md(words2) in _moved_line(at)


def test_moved_words_count_positions():
    from engine.evaluate import SideMove

    words = moved_words((SideMove("russia", "Russia", -1, 0, "a", "a"), SideMove("ukraine", "Ukraine", 0, 2, "x", "y")))
    assert words == "Russia: \u22121 red line · Ukraine: +2 demands met, now y"


# --- Predictions by outcome ----------------------------------------------------------------------


def test_predictions_by_outcome_one_row_per_analyst_and_outcome(corpus):
    ev = evaluate(corpus, corpus.preset("kremlin_terms").scenario)
    rows = predictions_by_outcome(ev)
    pairs = [(a.analyst, a.outcome) for r in rows for a in r.analysts]
    assert len(pairs) == len(set(pairs)) == len({(p.analyst, p.outcome) for p in ev.predictions})
    # Outcomes some analyst expects here come first.
    flags = [bool(r.predicted) for r in rows]
    assert flags == sorted(flags, reverse=True)
    for d in disagreements_here(corpus, ev):
        assert corpus.outcomes_exclude(d.a.outcome, d.b.outcome) and d.a.analyst != d.b.analyst
        for a in (d.a, d.b):  # own forecasts only
            assert any(p.own_forecast and p.match >= 1 for p in a.predictions)


def test_predictions_by_outcome_are_the_first_thing_under_the_verdicts(corpus):
    at = open_app(preset="kremlin_terms")
    values = texts(at)
    i = next(k for k, v in enumerate(values) if "#### What would follow: analysts' expected outcomes" in v)
    assert all("What each side said" not in v for v in values[:i])
    assert any("### Europe" in v and "pte-card" in v for v in values[:i])  # after the cards
    table = values[i][values[i].index("| Outcome (our label)"):].split("<details")[0]  # the rest is folded after it
    ev = evaluate(corpus, corpus.preset("kremlin_terms").scenario)
    here = [a for r in predictions_by_outcome(ev) for a in r.analysts if a.applies]
    assert len(re.findall(r"^\| ", table, re.M)) == len(here) + 1  # one row per analyst and outcome
    ascribed = [a for a in here if "ascribed" in a.kinds]
    assert ascribed, "the Kremlin's terms should meet some expectation an analyst ascribes to someone else"
    for a in ascribed:
        assert f"ascribed to {md(', '.join(a.holders))}" in table
    if disagreements_here(corpus, ev):
        assert any("Where analysts disagree" in v for v in values)


# --- What would it take --------------------------------------------------------------------------


def test_what_would_it_take_applies_in_one_click(corpus):
    sc = corpus.preset("kremlin_terms").scenario
    w = what_would_it_take(corpus, sc, "ukraine")
    assert w["possible"] and w["changes"]
    at = open_app(preset="kremlin_terms")
    assert "What would it take" in card(at, "Ukraine") or any("What would it take" in t for t in texts(at))
    row = at.pills(key="wwit_apply")
    assert any(o.endswith("Ukraine: 1 change") for o in row.options) and row.value is None
    row.set_value("ukraine").run()
    assert not at.exception
    q = url(at)
    from engine.app_query import read_app_query

    assert read_app_query(corpus, q).scenario == w["result"]  # the (short) link reads back as the result
    assert q["preset"] == "kremlin_terms"
    ev = evaluate(corpus, w["result"])
    assert not ev.side("ukraine").positions_crossed
    # The change is named in "what moved", the row no longer offers it, and nothing in it stays picked.
    assert md("Ukraine: \u22122 red lines") in _moved_line(at)
    rows = [p for p in at.pills if p.key == "wwit_apply"]
    assert all(p.value is None and not any("Ukraine" in o for o in p.options) for p in rows)


def test_no_apply_button_for_a_side_crossing_no_red_line(corpus):
    at = open_app(preset="kremlin_terms")
    ev = evaluate(corpus, corpus.preset("kremlin_terms").scenario)
    (row,) = [p for p in at.pills if p.key == "wwit_apply"]
    offered = {o.split(":")[-2].strip() for o in row.options}
    for sd in ev.sides:
        assert (sd.name in offered) == bool(sd.positions_crossed and what_would_it_take(corpus, ev.scenario, sd.id)["possible"])


# --- The handout ---------------------------------------------------------------------------------


def test_the_handout_carries_verdicts_quotes_link_and_version(corpus):
    sc = corpus.preset("kyiv_terms").scenario
    link = "http://localhost:8501/?preset=kyiv_terms&view=build"
    html = handout_html(corpus, sc, "kyiv_terms", title="Kyiv's terms", link=link)
    assert html.startswith("<!doctype html>") and "@media print" in html and "@page" in html
    assert "http://localhost:8501/?preset=kyiv_terms&amp;view=build" in html
    assert corpus.data_version in html
    ev = evaluate(corpus, sc)
    for sd in ev.sides:
        assert f"{sd.name}: <span class=\"grade\">{sd.grade_label}</span>".replace("'", "&#x27;") in html
    for src in corpus.sources.values():
        assert src.label.replace("'", "&#x27;") in html
    assert "<script" not in html and "src=" not in html  # self-contained, no scripts


def test_the_handout_escapes_every_data_string(corpus):
    sc = corpus.default_scenario()
    html = handout_html(corpus, sc, None, title="<script>alert(1)</script> & co", link='http://x/?a="><img src=x>')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "&quot;&gt;&lt;img src=x&gt;" in html


def test_the_header_offers_the_handout_and_the_full_report_when_opened():
    at = open_app(preset="kyiv_terms")
    # Closed, the popover's body is not built (a class's every click would pay for it).
    assert not at.get("download_button") and not at.code
    at = open_app(opened=("share_box",), preset="kyiv_terms")
    labels = [e.proto.label for e in at.get("download_button")]
    assert labels == ["Handout to print (1–2 pages, HTML)", "Full report (Markdown)"]
    assert any(c.value.endswith("?preset=kyiv_terms") for c in at.code)


def test_picking_a_side_reruns_its_part_and_writes_the_address(corpus):
    at = open_app(preset="kremlin_terms")
    at.segmented_control(key="side").set_value("united_states").run()
    assert url(at)["side"] == "united_states"
    us = evaluate(corpus, corpus.preset("kremlin_terms").scenario).side("united_states")
    assert any(f"Demands not met ({len(us.positions_unmet)})" in t for t in texts(at))
    at.toggle(key="show_met").set_value(True).run()
    assert url(at)["met"] == "1"


def test_shared_lru_keys_on_everything_but_the_corpus_and_is_bounded():
    from components.memo import shared_lru

    calls = []

    @shared_lru(2)
    def f(corpus, version, k):
        calls.append((corpus, version, k))
        return (version, k)

    assert f("c1", "v", 1) == ("v", 1) and f("c2", "v", 1) == ("v", 1)
    assert len(calls) == 1  # the corpus is not part of the key
    f(None, "v", 2), f(None, "v", 3), f(None, "v", 1)
    assert len(calls) == 4  # 1 was dropped when 3 came in (at most 2 kept)
    assert f.__wrapped__("c", "v", 9) == ("v", 9)


def test_red_lines_first_and_the_other_demands_one_click_away(corpus):
    ev = evaluate(corpus, corpus.default_scenario())
    russia = ev.side("russia")
    assert russia.positions_crossed and russia.positions_unmet and russia.history
    at = open_app(side="russia")
    (block,) = [v for v in texts(at) if "#### What Russia said" in v]
    open_part, history = block.split('<details class="pte-fold">')
    assert f"Red lines crossed ({len(russia.positions_crossed)})" in open_part
    assert md(russia.positions_crossed[0].reports[0].quote) in open_part
    first_unmet = russia.positions_unmet[0].reports[0]
    assert md(first_unmet.quote) not in "\n".join(texts(at))  # folded: not built
    assert any(f"Demands not met ({len(russia.positions_unmet)})" in e.label for e in at.expander)
    at = open_app(opened=("x_unmet_russia",), side="russia")
    assert md(first_unmet.quote) in "\n".join(texts(at))
    # The history is folded in the same block (a details box the browser opens: no element, no rerun).
    assert history.startswith(f"<summary>Earlier positions of Russia ({len(russia.history)}): history, not counted</summary>")
    for d in russia.history:
        assert md(d.quote) in history and "history, not counted in today's verdicts" in history
    assert md(russia.history[0].quote) not in open_part
    # Its "Read in context" links carry this view's address (the shared block's stand-in is replaced).
    links = re.findall(r"\[Read in context\]\(([^)]*)\)", history)
    assert len(links) == len(russia.history) and all(u.startswith("?view=sources&seed=") for u in links), links
    assert "%00" not in block and "\x00" not in block


def test_the_predictions_panel_shows_the_full_matches_and_folds_the_rest(corpus):
    ev = evaluate(corpus, corpus.preset("istanbul_2022").scenario)
    full = [p for p in ev.predictions if p.match >= 1]
    partial = [p for p in ev.predictions if 0 < p.match < 1]
    assert full and partial
    at = open_app(preset="istanbul_2022", show="predictions")
    body = "\n".join(texts(at))
    assert f"Every condition holds ({len(full)})" in body
    assert all(md(p.quote) in body for p in full)
    assert md(partial[0].quote) not in body.split("What analysts expect would follow")[-1]  # folded: not built
    assert any(f"Some conditions hold ({len(partial)})" in e.label for e in at.expander)


def test_markup_in_the_data_is_shown_literally_on_the_cards(tmp_path, monkeypatch):
    """The cards' Markdown allows HTML (the share bar): every data string in them is escaped."""
    from streamlit.testing.v1 import AppTest

    from .conftest import build_tree
    from .test_app import APP

    root = build_tree(tmp_path)
    sides = root / "scenarios" / "sides.yaml"
    sides.write_text(sides.read_text().replace("name: Russia", "name: \"<img src=x onerror=alert(1)> **Rus**\""))
    monkeypatch.setenv("PEACE_TERMS_ROOT", str(root))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    values = texts(at)
    assert not re.search(r"(?<!\\)<img", "\n".join(values))  # only ever backslash-escaped
    assert any("\\<img src\\=x onerror\\=alert\\(1\\)\\> \\*\\*Rus\\*\\*" in v for v in values)


def test_each_report_shows_our_coding_note_where_it_has_one(corpus):
    from components.text import md as md_
    from components.verdicts import positions_markdown

    ev = evaluate(corpus, corpus.preset("kyiv_terms").scenario)
    russia = ev.side("russia")
    noted = [r for p in russia.positions_crossed for r in p.reports if r.reason]
    assert noted, "the data has reports whose coding departs from a rule, with a reason"
    text = positions_markdown(corpus, "Russia", russia.positions_crossed)
    for r in noted:
        assert f"*Our coding note:* {md_(r.reason)}" in text


def test_position_blocks_are_shared_only_where_nothing_shown_differs(corpus):
    """positions_markdown builds a position's block once per option chosen on its term (and
    whether it applies) and shares it between scenarios, with the view's address put in after:
    every list, drawn after many others, is what it is with nothing shared, and its "Read in
    context" links carry the address given (escaped as link() escapes it)."""
    import random

    from components import verdicts
    from components.text import link_target

    rng = random.Random(3)
    scenarios = [{t.id: rng.choice(t.option_ids) for t in corpus.terms} for _ in range(80)]
    scenarios += [dict(corpus.preset(p).scenario) for p in corpus.preset_ids]
    prefixes = ["?view=sources", "http://host/app/?preset=kyiv_terms&territory=freeze_line (a) [b]"]
    drawn = []
    for k, sc in enumerate(scenarios):
        ev = evaluate(corpus, sc)
        for sd in ev.sides:
            for bucket in ("positions_crossed", "positions_unmet", "positions_met"):
                args = (corpus, sd.name, getattr(sd, bucket), ("here", "in this scenario")[k % 2])
                drawn.append((args, prefixes[k % 2], verdicts.positions_markdown(*args, prefix=prefixes[k % 2])))
    assert any(text.count("Read in context") > 3 for _, _, text in drawn)
    for args, prefix, text in reversed(drawn):
        verdicts._BLOCKS.clear()
        assert verdicts.positions_markdown(*args, prefix=prefix) == text
        if "Read in context" in text:
            assert f"]({link_target(prefix)}&" in text and "%00" not in text

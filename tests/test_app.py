"""The dashboard (issue #3) through streamlit.testing.v1.AppTest: each view, and the URL contract.

Each test opens app.py with query parameters, as a shared link would, and checks what a user
would see and what the address bar holds after the run.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from engine import tables
from engine.evaluate import evaluate
from engine.query import spec_label

from components.text import md

from .conftest import FIXTURES, ROOT, build_tree

APP = str(ROOT / "app.py")
VERDICT_WORDS = {
    "red_line_crossed": "Red line crossed",
    "some_demands_unmet": "Some demands unmet",
    "all_demands_met": "Every demand met",
    "no_demands": "No demands on record",
}


def open_app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def card(at: AppTest, side_name: str) -> str:
    """The text of one side's card: its heading, verdict and counts."""
    values = texts(at)
    i = values.index(f"### {side_name}")
    return "\n".join(values[i : i + 3])


def term_radio(at: AppTest, term_id: str):
    return at.radio(key=f"term__{term_id}")


def url(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


# --- The URL contract ------------------------------------------------------------------------------


def test_a_bare_link_opens_the_baseline_and_writes_the_whole_scenario(corpus):
    at = open_app()
    assert not at.warning
    q = url(at)
    assert q["view"] == "build"
    assert "preset" not in q
    for t in corpus.terms:
        assert q[t.id] == t.default
        assert term_radio(at, t.id).value == t.default


def test_preset_link_shows_that_presets_verdicts(corpus):
    at = open_app(preset="kremlin_terms")
    assert not at.warning
    sc = corpus.preset("kremlin_terms").scenario
    ev = evaluate(corpus, sc)
    for sd in ev.sides:
        text = card(at, sd.name)
        assert VERDICT_WORDS[sd.verdict] in text
        n = len(sd.red_lines_crossed)
        assert f"**{n} red line{'s' if n != 1 else ''}** crossed" in text
        total = len(sd.red_lines_crossed) + len(sd.demands_met) + len(sd.demands_unmet)
        assert f"**{len(sd.demands_met)} of {total}** demands met" in text
    # The Kremlin's own terms cross none of Russia's red lines, whatever else they leave unmet.
    assert not ev.side("russia").red_lines_crossed
    assert "**0 red lines** crossed" in card(at, "Russia")
    q = url(at)
    assert q["preset"] == "kremlin_terms"
    assert {t: q[t] for t in corpus.term_ids} == sc
    assert at.selectbox(key="preset").value == "kremlin_terms"


def test_a_term_in_the_link_overrides_the_preset(corpus):
    at = open_app(preset="kremlin_terms", territory="restore_1991")
    assert not at.warning
    assert term_radio(at, "territory").value == "restore_1991"
    q = url(at)
    assert q["territory"] == "restore_1991" and q["preset"] == "kremlin_terms"
    expected = {**corpus.preset("kremlin_terms").scenario, "territory": "restore_1991"}
    ev = evaluate(corpus, expected)
    assert VERDICT_WORDS[ev.side("russia").verdict] in card(at, "Russia")
    assert any("1 term changed" in t for t in texts(at))


def test_a_term_alone_takes_defaults_elsewhere(corpus):
    at = open_app(territory="recognise_current_line")
    assert not at.warning
    q = url(at)
    assert q["territory"] == "recognise_current_line"
    assert all(q[t.id] == t.default for t in corpus.terms if t.id != "territory")


def test_junk_in_the_link_is_named_and_the_nearest_valid_view_shown(corpus):
    at = open_app(territory="mars", foo="bar", preset="nope", view="zzz", compare="nowhere,current", side="moon", seed="x")
    assert len(at.warning) == 1
    notice = at.warning[0].value
    for bad in ("'mars'", "'foo'", "'nope'", "'zzz'", "'nowhere'", "'moon'"):
        assert bad in notice, bad
    q = url(at)
    assert "foo" not in q and "preset" not in q
    assert q["territory"] == corpus.term("territory").default
    assert q["view"] == "build"
    assert q["compare"] == "current"
    assert q["side"] == corpus.side_ids[0]
    assert len([m for m in texts(at) if m.startswith("### ") and m[4:] in {s.name for s in corpus.sides}]) == 4
    # Dismissing the notice removes it.
    at.button(key="dismiss_problems").click().run()
    assert not at.warning


@pytest.mark.parametrize(
    "params, named",
    [
        ({"territory": ""}, "''"),
        ({"preset": ""}, "''"),
        ({"compare": "current~territory"}, "'current~territory'"),
        ({"compare": "kyiv_terms~sanctions:moon"}, "'moon'"),
        ({"view": "sources", "claim": "nope"}, "'nope'"),
        ({"q": "x" * 500, "view": "sources"}, "longer than"),
        ({"view": "build", "show": "nothing"}, "'nothing'"),
        ({"territory": "<script>alert(1)</script>"}, "<script>"),
        ({"territory": "**bold** :red[x] $x$"}, ":red[x]"),
    ],
)
def test_odd_links_never_raise_and_are_named(params, named):
    at = open_app(**params)
    assert len(at.warning) == 1
    assert named in at.warning[0].value


def test_an_empty_comparison_is_not_an_error():
    at = open_app(compare=",,,")
    assert not at.warning
    assert "compare" not in url(at)


# --- Building a scenario ----------------------------------------------------------------------------


def test_changing_a_term_updates_the_verdicts_and_the_url(corpus):
    at = open_app(preset="kremlin_terms")
    before = card(at, "Ukraine")
    term_radio(at, "territory").set_value("restore_1991").run()
    assert not at.exception
    q = url(at)
    assert q["territory"] == "restore_1991"
    sc = {**corpus.preset("kremlin_terms").scenario, "territory": "restore_1991"}
    ev = evaluate(corpus, sc)
    for sd in ev.sides:
        assert VERDICT_WORDS[sd.verdict] in card(at, sd.name)
    after = card(at, "Ukraine")
    assert before != after


def test_changing_the_preset_resets_every_term(corpus):
    at = open_app(preset="kremlin_terms", territory="restore_1991")
    at.selectbox(key="preset").set_value("kyiv_terms").run()
    q = url(at)
    assert q["preset"] == "kyiv_terms"
    assert {t: q[t] for t in corpus.term_ids} == corpus.preset("kyiv_terms").scenario
    # No term differs from the new starting point, so there is nothing to reset.
    assert not [b for b in at.button if b.key == "reset_terms"]


def test_reset_button_returns_to_the_starting_point(corpus):
    at = open_app(preset="kyiv_terms", sanctions="lift_all")
    at.button(key="reset_terms").click().run()
    assert url(at)["sanctions"] == corpus.preset("kyiv_terms").scenario["sanctions"]


def test_side_details_list_red_lines_with_quote_and_source(corpus):
    at = open_app(preset="kremlin_terms", side="ukraine")
    ev = evaluate(corpus, corpus.preset("kremlin_terms").scenario)
    ukraine = ev.side("ukraine")
    assert ukraine.red_lines_crossed, "the data should record a Ukrainian red line the Kremlin's terms cross"
    labels = [e.label for e in at.expander]
    for d in ukraine.red_lines_crossed:
        assert any(md(d.term_label) in label and "Red line" in label for label in labels)
    body = "\n".join(texts(at))
    d = ukraine.red_lines_crossed[0]
    assert "Our summary:" in body
    assert "Read in context" in body and f"seed={d.source}" in body and f"claim={d.id}" in body
    assert ("**Stated** by" in body) or ("**Attributed** to Ukraine by" in body)
    assert url(at)["side"] == "ukraine"


def test_each_build_panel_renders(corpus):
    at = open_app(preset="kyiv_terms", show="predictions")
    ev = evaluate(corpus, corpus.preset("kyiv_terms").scenario)
    top = ev.predictions[0]
    assert any(md(top.analyst_name) in e.label and f"{top.match:.0%}" in e.label for e in at.expander)
    assert any("conditions hold" in e.label for e in at.expander)
    assert url(at)["show"] == "predictions"

    at = open_app(preset="kyiv_terms", show="chart")
    assert len(at.get("plotly_chart")) == 1
    assert at.dataframe, "the chart's text equivalent is missing"
    df = at.dataframe[0].value
    assert list(df["Term"]) == [t.label for t in corpus.terms]

    at = open_app(preset="kyiv_terms", show="scenario")
    fill = tables.preset_fill_ins(corpus, "kyiv_terms")
    labels = [e.label for e in at.expander]
    assert len([x for x in labels if "our fill-in" in x]) == len(fill)


def test_no_chart_is_built_outside_its_view():
    at = open_app(preset="kyiv_terms")
    assert not at.get("plotly_chart")


# --- Compare -----------------------------------------------------------------------------------------


def test_compare_view_from_the_link(corpus):
    at = open_app(view="compare", compare="kremlin_terms,kyiv_terms~territory:freeze_line")
    assert not at.warning
    assert at.multiselect(key="compare").value == ["kremlin_terms", "kyiv_terms~territory:freeze_line"]
    body = "\n".join(texts(at))
    assert md(spec_label(corpus, "kyiv_terms~territory:freeze_line")) in body
    assert len(at.table) >= 2  # terms, verdicts
    assert len(at.get("plotly_chart")) == 1
    assert url(at)["compare"] == "kremlin_terms,kyiv_terms~territory:freeze_line"
    assert url(at)["view"] == "compare"
    assert any(b.label.startswith("Download the comparison") for b in at.get("download_button"))


def test_keep_a_copy_pins_the_current_scenario(corpus):
    at = open_app(view="compare", preset="kyiv_terms", sanctions="lift_all", compare="current,kremlin_terms")
    at.button(key="pin_scenario").click().run()
    assert url(at)["compare"] == "current,kremlin_terms,kyiv_terms~sanctions:lift_all"


def test_compare_needs_two(corpus):
    at = open_app(view="compare", compare="kremlin_terms")
    assert any("at least two" in i.value for i in at.info)


# --- Sources, Method, Landscape ---------------------------------------------------------------------


def test_sources_view_marks_the_passage_asked_for(corpus):
    d = next(x for x in corpus.demands if x.source == "radchenko_2025_02_13")
    at = open_app(view="sources", claim=d.id)
    q = url(at)
    assert q["seed"] == "radchenko_2025_02_13" and q["claim"] == d.id
    body = "\n".join(texts(at))
    assert ":blue-background[" in body and ":orange-background[" in body
    assert at.selectbox(key="seed").value == "radchenko_2025_02_13"
    assert at.dataframe, "the seeds' metadata table is missing"
    # Every seed is listed; a missing field reads 'not given in the text'.
    meta = at.dataframe[0].value
    assert len(meta) == len(corpus.sources)
    if any(s.outlet is None for s in corpus.sources.values()):
        assert tables.NOT_GIVEN in set(meta["Outlet"])


def test_sources_quote_search_filters(corpus):
    at = open_app(view="sources", show="quotes", q="neutrality")
    expected = tables.search_quotes(tables.quote_index(corpus), "neutrality")
    assert len(at.dataframe[0].value) == len(expected)
    at.text_input(key="q").set_value("zzzz-nothing").run()
    assert any("No quote matches" in i.value for i in at.info)
    assert url(at)["q"] == "zzzz-nothing"


def test_method_view():
    at = open_app(view="method")
    body = "\n".join(texts(at))
    for phrase in ("How a scenario is scored", "red line", "What the corpus covers", "Limits", "our fill-in"):
        assert phrase.lower() in body.lower(), phrase
    assert len(at.table) == 2


def test_landscape_view_renders_or_says_coming_soon():
    at = open_app(view="landscape")
    assert at.markdown or at.info


def test_switching_views_keeps_the_scenario(corpus):
    at = open_app(preset="kremlin_terms", territory="freeze_line")
    at.button_group(key="view").set_value("sources").run()
    q = url(at)
    assert q["view"] == "sources" and q["territory"] == "freeze_line" and q["preset"] == "kremlin_terms"
    at.button_group(key="view").set_value("build").run()
    assert term_radio(at, "territory").value == "freeze_line"


# --- Data that does not validate ---------------------------------------------------------------------


def test_faulty_data_shows_an_error_page_not_a_traceback(tmp_path, monkeypatch):
    root = build_tree(tmp_path, FIXTURES / "faults" / "E006_quote_not_verbatim")
    monkeypatch.setenv("PEACE_TERMS_ROOT", str(root))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.error and "does not validate" in at.error[0].value
    assert any("E006" in c.value for c in at.code)

"""The dashboard (issue #3) through streamlit.testing.v1.AppTest: each view, and the URL contract.

Each test opens app.py with query parameters, as a shared link would, and checks what a user
would see and what the address bar holds after the run.
"""

from __future__ import annotations

import functools
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from engine import tables
from engine.evaluate import evaluate, provenance
from engine.compare import compare
from engine.app_query import AppView, read_app_query
from engine.query import ECHO_MAX, scenario_from_spec, spec_label

from components.text import md
from components.verdicts import GRADE_STYLE, VERDICT_WORDS

from .conftest import FIXTURES, ROOT, build_tree

APP = str(ROOT / "app.py")
# A Markdown link or image whose brackets are not escaped, and its target.
LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(([^)]*)\)")


def link_targets(at: AppTest) -> list[str]:
    return LINK.findall(page_text(at))


def open_app(opened: tuple[str, ...] = (), **params: str) -> AppTest:
    """The app as a link with `params` opens it; `opened` names folded sections to open."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    for key in opened:
        at.session_state[key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


_CELL_BAR = re.compile(r"(?<!\\)\|")


def md_tables(at: AppTest) -> list[pd.DataFrame]:
    """The Markdown tables on the page, in order, as a reader sees them: the header row's cells
    are the columns, each cell as written (Markdown; a `\\|` stays inside its cell)."""
    out = []
    for value in texts(at):
        lines = value.split("\n")
        i = 0
        while i < len(lines):
            if not (lines[i].startswith("|") and i + 1 < len(lines) and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[i + 1])):
                i += 1
                continue
            header = [c.strip() for c in _CELL_BAR.split(lines[i].strip())[1:-1]]
            rows, i = [], i + 2
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in _CELL_BAR.split(lines[i].strip())[1:-1]]
                assert len(cells) == len(header), f"a row of {len(cells)} cells under {len(header)} columns: {lines[i]}"
                rows.append(cells)
                i += 1
            out.append(pd.DataFrame(rows, columns=header))
    return out


def page_text(at: AppTest) -> str:
    """Every Markdown string on the page: markdown, captions, notices."""
    return "\n".join([*texts(at), *(c.value for c in at.caption), *(w.value for w in at.warning), *(i.value for i in at.info)])


def card(at: AppTest, side_name: str) -> str:
    """The text of one side's card (its box in the cards' one Markdown block): its heading,
    verdict and counts."""
    (block,) = [v for v in texts(at) if '<div class="pte-cards-box">' in v]
    boxes = [part.split(">", 1)[1].strip() for part in block.split('<div class="pte-card" ')[1:]]
    (body,) = [b for b in boxes if b.startswith(f"### {side_name}\n")]
    return body


def term_radio(at: AppTest, term_id: str):
    """The term's radio; the sidebar shows one group of terms at a time, so its group is opened
    first when another one is shown (a click on the group, as a user would)."""
    key = f"term__{term_id}"
    try:
        return at.radio(key=key)
    except KeyError:
        at.button_group(key="term_group").set_value(_term_group(term_id)).run()
        return at.radio(key=key)


@functools.cache
def _term_group(term_id: str) -> str:
    from engine import load_corpus

    return load_corpus(ROOT).term(term_id).group


def url(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def opens(corpus, at: AppTest) -> AppView:
    """The view the address bar's link opens (the address holds only what differs from defaults)."""
    view = read_app_query(corpus, url(at))
    assert not view.problems, view.problems
    return view


# --- The URL contract ------------------------------------------------------------------------------


def test_a_bare_link_opens_the_baseline_and_stays_bare(corpus):
    at = open_app()
    assert not at.warning
    # Every term at its default, the build view: nothing differs, so the address holds nothing.
    assert url(at) == {}
    for t in corpus.terms:
        assert term_radio(at, t.id).value == t.default
    assert opens(corpus, at).view == "build"


def test_preset_link_shows_that_presets_verdicts(corpus):
    at = open_app(preset="kremlin_terms")
    assert not at.warning
    sc = corpus.preset("kremlin_terms").scenario
    ev = evaluate(corpus, sc)
    for sd in ev.sides:
        text = card(at, sd.name)
        assert VERDICT_WORDS[sd.verdict] in text
        # Counts are positions (a position reported by two sources counts once), as in the report.
        n = len(sd.positions_crossed)
        assert f"**{n} red line{'s' if n != 1 else ''}** crossed" in text
        total = len(sd.positions_crossed) + len(sd.positions_met) + len(sd.positions_unmet)
        assert f"**{len(sd.positions_met)} of {total}** positions met" in text
        assert f"On record on **{sd.terms_on_record} of {len(corpus.terms)}** terms" in text
    # The Kremlin's own terms cross none of Russia's red lines, whatever else they leave unmet.
    assert not ev.side("russia").red_lines_crossed
    assert "**0 red lines** crossed" in card(at, "Russia")
    assert url(at) == {"preset": "kremlin_terms"}  # the preset alone says the whole scenario
    assert opens(corpus, at).scenario == sc
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
    assert url(at) == {"territory": "recognise_current_line"}
    assert opens(corpus, at).scenario == {**corpus.default_scenario(), "territory": "recognise_current_line"}


def test_junk_in_the_link_is_named_and_the_nearest_valid_view_shown(corpus):
    at = open_app(territory="mars", foo="bar", preset="nope", view="zzz", compare="nowhere,current", side="moon", seed="x")
    assert len(at.warning) == 1
    notice = at.warning[0].value
    for bad in ("'mars'", "'foo'", "'nope'", "'zzz'", "'nowhere'", "'moon'"):
        assert md(bad) in notice, bad
    # The address is rewritten as the nearest valid view, holding only what differs from it.
    q = url(at)
    assert q == {"compare": "current"}
    view = opens(corpus, at)
    assert view.scenario == corpus.default_scenario()
    assert view.view == "build" and view.values["side"] == corpus.side_ids[0]
    assert all(card(at, s.name) for s in corpus.sides)  # the four cards
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
        ({"met": "yes"}, "'yes'"),
        ({"view": "compare", "diff": "maybe"}, "'maybe'"),
    ],
)
def test_odd_links_never_raise_and_are_named(params, named):
    at = open_app(**params)
    assert len(at.warning) == 1
    assert md(named) in at.warning[0].value


@pytest.mark.parametrize(
    "value, markup",
    [
        ("<script>alert(1)</script>", "<script>"),
        ("**bold** :red[x] $x$", ":red[x]"),
        ("[click](https://evil.example)", "[click]("),
        ("![img](https://evil.example/x.png)", "!["),
    ],
)
def test_markup_in_a_link_is_shown_literally(value, markup):
    # A value from the URL reaches the page only escaped: named, never rendered.
    at = open_app(territory=value, foo=value)
    [notice] = at.warning
    assert md(f"'{value}'") in notice.value
    assert markup not in notice.value
    assert not [t for t in link_targets(at) if "evil" in t]


def test_long_junk_is_cut_short_in_the_notice():
    at = open_app(territory="x" * 5000, **{"y" * 300: "1"})
    notice = at.warning[0].value
    assert md("'" + "x" * (ECHO_MAX - 1) + "…'") in notice
    assert md("'" + "y" * (ECHO_MAX - 1) + "…'") in notice
    assert len(notice) < 1000


def test_an_empty_comparison_is_kept_empty(corpus):
    # `compare=` says "no scenarios": a reload must not bring the default three back.
    at = open_app(compare=",,,")
    assert not at.warning
    assert opens(corpus, at).compare == []
    at = open_app(view="compare", compare="")
    assert not at.warning
    assert at.multiselect(key="compare").value == []
    assert url(at)["compare"] == ""
    assert any("at least two" in i.value for i in at.info)


def test_clearing_the_comparison_writes_it_empty(corpus):
    at = open_app(view="compare")
    assert "compare" not in url(at)  # the default comparison
    assert opens(corpus, at).compare == ["current", "kremlin_terms", "kyiv_terms"]
    at.multiselect(key="compare").set_value([]).run()
    assert url(at)["compare"] == ""


def test_no_comparison_in_the_link_gives_the_default_one(corpus):
    at = open_app(preset="kremlin_terms")
    assert at.session_state["compare"] == ["current", "kyiv_terms", "us_ceasefire"]
    assert opens(corpus, at).compare == ["current", "kyiv_terms", "us_ceasefire"]


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
    assert q["preset"] == "kyiv_terms" and not set(q) & set(corpus.term_ids)
    assert opens(corpus, at).scenario == corpus.preset("kyiv_terms").scenario
    # No term differs from the new starting point, so there is nothing to reset.
    assert not [b for b in at.button if b.key == "reset_terms"]


def test_reset_button_returns_to_the_starting_point(corpus):
    at = open_app(preset="kyiv_terms", sanctions="lift_all")
    at.button(key="reset_terms").click().run()
    assert "sanctions" not in url(at)
    assert opens(corpus, at).scenario == corpus.preset("kyiv_terms").scenario


def test_side_details_list_red_lines_with_quote_and_source(corpus):
    ev = evaluate(corpus, corpus.preset("kremlin_terms").scenario)
    ukraine = ev.side("ukraine")
    assert ukraine.red_lines_crossed, "the data should record a Ukrainian red line the Kremlin's terms cross"
    at = open_app(preset="kremlin_terms", side="ukraine")
    # One Markdown block per list: each position with every report's verbatim quote, who said
    # it, the source and a link to the passage in context (the quote is the evidence, shown).
    block = next(t for t in texts(at) if "Red lines crossed" in t)
    for r in ukraine.red_lines_crossed:
        assert md(r.term_label) in block and "Red line" in block
        assert md(r.quote) in block
        assert md(r.provenance.phrase("Ukraine")) in block
        assert f"seed={r.source}" in block and f"claim={r.id}" in block
    assert "Our summary:" in block and "Read in context" in block
    assert url(at)["side"] == "ukraine"


def test_the_demands_met_are_in_the_link(corpus):
    ev = evaluate(corpus, corpus.preset("kremlin_terms").scenario)
    met = ev.side("russia").positions_met
    assert met
    at = open_app(preset="kremlin_terms", side="russia")
    assert "met" not in url(at)
    assert not any("Positions met" in t for t in texts(at))
    at.toggle(key="show_met").set_value(True).run()
    assert url(at)["met"] == "1"
    assert any(f"Positions met ({len(met)})" in t for t in texts(at))
    at = open_app(preset="kremlin_terms", side="russia", met="1")
    assert at.toggle(key="show_met").value is True
    assert any(f"Positions met ({len(met)})" in t for t in texts(at))


def test_each_build_panel_renders(corpus):
    at = open_app(opened=("x_preds_some", "x_preds_none"), preset="kyiv_terms", show="predictions")
    ev = evaluate(corpus, corpus.preset("kyiv_terms").scenario)
    top = ev.predictions[0]
    # One Markdown block per group: each prediction's line says how many of its conditions
    # hold, then its verbatim quote with a link to it in context (in ranked order).
    body = "\n".join(t for t in texts(at) if "conditions hold" in t)
    heads = [f"**{p.match:.0%}** · {sum(c.holds for c in p.conditions)} of {len(p.conditions)} conditions hold · **{md(p.analyst_name)}**" for p in ev.predictions]
    at_ = [body.find(h) for h in heads]
    assert all(i >= 0 for i in at_) and at_[0] == min(at_)
    assert md(top.quote) in body and f"claim={top.id}" in body
    assert url(at)["show"] == "predictions"

    at = open_app(preset="kyiv_terms", show="chart")
    assert len(at.get("plotly_chart")) == 1
    assert [e.label for e in at.expander if "text equivalent" in e.label] == ["The chart as a table (text equivalent)"]
    at = open_app(opened=("x_chart_status_table",), preset="kyiv_terms", show="chart")
    assert at.dataframe, "the chart's text equivalent is missing"
    df = at.dataframe[0].value
    assert list(df["Term"]) == [t.label for t in corpus.terms]

    at = open_app(preset="kyiv_terms", show="scenario")
    fill = tables.preset_fill_ins(corpus, "kyiv_terms")
    labels = [e.label for e in at.expander]
    assert len([x for x in labels if "our fill-in" in x]) == len(fill)


def test_the_scenario_panel_says_who_each_preset_passage_reports(corpus):
    p = corpus.preset("kremlin_terms")
    term = p.basis[0].terms[0]
    at = open_app(opened=(f"x_term_{term}",), preset="kremlin_terms", show="scenario")
    body = page_text(at)
    for b in p.basis:
        if term in b.terms:
            assert md(corpus.verbatim(b.source, b.quote)) in body
            assert md(provenance(corpus, b.provenance, b.by).phrase()) in body
    # A term's own passages are labelled as what they are, not as anyone's position.
    assert "Where the sources name this term" in body


def test_no_chart_is_built_outside_its_view():
    at = open_app(preset="kyiv_terms")
    assert not at.get("plotly_chart")


# --- Compare -----------------------------------------------------------------------------------------


def test_compare_view_from_the_link(corpus):
    at = open_app(opened=("share_box",), view="compare", compare="kremlin_terms,kyiv_terms~territory:freeze_line")
    assert not at.warning
    assert at.multiselect(key="compare").value == ["kremlin_terms", "kyiv_terms~territory:freeze_line"]
    body = "\n".join(texts(at))
    assert md(spec_label(corpus, "kyiv_terms~territory:freeze_line")) in body
    cmp = compare(corpus, [(s, scenario_from_spec(corpus, s, corpus.default_scenario())) for s in ("kremlin_terms", "kyiv_terms~territory:freeze_line")])
    assert not at.table  # Markdown tables: no Arrow table to build on every run
    assert len(md_tables(at)) == 3  # the terms that differ, the verdicts, the matches (a phone's chart)
    assert len(md_tables(at)[0]) == sum(t.differs for t in cmp.terms)
    assert len(md_tables(at)[1]) == len(corpus.sides)
    assert len(at.get("plotly_chart")) == 1
    assert url(at)["compare"] == "kremlin_terms,kyiv_terms~territory:freeze_line"
    assert url(at)["view"] == "compare"
    assert [b.label for b in at.get("download_button")] == ["Handout to print (1–2 pages, HTML)", "Full report (Markdown)", "Download the comparison (CSV)"]


def test_keep_a_copy_pins_the_current_scenario(corpus):
    at = open_app(view="compare", preset="kyiv_terms", sanctions="lift_all", compare="current,kremlin_terms")
    at.button(key="pin_scenario").click().run()
    assert url(at)["compare"] == "current,kremlin_terms,kyiv_terms~sanctions:lift_all"


def test_compare_gains_and_losses_show_who_said_it(corpus):
    at = open_app(view="compare", compare="kremlin_terms,kyiv_terms")
    assert any("gains or loses" in e.label for e in at.expander)
    assert "Our summary:" not in page_text(at)  # folded: nothing built
    at = open_app(opened=("x_cmp_changes",), view="compare", compare="kremlin_terms,kyiv_terms")
    body = page_text(at)
    kyiv = evaluate(corpus, corpus.preset("kyiv_terms").scenario)
    kremlin = evaluate(corpus, corpus.preset("kremlin_terms").scenario)
    met_before = {p.id for p in kremlin.side("ukraine").positions_met}
    # every report of every position newly met is shown, with its quote and who says it
    gained = [d for p in kyiv.side("ukraine").positions_met if p.id not in met_before for d in p.reports]
    assert gained
    for d in gained:
        assert md(d.quote) in body
        assert md(d.provenance.phrase("Ukraine")) in body
        assert f"claim={d.id}" in body


def test_only_what_differs_is_in_the_link(corpus):
    at = open_app(view="compare", compare="kremlin_terms,kyiv_terms")
    assert "diff" not in url(at)
    shown = len(md_tables(at)[0])
    at.toggle(key="only_diff").set_value(False).run()
    assert url(at)["diff"] == "0"
    assert len(md_tables(at)[0]) == len(corpus.terms) > shown
    at = open_app(view="compare", compare="kremlin_terms,kyiv_terms", diff="0")
    assert at.toggle(key="only_diff").value is False
    assert len(md_tables(at)[0]) == len(corpus.terms)


def test_compare_tables_escape_their_cells(corpus):
    at = open_app(view="compare", compare="kremlin_terms,kyiv_terms", diff="0")
    terms = md_tables(at)[0]
    assert list(terms["Term"].str.replace("◆ ", "")) == [md(t.label) for t in corpus.terms]


def test_compare_needs_two(corpus):
    at = open_app(view="compare", compare="kremlin_terms")
    assert any("at least two" in i.value for i in at.info)


# --- Sources, Method, Landscape ---------------------------------------------------------------------


def test_a_claim_opens_the_text_it_is_in(corpus):
    d = next(x for x in corpus.demands if x.source == "radchenko_2025_02_13")
    # No seed, or an unknown one: the claim's own text, the unknown seed named.
    for params in ({}, {"seed": "nowhere"}):
        at = open_app(view="sources", claim=d.id, **params)
        assert at.selectbox(key="seed").value == d.source
        assert url(at)["claim"] == d.id and opens(corpus, at).values["seed"] == d.source
        assert ":blue-background[" in "\n".join(texts(at))
    assert md("'nowhere'") in at.warning[0].value


def test_a_claim_from_another_text_is_named_and_its_text_shown(corpus):
    d = next(x for x in corpus.demands if x.source == "radchenko_2025_02_13")
    other = next(s for s in corpus.sources if s != d.source)
    at = open_app(view="sources", seed=other, claim=d.id)
    [notice] = at.warning
    assert md(f"'{d.id}'") in notice.value and md(corpus.sources[other].label) in notice.value
    assert at.selectbox(key="seed").value == d.source
    assert url(at)["claim"] == d.id and opens(corpus, at).values["seed"] == d.source
    assert ":blue-background[" in "\n".join(texts(at))
    # The same text and its claim: nothing to say.
    at = open_app(view="sources", seed=d.source, claim=d.id)
    assert not at.warning


def test_sources_view_marks_the_passage_asked_for(corpus):
    d = next(x for x in corpus.demands if x.source == "radchenko_2025_02_13")
    at = open_app(view="sources", claim=d.id)
    assert url(at)["claim"] == d.id and opens(corpus, at).values["seed"] == "radchenko_2025_02_13"
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


def test_method_view(corpus):
    at = open_app(view="method")
    body = "\n".join(texts(at))
    for phrase in ("How a scenario is scored", "red line", "What the corpus covers", "Limits", "our fill-in"):
        assert phrase.lower() in body.lower(), phrase
    # The page is one block: the method, its two tables, what the corpus covers, the data.
    (page,) = [m.value for m in at.main.markdown if m.value.startswith("### How this app works")]
    assert "What the corpus covers" in page and "Data version" in page
    (defaults,) = [t for t in md_tables(at) if "Default when a deal says nothing" in t.columns]
    (fill_ins,) = [t for t in md_tables(at) if "Starting point (our name)" in t.columns]
    assert list(defaults["Term"]) == [md(t.label) for t in corpus.terms]
    assert list(defaults["Default when a deal says nothing"]) == [md(t.option(t.default).label) for t in corpus.terms]
    assert list(fill_ins["Starting point (our name)"]) == [md(p.title) for p in corpus.presets]
    assert f"Data version {md(corpus.data_version)}" in body


def test_landscape_view_renders(corpus):
    at = open_app(view="landscape")
    assert not at.error
    # the view itself drew (its "Scenarios" figure), not a placeholder
    (head,) = [v for v in texts(at) if v.startswith("### The negotiation landscape")]
    assert f'<div class="pte-metric-label">Scenarios</div><div class="pte-metric-value">{corpus.space_size():,}</div>' in head


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


# --- Escaping data text (components/text.py) -----------------------------------------------------


def test_md_escapes_markup_and_bare_addresses():
    assert md("**b** :red[x] $x$ <i>") == r"\*\*b\*\* \:red\[x\] \$x\$ \<i\>"
    # GFM links bare addresses after escapes are read: an invisible word joiner breaks them.
    for bare in ("https://evil.example", "http://evil.example", "www.evil.example", "me@evil.example"):
        escaped = md(bare)
        assert "\u2060" in escaped
        assert escaped.replace("\u2060", "").replace("\\", "") == bare


def test_link_escapes_its_label_and_its_target():
    from components.text import link

    assert link("[x](y)", "https://example.org/a b(c)<d>") == r"[\[x\]\(y\)](https://example.org/a%20b%28c%29%3Cd%3E)"


# --- The address bar as the session's other input (issue #9) ----------------------------------------


def test_an_address_the_app_did_not_write_is_applied(corpus):
    # What the browser's Back or Forward does: the next run carries another address.
    at = open_app(preset="kremlin_terms")
    term_radio(at, "territory").set_value("freeze_line").run()
    assert url(at) == {"preset": "kremlin_terms", "territory": "freeze_line"}
    at.query_params.clear()
    at.query_params["preset"] = "kyiv_terms"
    at.query_params["view"] = "compare"
    at.run()
    assert at.selectbox(key="preset").value == "kyiv_terms"
    assert at.session_state["view"] == "compare"
    assert state_scenario(corpus, at) == corpus.preset("kyiv_terms").scenario
    assert not at.warning


def test_an_address_the_app_wrote_before_is_not_applied_again(corpus):
    # A rerun that carries the address before the last change (the browser had not yet seen the
    # newer one) must not undo the change: only the browser's Back/Forward re-applies it.
    at = open_app(preset="kremlin_terms")
    term_radio(at, "territory").set_value("freeze_line").run()
    term_radio(at, "sanctions").set_value("lift_all").run()
    at.query_params.clear()
    at.query_params.update({"preset": "kremlin_terms", "territory": "freeze_line"})
    at.run()
    assert term_radio(at, "sanctions").value == "lift_all"


def state_scenario(corpus, at: AppTest) -> dict[str, str]:
    return {t: term_radio(at, t).value for t in corpus.term_ids}


def test_landscapes_open_this_scenario_opens_exactly_that_scenario(corpus):
    from engine.landscape import space_report

    named = space_report(corpus)["closest"][1]["scenario"]  # the second: not merely the first drawn
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"view": "landscape", "preset": "kremlin_terms", "side": "ukraine"})
    at.session_state["landscape_section"] = "closest"
    at.run()
    assert not at.exception
    at.button(key="landscape_open_closest_1").click().run()
    assert not at.exception
    assert state_scenario(corpus, at) == dict(named)
    assert at.session_state["view"] == "build"
    view = opens(corpus, at)
    assert view.scenario == dict(named) and view.view == "build"
    # Named after its nearest starting point, and the side being read is kept.
    assert view.values["side"] == "ukraine"
    for sd in evaluate(corpus, dict(named)).sides:
        assert VERDICT_WORDS[sd.verdict] in card(at, sd.name)
    # The request is consumed: the next run does not open it again over a change.
    term_radio(at, "territory").set_value("restore_1991").run()
    assert term_radio(at, "territory").value == "restore_1991"


@pytest.mark.parametrize(
    "params, shown",
    [
        ({"compare": "kyiv_terms~territory:mars"}, r"kyiv\_terms\~territory\:mars"),
        ({"compare": "a|b"}, r"a\|b"),
        ({"x|y": "1"}, r"x\|y"),
        ({"compare": "~~struck~~"}, r"\~\~struck\~\~"),
    ],
)
def test_tildes_and_bars_in_a_notice_are_escaped(params, shown):
    # `~~x~~` would strike text through and `|` could start a table: both are shown as typed.
    at = open_app(**params)
    [notice] = at.warning
    assert shown in notice.value
    assert not re.search(r"(?<!\\)[~|]", notice.value), notice.value


def test_compare_heads_columns_with_the_scenarios_names(corpus):
    at = open_app(view="compare", compare="kremlin_terms,kyiv_terms~territory:freeze_line,baseline")
    names = [corpus.preset("kremlin_terms").title, corpus.preset("kyiv_terms").title + " + 1 change", "Baseline"]
    heads = [md(n) for n in names]  # Markdown: the names escaped, as every data text
    assert list(md_tables(at)[0].columns) == ["Term", *heads]
    assert list(md_tables(at)[1].columns) == ["Side", *heads]
    assert list(md_tables(at)[2].columns) == [md("Analyst: predicted outcome"), *heads]  # the chart as text, for phones
    cells = md_tables(at)[1][heads[0]].tolist()
    ev = evaluate(corpus, corpus.preset("kremlin_terms").scenario)
    for sd, cell in zip(ev.sides, cells):
        # A chip: colour, icon and the graded words of the side's card (never one label for
        # 97% and 0% met).
        colour, icon = GRADE_STYLE[sd.grade]
        assert cell.startswith(f":{colour}-badge[{icon} {md(sd.grade_label)}]"), cell
        assert f"{sd.satisfaction:.0%} met" in cell
    assert len({c.split("]")[0] for c in cells}) > 1  # the four sides' grades are not all the same


def test_the_same_scenario_twice_is_listed_once(corpus):
    at = open_app(view="compare", compare="kyiv_terms,kyiv_terms")
    [notice] = at.warning
    assert "already in the comparison" in notice.value
    assert at.multiselect(key="compare").value == ["kyiv_terms"]
    # "Select all" while your scenario is Kyiv's terms: the preset is the same scenario.
    at = open_app(view="compare", preset="kyiv_terms", compare="current,kremlin_terms")
    at.multiselect(key="compare").set_value(["current", "kremlin_terms", "kyiv_terms", "baseline"]).run()
    assert at.multiselect(key="compare").value == ["current", "kremlin_terms", "baseline"]
    assert any("same scenario" in i.value for i in at.info)
    assert url(at)["compare"] == "current,kremlin_terms,baseline"


def test_present_mode_from_the_link_and_its_stepper(corpus):
    at = open_app(preset="kremlin_terms", present="1")
    assert at.toggle(key="present").value is True
    ids = list(corpus.preset_ids)
    at.button(key="present_next").click().run()
    nxt = ids[(ids.index("kremlin_terms") + 1) % len(ids)]
    assert url(at) == {"preset": nxt, "present": "1"}
    assert state_scenario(corpus, at) == corpus.preset(nxt).scenario
    at.button(key="present_prev").click().run()
    assert url(at) == {"preset": "kremlin_terms", "present": "1"}
    at.toggle(key="present").set_value(False).run()
    assert "present" not in url(at)


def test_the_sidebar_shows_one_group_of_terms_and_hidden_terms_keep_their_options(corpus):
    at = open_app(preset="kremlin_terms")
    first = corpus.groups[0].id
    assert [r.key for r in at.radio] == [f"term__{t.id}" for t in corpus.terms if t.group == first]
    group = corpus.term("peacekeepers").group
    at.button_group(key="term_group").set_value(group).run()
    option = next(o for o in corpus.term("peacekeepers").option_ids if o != corpus.preset("kremlin_terms").scenario["peacekeepers"])
    at.radio(key="term__peacekeepers").set_value(option).run()
    # The picker stays on the group, whose label now carries the mark of a changed term.
    picker = at.button_group(key="term_group")
    assert picker.value == group
    labels = {o.content for o in picker.proto.options}
    assert any(label.endswith("✎") and label.startswith(next(g.label for g in corpus.groups if g.id == group)) for label in labels)
    # Back on the first group, the hidden term keeps its option: in the link and in the verdicts.
    at.button_group(key="term_group").set_value(first).run()
    assert url(at)["peacekeepers"] == option and url(at)["preset"] == "kremlin_terms"
    scenario = {**corpus.preset("kremlin_terms").scenario, "peacekeepers": option}
    for sd in evaluate(corpus, scenario).sides:
        assert sd.grade_label in card(at, sd.name)


def test_compare_builds_its_chart_once_and_drawing_leaves_it_unchanged(corpus):
    """The match chart is built once per matrix and shared read-only between sessions: a second
    session with the same comparison reuses it, and what st.plotly_chart does with a figure
    (plotly's to_dict and to_json) leaves it unchanged."""
    import copy

    import plotly.io
    import plotly.tools

    from components import charts

    charts.match_figure.cache_clear()
    open_app(view="compare", compare="kremlin_terms,kyiv_terms")
    assert charts.match_figure.cache_info().misses == 1
    open_app(view="compare", compare="kremlin_terms,kyiv_terms")
    info = charts.match_figure.cache_info()
    assert info.misses == 1 and info.hits >= 1

    cmp = compare(corpus, [(p, corpus.preset(p).scenario) for p in ("kremlin_terms", "kyiv_terms")])
    m = tables.match_matrix(cmp, only_differing=True, labels=["A", "B"])
    fig = charts.match_figure(m)
    before = copy.deepcopy(fig.to_dict())
    plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
    plotly.io.to_json(fig, validate=False)
    assert charts.match_figure(m) is fig and fig.to_dict() == before


def test_the_heatmaps_built_without_validation_are_valid_figures(corpus):
    """charts._heatmap skips plotly's per-property validation when it builds a figure: every
    heatmap the app draws must pass that validation here, unchanged by it."""
    import plotly.graph_objects as go

    from components import charts

    cmp = compare(corpus, [(p, corpus.preset(p).scenario) for p in corpus.preset_ids[:3]])
    figures = [charts.match_figure(tables.match_matrix(cmp, only_differing=o, labels=["A", "B", "C"])) for o in (False, True)]
    figures += [charts.status_figure(tables.status_matrix(corpus, evaluate(corpus, corpus.preset(p).scenario))) for p in corpus.preset_ids]
    for fig in figures:
        checked = go.Figure(fig.to_dict())  # validates every property; raises on a wrong one
        assert checked.to_dict() == fig.to_dict()


def test_about_the_starting_point_is_folded_under_it(corpus):
    description = md(corpus.preset("kremlin_terms").description)
    at = open_app(preset="kremlin_terms")
    (fold,) = [m.value for m in at.sidebar.markdown if "About this starting point" in m.value]
    assert fold.startswith('<details class="pte-fold"><summary>About this starting point</summary>')
    assert f"Our description: {description}" in fold
    assert not any("About this starting point" in m.value for m in open_app().sidebar.markdown)  # no starting point


def test_a_callback_reads_the_controls_not_the_last_runs_copy(corpus):
    """Within a run the scenario is read once (state.scenario); between runs, a callback reads
    the controls themselves: a term changed and "pin" clicked before one rerun pins the
    scenario with the change, and no copy outlives the run."""
    from engine.query import spec_for

    at = open_app(view="compare")
    assert "_run_scenario" not in at.session_state
    radio = term_radio(at, "territory")
    new = next(o for o in radio.options if o != radio.value)
    option_id = next(o.id for o in corpus.term("territory").options if o.label == new)
    radio.set_value(new)
    (pin,) = [b for b in at.button if b.key and "pin" in b.key]
    pin.click().run()
    assert not at.exception
    want = spec_for(corpus, {**corpus.default_scenario(), "territory": option_id})
    assert want in at.session_state["compare"]
    assert "_run_scenario" not in at.session_state

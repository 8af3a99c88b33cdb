"""engine/app_query.py: the app's whole address, read into a view and written as its shortest link."""

from __future__ import annotations

import pytest

from engine import app_query as aq
from engine.app_query import AppView, read_app_query, write_app_query
from engine.query import to_query


def _views(corpus):
    """A spread of views: each preset and the baseline, each view, odd parameters set."""
    first_claim = corpus.claims[0]
    for preset in (None, *corpus.preset_ids):
        for view in aq.VIEWS:
            yield read_app_query(corpus, {**({"preset": preset} if preset else {}), "view": view})
    yield read_app_query(corpus, {"preset": "kyiv_terms", "sanctions": "lift_all", "show": "predictions", "side": "ukraine", "met": "1"})
    yield read_app_query(corpus, {"view": "compare", "compare": "kremlin_terms,kyiv_terms~territory:freeze_line", "diff": "0"})
    yield read_app_query(corpus, {"view": "compare", "compare": ""})
    yield read_app_query(corpus, {"view": "sources", "claim": first_claim.id})
    yield read_app_query(corpus, {"view": "sources", "show": "quotes", "q": "neutrality"})
    yield read_app_query(corpus, {"preset": "us_ceasefire", "present": "1"})


def test_every_view_reads_back_from_its_short_link(corpus):
    for view in _views(corpus):
        assert not view.problems, view.problems
        short = write_app_query(corpus, view)
        again = read_app_query(corpus, short)
        assert not again.problems, (short, again.problems)
        assert again.same_view(view), short


def test_an_old_long_link_opens_the_same_view_as_its_short_one(corpus):
    for preset in corpus.preset_ids:
        sc = {**corpus.preset(preset).scenario, "territory": "freeze_line"}
        # What the app wrote before short links: every term, view, side, the default comparison.
        long = {**to_query(corpus, sc, preset, aq.default_compare(corpus, preset)), "view": "build", "side": corpus.side_ids[0]}
        old = read_app_query(corpus, long)
        assert not old.problems
        short = write_app_query(corpus, old)
        assert read_app_query(corpus, short).same_view(old)
        assert len(aq.query_string(short)) < len(aq.query_string(long)) / 4


def test_a_preset_with_one_change_fits_a_chat_message(corpus):
    view = read_app_query(corpus, {"preset": "kremlin_terms", "territory": "freeze_line"})
    assert write_app_query(corpus, view) == {"preset": "kremlin_terms", "territory": "freeze_line"}
    assert len(aq.query_string(write_app_query(corpus, view))) < 60
    assert write_app_query(corpus, read_app_query(corpus, {})) == {}


def test_a_term_equal_to_the_preset_is_left_out(corpus):
    sc = corpus.preset("kyiv_terms").scenario
    view = read_app_query(corpus, {"preset": "kyiv_terms", "territory": sc["territory"], "view": "build", "show": "verdicts"})
    assert write_app_query(corpus, view) == {"preset": "kyiv_terms"}


def test_parameters_of_another_view_are_kept_but_not_written(corpus):
    view = read_app_query(corpus, {"view": "compare", "side": "ukraine"})
    assert view.values["side"] == "ukraine" and not view.problems
    assert "side" not in write_app_query(corpus, view)
    assert write_app_query(corpus, aq.with_values(view, view="build"))["side"] == "ukraine"


@pytest.mark.parametrize(
    "params, named",
    [
        ({"view": "zzz"}, "'zzz'"),
        ({"present": "yes"}, "'yes'"),
        ({"show": "nothing"}, "'nothing'"),
        ({"view": "sources", "show": "verdicts"}, "'verdicts'"),
        ({"side": "moon"}, "'moon'"),
        ({"view": "sources", "seed": "nowhere"}, "'nowhere'"),
        ({"q": "x" * 300, "view": "sources"}, "longer than"),
    ],
)
def test_bad_values_are_named_and_defaults_kept(corpus, params, named):
    view = read_app_query(corpus, params)
    assert len(view.problems) == 1 and named in view.problems[0]
    assert not read_app_query(corpus, write_app_query(corpus, view)).problems


def test_a_new_parameter_is_one_entry_in_the_table(corpus, monkeypatch):
    # How a feature adds `demo=<code>` on a view of its own: one Param, one view.
    code = aq.Param("demo", "demo", lambda c, raw: raw.upper()[:8], lambda c: "", views=frozenset({"demo"}))
    monkeypatch.setattr(aq, "PARAMS", [*aq.PARAMS, code])
    monkeypatch.setitem(aq.VIEWS, "demo", "Demo")
    view = read_app_query(corpus, {"view": "demo", "demo": "ab12"})
    assert not view.problems and view.values["demo"] == "AB12"
    assert write_app_query(corpus, view) == {"view": "demo", "demo": "AB12"}
    assert "demo" not in write_app_query(corpus, aq.with_values(view, view="build"))


def test_the_classroom_registers_its_views_and_parameters(corpus):
    from components import state  # noqa: F401  (registers them)

    view = read_app_query(corpus, {"view": "board", "class": "abcd-234", "teacher": "k" * 43})
    assert not view.problems
    assert view.view == "board" and view.values[state.CLASS_CODE] == "ABCD234"
    assert write_app_query(corpus, view) == {"view": "board", "class": "ABCD234", "teacher": "k" * 43}
    bad = read_app_query(corpus, {"view": "class", "class": "ab12"})
    assert len(bad.problems) == 1 and "'ab12'" in bad.problems[0] and bad.values[state.CLASS_CODE] == ""
    assert "board" not in aq.VIEWS  # a link may open the board; the row of view buttons does not offer it


def test_a_link_is_read_from_a_query_string_too(corpus):
    view = read_app_query(corpus, "?preset=kyiv_terms&view=compare&compare=kyiv_terms,baseline&diff=0")
    assert isinstance(view, AppView) and not view.problems
    assert view.view == "compare" and view.compare == ["kyiv_terms", "baseline"] and view.values["diff"] is False


def test_the_page_style_has_no_tag_in_it():
    # The style opens a Markdown block (layout.page_style): an HTML block ends at the first line
    # holding a closing tag, and what follows is read as Markdown. (A sanitiser such as
    # DOMPurify, which st.html uses, also drops a whole style whose text holds something like a tag.)
    import re
    from pathlib import Path

    for css in (Path(__file__).resolve().parent.parent / "assets").glob("*.css"):
        assert not re.search(r"<[/\w!]|\]>|-->", css.read_text(encoding="utf-8")), css.name


def test_the_page_style_is_one_style_element_closed_on_its_last_line():
    from components.layout import page_style

    for presenting in (False, True):
        html = page_style(presenting)
        lines = html.rstrip("\n").split("\n")
        assert lines[0] == "<style>" and lines[-1] == "</style>" and html.endswith("</style>\n\n")
        assert html.count("<style") == 1 and html.count("</style>") == 1
    assert "font-size: 22px !important" in page_style(True) and "font-size: 22px !important" not in page_style(False)


def test_the_page_style_is_sent_without_its_comments_and_keeps_every_rule():
    import re
    from pathlib import Path

    from components.layout import page_style

    sent = page_style(True)
    assert "/*" not in sent and "*/" not in sent and "\n\n" not in sent.rstrip("\n")
    source = "".join(p.read_text(encoding="utf-8") for p in sorted((Path(__file__).resolve().parent.parent / "assets").glob("*.css")))
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    # Every selector and declaration of the files is sent, none changed.
    words = lambda css: re.findall(r"[^\s{};]+(?: [^\s{};]+)*", css)  # noqa: E731
    assert sorted(words(sent.removeprefix("<style>").removesuffix("</style>\n\n"))) == sorted(words(source))

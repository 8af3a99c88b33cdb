"""Classroom mode through AppTest on SQLite: create a class, join, submit, the board, reveal,
lock, expiry, a wrong teacher key, bad links; the guide; predicting alone."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from classroom.store import DATABASE_URL_ENV, ClassStore
from components.text import md
from components.verdicts import VERDICT_WORDS
from engine.evaluate import evaluate

from .conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/classes.sqlite3"
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    s = ClassStore(url)
    yield s
    s.dispose()


def open_app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    ok(at)
    return at


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def page(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info] + [s.value for s in at.success]
    return "\n".join(parts)


def url(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def teacher_creates(db) -> tuple[AppTest, str, str]:
    at = open_app(view="class")
    at.segmented_control(key="class_mode").set_value("start").run()
    at.text_input(key="class_title").input("Year 12, Tuesday").run()
    at.button(key="class_create").click().run()
    ok(at)
    code, key = at.session_state["class_code"], at.session_state["teacher_key"]
    assert db.find_class(code).title == "Year 12, Tuesday"
    assert any(f"teacher={key}" in c.value for c in at.code)
    # The link the app offers for sharing never holds the key; the teacher's own address bar does.
    assert url(at)["teacher"] == key
    at.button(key="class_to_board").click().run()
    ok(at)
    assert url(at)["view"] == "board"
    return at, code, key


def group_joins(code: str, name: str, side: str, **params: str) -> AppTest:
    at = open_app(view="class", **{"class": code}, **params)
    assert at.text_input(key="class_join_code").value == code
    at.text_input(key="class_join_name").input(name)
    at.selectbox(key="class_join_side").set_value(side)
    at.button(key="FormSubmitter:class_join_form-Join").click().run()
    ok(at)
    assert md(f"Group “{name}”") in page(at)
    return at


def submit(at: AppTest, rationale: str, guess: dict[str, str] | None = None) -> None:
    for side, verdict in (guess or {}).items():
        at.selectbox(key=f"class_guess_{side}").set_value(verdict)
    at.text_area(key="class_rationale").input(rationale)
    at.button(key="class_submit").click().run()
    ok(at)


def test_the_whole_lesson(db, corpus):
    board, code, key = teacher_creates(db)
    assert "No deal yet" in page(board)
    assert "Reveal the verdicts" in [b.label for b in board.button]

    g1 = group_joins(code, "Table <1>", "russia", preset="kremlin_terms")
    kremlin = corpus.preset("kremlin_terms").scenario
    truth = evaluate(corpus, kremlin)
    submit(g1, "Peace **now** <script>x</script>", guess={s.id: s.verdict for s in truth.sides})
    assert "On the board" in page(g1) and "reveals the verdicts" in page(g1)

    g2 = group_joins(code, "Table 2", "ukraine", preset="kyiv_terms")
    g2.radio(key="term__sanctions").set_value("lift_all").run()
    submit(g2, "Kyiv could live with it")
    assert len(db.submissions(db.find_class(code).id)) == 2

    board.run()
    ok(board)
    text = page(board)
    assert md("Table <1>") in text and "Table 2" in text
    assert md("Peace **now** <script>x</script>") in text  # shown as typed, never rendered
    assert "<script>" not in text
    assert "Verdicts hidden" in text and "▒▒▒" in text
    assert not any(VERDICT_WORDS["red_line_crossed"] in m for m in text.splitlines() if "▒" not in m and m.startswith("Russia"))

    board.button(key="board_reveal").click().run()
    ok(board)
    text = page(board)
    assert "▒▒▒" not in text
    for sd in truth.sides:
        assert VERDICT_WORDS[sd.verdict] in text
    assert "Closest to a deal all four could accept" in text or "All four sides could accept" in text
    assert "Predict, then reveal" in text and "1 group guessed" in text
    assert "Questions for the discussion" in text

    g1.run()
    ok(g1)
    assert "Your score" in page(g1)
    assert any(f"{len(truth.sides)} of {len(truth.sides)} verdicts right" in s.value for s in g1.success)

    board.button(key="board_lock").click().run()
    ok(board)
    g2.run()
    assert g2.button(key="class_submit").disabled
    assert "locked" in page(g2)

    # Exports: the debrief holds the deals' quotes, the CSV a row per deal.
    board.button(key="board_end").click().run()
    ok(board)
    assert "The class has ended" in page(board)


def test_a_wrong_teacher_key_shows_a_plain_notice_and_no_controls(db):
    info, key = db.create_class("C")
    at = open_app(view="board", **{"class": info.code}, teacher=key[:-2] + "xx")
    assert any("does not match" in w.value for w in at.warning)
    assert "board_reveal" not in [b.key for b in at.button]
    at = open_app(view="board", **{"class": info.code}, teacher="not a key!")
    assert any("teacher key" in w.value for w in at.warning)
    at = open_app(view="board", **{"class": info.code}, teacher=key)
    assert not at.warning
    assert "board_reveal" in [b.key for b in at.button]


@pytest.mark.parametrize("view", ["class", "board"])
def test_a_stale_or_bad_class_link_gives_a_notice_and_a_working_page(db, view):
    at = open_app(view=view, **{"class": "ABCDEFG"})
    assert any("No class has this code" in w.value for w in at.warning)
    at = open_app(view=view, **{"class": "<b>0O1</b>"})
    assert any(md("'<b>0O1</b>'") in w.value for w in at.warning)
    assert "class" not in url(at)
    if view == "class":
        assert at.button(key="FormSubmitter:class_join_form-Join")


def test_an_expired_class_is_refused_and_purged(db):
    info, key = db.create_class("Old")
    g = db.join(info.id, "G")
    db.submit(info.id, g.id, "territory=freeze_line", "")
    with db.engine.begin() as c:
        c.execute(text("UPDATE classes SET expires_at = 0 WHERE id = :i"), {"i": info.id})
    at = open_app(view="board", **{"class": info.code}, teacher=key)
    assert any("expired" in w.value for w in at.warning)
    assert info.id not in db.class_ids()
    at = open_app(view="class", **{"class": info.code})
    assert any("No class has this code" in w.value for w in at.warning)


def test_joining_too_often_is_rate_limited(db):
    at = open_app(view="class")
    for i in range(6):
        at.text_input(key="class_join_code").input("ABCDEFG")
        at.text_input(key="class_join_name").input(f"G{i}")
        at.button(key="FormSubmitter:class_join_form-Join").click().run()
        ok(at)
    assert any("Too many tries" in w.value for w in at.warning)


def test_a_group_name_too_long_is_refused(db):
    info, _ = db.create_class("C")
    at = open_app(view="class", **{"class": info.code})
    at.text_input(key="class_join_name").input("x" * 41)  # the widget's max_chars stops a browser; the store stops the rest
    at.button(key="FormSubmitter:class_join_form-Join").click().run()
    ok(at)
    assert at.warning and db.groups(info.id) == []


def test_practise_alone_guess_then_reveal(db, corpus):
    at = open_app(view="class", preset="kremlin_terms")
    at.segmented_control(key="class_mode").set_value("alone").run()
    ev = evaluate(corpus, corpus.preset("kremlin_terms").scenario)
    assert not any(VERDICT_WORDS[sd.verdict] in m.value and sd.name in m.value for m in at.markdown for sd in ev.sides)
    for sd in ev.sides:
        at.selectbox(key=f"alone_guess_{sd.id}").set_value(sd.verdict)
    at.button(key="alone_reveal").click().run()
    ok(at)
    assert any(f"{len(ev.sides)} of {len(ev.sides)} verdicts right" in s.value for s in at.success)
    assert db.class_ids() == []  # nothing stored
    at.radio(key="term__territory").set_value("restore_1991").run()
    assert not at.success  # a new scenario hides the answers again


def test_the_guide_has_the_lesson_plan_and_working_links(db):
    at = open_app(view="guide")
    text = page(at)
    assert "45-minute" in text and "Before the lesson" in text and "After the lesson" in text
    assert "?view=class" in text and "preset=kremlin_terms" in text
    assert url(at)["view"] == "guide"


def test_a_role_brief_can_be_read_and_downloaded(db, corpus):
    info, _ = db.create_class("C")
    at = group_joins(info.code, "Briefed", "ukraine")
    assert any("role brief" in b.label.lower() for b in at.get("download_button"))
    at.session_state["x_brief_group_ukraine"] = True
    at.run()
    ok(at)
    assert "Stated by" in page(at) or "Attributed to Ukraine by" in page(at)


def test_the_teacher_gives_sides_removes_a_deal_and_deletes_the_class(db):
    info, key = db.create_class("C")
    g = db.join(info.id, "Latecomers")
    db.submit(info.id, g.id, "territory=freeze_line", "first try")
    at = open_app(view="board", **{"class": info.code}, teacher=key)
    assert "Latecomers" in page(at)
    at.selectbox(key="board_side_group").set_value(g.id)
    at.selectbox(key="board_side_pick").set_value("europe")
    at.button(key="board_side_set").click().run()
    ok(at)
    assert db.group(info.id, g.id).side == "europe"
    at.selectbox(key="board_remove_pick").set_value(db.submissions(info.id)[0].id)
    at.button(key="board_remove").click().run()
    ok(at)
    assert db.submissions(info.id) == [] and "No deal yet" in page(at)
    at.checkbox(key="board_delete_sure").check().run()
    at.button(key="board_delete").click().run()
    ok(at)
    assert info.id not in db.class_ids()
    assert "class" not in url(at) and "teacher" not in url(at)

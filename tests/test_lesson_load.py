"""The load tool's lesson (bench/loadgen/lesson.py, issue 10 §6) against the real app, at a small
N: the board refreshes over the websocket, every group joins through the Join form and submits
through the Submit button, and every submission is in the store. No timing asserts (the figures
go to bench/LOAD.md)."""

from __future__ import annotations

from bench.loadgen.lesson import GROUP_NAME, LESSON_FIELDS
from classroom.store import ClassStore

from .test_load import run_load


def test_the_lesson_lands_every_submission_and_counts_the_board_refreshes(tmp_path):
    db = f"sqlite:///{tmp_path}/classes.sqlite3"
    report = run_load(
        tmp_path, "--app", "app.py", "--sessions", "", "--no-floor", "--lesson", "3", "--lesson-duration", "10",
        "--lesson-board-alone", "5", "--lesson-database-url", db, "--timeout", "60", timeout=300,
    )
    assert report["errors"] == 0 and report["exceptions"] == 0, report["_stdout"]
    app = report["targets"]["app"]
    assert app["phases"] == []  # --sessions '' runs the lesson alone
    les = app["lesson"]
    assert set(LESSON_FIELDS) <= les.keys(), set(LESSON_FIELDS) - les.keys()
    assert les["errors"] == 0 and les["exceptions"] == 0, (les["error_samples"], les["exception_samples"])
    assert les["groups"] == les["joined_ws"] == 3
    assert les["submissions_attempted"] == les["submissions_landed"] == 3
    # counted again here, in the store the server wrote to
    store = ClassStore(db)
    try:
        info = store.find_class(les["class_code"])
        subs = store.submissions(info.id)
        assert sorted(s.group_name for s in subs) == sorted(GROUP_NAME.format(i=i) for i in range(3))
        assert len(store.groups(info.id)) == 3
    finally:
        store.dispose()
    # the board refreshed (its fragment reruns, requested as the browser's timer does) before, during and after
    assert les["board_alone_refreshes"] >= 1 and les["board_refreshes"] >= 1 and les["board_full_refreshes"] >= 1
    assert les["group_reruns"] >= 3 + 3  # at least one term change and the submit per group
    for k in ("group_p50_ms", "group_p95_ms", "group_max_ms"):
        assert isinstance(les[k], (int, float)) and les[k] > 0, k
    assert {"empty", "full"} <= les["server_cpu_ms_per_board_refresh"].keys()
    assert les["board_bytes_per_refresh"]["full"] > les["board_bytes_per_refresh"]["empty"]  # the deals are on it
    assert "lesson: board alone" in report["_stdout"]

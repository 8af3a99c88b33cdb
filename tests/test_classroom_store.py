"""The class store (classroom/store.py) on SQLite and, where one can be started, on Postgres:
the schema and its migrations, codes and keys, isolation between classes, caps, expiry, and
nothing lost when 30 groups submit at once or the server restarts."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from classroom import store as st_mod
from classroom.store import (
    CLASS_TTL_S, CODE_ALPHABET, CODE_LENGTH, SCHEMA_VERSION, ClassExpired, ClassNotFound, ClassStore, Refused,
    WrongTeacherKey, code_problem, normalise_code,
)

from .pg import fresh_database, postgres_server  # noqa: F401  (the fixture)


class Clock:
    def __init__(self, t: float = 1_800_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/classes.sqlite3"
    server = request.getfixturevalue("postgres_server")
    return fresh_database(server)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(db_url, clock):
    s = ClassStore(db_url, clock=clock)
    yield s
    s.dispose()


def test_the_schema_is_created_versioned_and_migrating_again_changes_nothing(db_url):
    s = ClassStore(db_url)
    assert s.schema_version() == SCHEMA_VERSION
    assert s.migrate() == SCHEMA_VERSION
    assert s.schema_version() == SCHEMA_VERSION
    s.dispose()


def test_an_old_schema_is_upgraded_in_place_keeping_its_classes(db_url):
    old = ClassStore(db_url, migrate=False)
    assert old.migrate(target=1) == 1
    with old.engine.begin() as c:
        c.execute(text("INSERT INTO classes (id, code, title, teacher_hash, created_at, expires_at) "
                       "VALUES ('c1', 'ABCDEFG', 'Old', 'x', 0, 99999999999999)"))
    old.dispose()
    new = ClassStore(db_url)
    assert new.schema_version() == SCHEMA_VERSION
    info = new.find_class("ABCDEFG")
    g = new.join(info.id, "Team")
    new.submit(info.id, g.id, "territory=freeze_line", "why", guess={"verdicts": {"russia": "red_line_crossed"}, "outcomes": []})
    assert new.submissions(info.id)[0].guess["verdicts"] == {"russia": "red_line_crossed"}
    new.dispose()


def test_a_class_gets_a_short_unambiguous_code_and_only_the_hash_of_its_key(store):
    info, key = store.create_class("Tuesday")
    assert len(info.code) == CODE_LENGTH >= 6
    assert set(info.code) <= set(CODE_ALPHABET) and not set(info.code) & set("0O1IL")
    assert len(key) >= 40
    assert normalise_code(info.code.lower()[:3] + "-" + info.code[3:]) == info.code
    assert code_problem("ABC") and code_problem("0000000") and not code_problem(info.code)
    with store.engine.connect() as c:
        for table in ("classes", "groups", "submissions", "schema_version"):
            for row in c.execute(text(f"SELECT * FROM {table}")):
                assert key not in " ".join(map(str, row)), f"the teacher key is stored in {table}"
    assert store.is_teacher(info.id, key)
    assert not store.is_teacher(info.id, key[:-1] + ("A" if key[-1] != "A" else "B"))
    assert not store.is_teacher(info.id, "")


def test_groups_rejoin_by_name_and_fields_are_capped(store):
    info, _ = store.create_class("C")
    g = store.join(info.id, "  Table\u00a0 3\x00 ", "russia")
    assert g.name == "Table 3"
    assert store.join(info.id, "TABLE 3").id == g.id
    with pytest.raises(Refused):
        store.join(info.id, "x" * (st_mod.GROUP_NAME_MAX + 1))
    with pytest.raises(Refused):
        store.join(info.id, "   ")
    with pytest.raises(Refused):
        store.submit(info.id, g.id, "territory=freeze_line", "y" * (st_mod.RATIONALE_MAX + 1))
    sub = store.submit(info.id, g.id, "territory=freeze_line", "  line one\nline two  ")
    assert sub.rationale == "line one\nline two"


def test_nothing_of_one_class_is_visible_or_changeable_from_another(store):
    a, key_a = store.create_class("A")
    b, key_b = store.create_class("B")
    ga, gb = store.join(a.id, "Same name"), store.join(b.id, "Same name")
    assert ga.id != gb.id
    sb = store.submit(b.id, gb.id, "territory=freeze_line", "b's")
    store.submit(a.id, ga.id, "territory=freeze_line", "a's")
    assert [s.rationale for s in store.submissions(a.id)] == ["a's"]
    assert store.group(a.id, gb.id) is None
    with pytest.raises(Refused):
        store.submit(a.id, gb.id, "territory=freeze_line", "a group of b into a")
    assert not store.remove_submission(a.id, key_a, sb.id)  # a's key, b's deal: nothing happens
    assert len(store.submissions(b.id)) == 1
    with pytest.raises(WrongTeacherKey):
        store.remove_submission(b.id, key_a, sb.id)
    with pytest.raises(WrongTeacherKey):
        store.update_class(b.id, key_a, reveal=True)
    with pytest.raises(WrongTeacherKey):
        store.delete_class(b.id, key_a)


def test_teacher_controls_lock_end_remove_and_delete(store):
    info, key = store.create_class("C")
    g = store.join(info.id, "G")
    sub = store.submit(info.id, g.id, "territory=freeze_line", "")
    assert store.update_class(info.id, key, reveal=True).reveal
    store.update_class(info.id, key, locked=True)
    with pytest.raises(Refused, match="locked"):
        store.submit(info.id, g.id, "territory=freeze_line", "late")
    store.update_class(info.id, key, locked=False, ended=True)
    with pytest.raises(Refused, match="ended"):
        store.submit(info.id, g.id, "territory=freeze_line", "late")
    with pytest.raises(Refused, match="ended"):
        store.join(info.id, "Newcomers")
    assert store.join(info.id, "g").id == g.id  # a group that was there may come back
    assert store.remove_submission(info.id, key, sub.id)
    assert store.submissions(info.id) == []
    store.delete_class(info.id, key)
    with pytest.raises(ClassNotFound):
        store.find_class(info.code)


def test_a_resubmission_replaces_the_groups_deal(store):
    info, _ = store.create_class("C")
    g = store.join(info.id, "G")
    store.submit(info.id, g.id, "territory=freeze_line", "first")
    store.submit(info.id, g.id, "territory=restore_1991", "second")
    [only] = store.submissions(info.id)
    assert only.rationale == "second"


def test_per_class_caps(store, monkeypatch):
    monkeypatch.setattr(st_mod, "MAX_GROUPS", 2)
    monkeypatch.setattr(st_mod, "MAX_SUBMISSIONS", 3)
    info, _ = store.create_class("C")
    g1, _g2 = store.join(info.id, "One"), store.join(info.id, "Two")
    with pytest.raises(Refused, match="full"):
        store.join(info.id, "Three")
    for _ in range(3):
        store.submit(info.id, g1.id, "territory=freeze_line", "")
    with pytest.raises(Refused):
        store.submit(info.id, g1.id, "territory=freeze_line", "")


def test_classes_expire_after_30_days_and_are_purged_on_access(store, clock):
    info, key = store.create_class("Old")
    g = store.join(info.id, "G")
    store.submit(info.id, g.id, "territory=freeze_line", "")
    clock.t += CLASS_TTL_S - 60
    assert store.find_class(info.code).id == info.id
    clock.t += 120
    with pytest.raises(ClassExpired):
        store.submit(info.id, g.id, "territory=freeze_line", "")
    with pytest.raises(ClassExpired):
        store.find_class(info.code)
    assert info.id not in store.class_ids()
    with store.engine.connect() as c:
        assert c.execute(text("SELECT COUNT(*) FROM submissions")).scalar_one() == 0
        assert c.execute(text("SELECT COUNT(*) FROM groups")).scalar_one() == 0
    with pytest.raises(ClassNotFound):
        store.find_class(info.code)


def _at_once(n: int, work) -> list[BaseException]:
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            work(i)
        except BaseException as exc:  # noqa: BLE001 - every failure is reported
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_30_groups_joining_and_submitting_in_the_same_second_all_land(store, corpus):
    from classroom.deals import deal_query

    info, _ = store.create_class("Busy")
    groups: dict[int, object] = {}
    assert _at_once(30, lambda i: groups.__setitem__(i, store.join(info.id, f"Group {i}", corpus.side_ids[i % 4]))) == []
    assert len(store.groups(info.id)) == 30
    presets = [p.scenario for p in corpus.presets]
    errors = _at_once(30, lambda i: store.submit(info.id, groups[i].id, deal_query(corpus, presets[i % len(presets)]), f"reason {i}"))
    assert errors == []
    subs = store.submissions(info.id)
    assert sorted(s.rationale for s in subs) == sorted(f"reason {i}" for i in range(30))
    assert store.find_class(info.code).submissions_total == 30


def test_a_restart_in_the_middle_of_a_lesson_loses_nothing(db_url, clock):
    first = ClassStore(db_url, clock=clock)
    info, key = first.create_class("Lesson")
    gs = [first.join(info.id, f"G{i}") for i in range(5)]
    for i, g in enumerate(gs):
        first.submit(info.id, g.id, "territory=freeze_line", f"r{i}")
    first.update_class(info.id, key, reveal=True)
    first.dispose()  # the server goes away...
    second = ClassStore(db_url, clock=clock)  # ...and comes back
    assert second.find_class(info.code).reveal
    assert sorted(s.rationale for s in second.submissions(info.id)) == [f"r{i}" for i in range(5)]
    assert second.join(info.id, "g3").id == gs[3].id  # a group rejoins by its name
    assert second.is_teacher(info.id, key)
    second.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    s = ClassStore(f"sqlite:///{tmp_path}/x.sqlite3")
    with s.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    s.dispose()


def test_the_default_database_is_a_file_git_ignores(monkeypatch):
    monkeypatch.delenv(st_mod.DATABASE_URL_ENV, raising=False)
    url = st_mod.database_url()
    assert url.endswith(".data/classes.sqlite3")
    assert "/.data/" in (st_mod.PROJECT_ROOT / ".gitignore").read_text()
    monkeypatch.setenv(st_mod.DATABASE_URL_ENV, "postgresql+psycopg://u:secret@h/db")
    assert st_mod.database_url("sqlite:///other") == "postgresql+psycopg://u:secret@h/db"
    assert "secret" not in st_mod.redact(st_mod.database_url())

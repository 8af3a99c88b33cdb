"""The class store: classes, their groups and the deals groups submit, in a real database.

SQLite by default (a file under `.data/`, created on first use, in WAL mode with a busy timeout
so that concurrent writers wait rather than fail); any database SQLAlchemy reaches through a
URL (`PEACE_TERMS_DATABASE_URL`, e.g. Postgres), so that several app processes or machines
share one class board. SQLAlchemy Core only; one `ClassStore` (and its connection pool) per
process.

The schema is versioned: `schema_version` holds the version, MIGRATIONS the ordered SQL steps
that reach each version; `migrate()` applies the missing ones in one transaction (under an
advisory lock on Postgres, under SQLite's write lock on SQLite).

Rules the store enforces whatever the caller does: every query names its class (nothing of one
class is visible from another); text fields are length-capped; the teacher key is kept only as
its SHA-256 hash and compared in constant time; classes expire CLASS_TTL after creation and
are refused and purged on access; a class holds at most MAX_GROUPS groups and takes at most
MAX_SUBMISSIONS submissions over its life; a locked or ended class takes no submission.
Errors a user may meet are `ClassroomError`s whose message is plain text, fit to show.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = PROJECT_ROOT / ".data" / "classes.sqlite3"
DATABASE_URL_ENV = "PEACE_TERMS_DATABASE_URL"

# Join codes: no 0/O, 1/I/L (nor U/V, easily confused on a projector).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_LENGTH = 7
TEACHER_KEY_BYTES = 32  # secrets.token_urlsafe(32): 43 characters
TEACHER_KEY_MAX = 100
TITLE_MAX = 80
GROUP_NAME_MAX = 40
RATIONALE_MAX = 500
SIDE_MAX = 40
SCENARIO_MAX = 4000
GUESS_MAX = 2000
CLASS_TTL_S = 30 * 24 * 3600
MAX_GROUPS = 60
MAX_SUBMISSIONS = 2000


class ClassroomError(Exception):
    """A refusal a user may meet; str() is plain text, fit to show."""


class ClassNotFound(ClassroomError):
    pass


class ClassExpired(ClassNotFound):
    pass


class WrongTeacherKey(ClassroomError):
    pass


class Refused(ClassroomError):
    """Locked, ended, full, or a field that breaks a rule."""


@dataclass(frozen=True)
class ClassInfo:
    id: str
    code: str
    title: str
    created_at: float
    expires_at: float
    reveal: bool
    locked: bool
    ended: bool
    groups: int = 0
    submissions_total: int = 0


@dataclass(frozen=True)
class Group:
    id: str
    class_id: str
    name: str
    side: str | None
    joined_at: float


@dataclass(frozen=True)
class Submission:
    id: str
    class_id: str
    group_id: str
    group_name: str
    side: str | None
    scenario: str  # the deal as the engine's URL contract writes it (engine/query.py)
    rationale: str
    guess: dict[str, Any] | None
    submitted_at: float


# --- Schema -------------------------------------------------------------------------------------

# MIGRATIONS[i] takes the schema from version i to version i + 1. Portable SQL (SQLite and
# Postgres): text ids made here, integers for flags, BIGINT milliseconds for times.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE classes (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            teacher_hash TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            reveal INTEGER NOT NULL DEFAULT 0,
            locked INTEGER NOT NULL DEFAULT 0,
            ended INTEGER NOT NULL DEFAULT 0,
            groups_count INTEGER NOT NULL DEFAULT 0,
            submissions_total INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX classes_expires ON classes (expires_at)",
        """CREATE TABLE groups (
            id TEXT PRIMARY KEY,
            class_id TEXT NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            side TEXT,
            joined_at BIGINT NOT NULL,
            UNIQUE (class_id, name_key)
        )""",
        """CREATE TABLE submissions (
            id TEXT PRIMARY KEY,
            class_id TEXT NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
            group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
            side TEXT,
            scenario TEXT NOT NULL,
            rationale TEXT NOT NULL,
            submitted_at BIGINT NOT NULL,
            UNIQUE (class_id, group_id)
        )""",
        "CREATE INDEX submissions_class ON submissions (class_id)",
    ),
    # Version 2: a group's guess (predict, then reveal) travels with its deal.
    ("ALTER TABLE submissions ADD COLUMN guess TEXT",),
)
SCHEMA_VERSION = len(MIGRATIONS)


def database_url(configured: str | None = None) -> str:
    """The database to use: the env variable, else the one configured (the app's secrets),
    else the SQLite file under `.data/`."""
    url = (os.environ.get(DATABASE_URL_ENV) or configured or "").strip()
    return url or f"sqlite:///{DEFAULT_PATH}"


def redact(url: str) -> str:
    """A database URL fit for a log or a caption: no password."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", url)


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, pool_size=10, max_overflow=40, pool_timeout=60, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised through every query
            dbapi_conn.isolation_level = None  # transactions are begun below, not by pysqlite
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout = 30000")  # a writer waits up to 30 s for the lock
            cur.execute("PRAGMA journal_mode = WAL")  # readers never block the writer, nor it them
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # pragma: no cover
            # A write takes the lock when it begins (waiting on busy_timeout), so it never fails
            # half-way on a lock upgrade; a read begins deferred and never waits.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write", True) else "BEGIN")

        return engine
    return create_engine(url, pool_size=10, max_overflow=40, pool_timeout=60, pool_pre_ping=True)


def _ms(t: float) -> int:
    return int(round(t * 1000))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """A join code as typed ('abc-d23 4') in its stored form ('ABCD234')."""
    return "".join(ch for ch in str(raw).upper() if ch.isalnum())


def code_problem(raw: str) -> str | None:
    """Why a text cannot be a join code, or None."""
    code = normalise_code(raw)
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return f"a class code is {CODE_LENGTH} letters and digits (no 0, O, 1, I, L, U or V)"
    return None


def teacher_key_problem(raw: str) -> str | None:
    if not raw or len(raw) > TEACHER_KEY_MAX or not re.fullmatch(r"[A-Za-z0-9_-]+", raw):
        return "not a teacher key"
    return None


def clean_text(raw: str, limit: int, what: str, *, one_line: bool = True, required: bool = True) -> str:
    """A user's text: control characters dropped, white space tidied, at most `limit` characters.

    Longer text is refused, not cut (the form's own limit stops it first).
    """
    value = "".join(ch for ch in str(raw) if unicodedata.category(ch)[0] != "C" or (ch == "\n" and not one_line))
    value = " ".join(value.split()) if one_line else "\n".join(" ".join(line.split()) for line in value.strip().splitlines())
    if required and not value:
        raise Refused(f"The {what} is empty.")
    if len(value) > limit:
        raise Refused(f"The {what} is longer than {limit} characters.")
    return value


class ClassStore:
    """One database of classes. Thread-safe; share one per process."""

    def __init__(self, url: str | None = None, *, clock: Callable[[], float] = time.time, migrate: bool = True):
        self.url = database_url(url)
        self.engine = _make_engine(self.url)
        self.clock = clock
        if migrate:
            self.migrate()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()

    # -- transactions ----------------------------------------------------------------------------
    def _write(self):
        return self.engine.begin()

    def _read(self):
        store = self

        class _Read:
            def __enter__(self_inner) -> Connection:
                self_inner.conn = store.engine.connect().execution_options(write=False)
                self_inner.tx = self_inner.conn.begin()
                return self_inner.conn

            def __exit__(self_inner, *exc) -> None:
                try:
                    self_inner.tx.rollback()
                finally:
                    self_inner.conn.close()

        return _Read()

    # -- schema ----------------------------------------------------------------------------------
    def migrate(self, target: int = SCHEMA_VERSION) -> int:
        """Bring the schema to `target` (default: the latest); returns the version reached."""
        with self._write() as c:
            if self.dialect == "postgresql":
                c.execute(text("SELECT pg_advisory_xact_lock(7310001)"))
            c.execute(text("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"))
            row = c.execute(text("SELECT version FROM schema_version")).first()
            if row is None:
                c.execute(text("INSERT INTO schema_version (version) VALUES (0)"))
                current = 0
            else:
                current = int(row[0])
            for version in range(current, min(target, SCHEMA_VERSION)):
                for step in MIGRATIONS[version]:
                    c.execute(text(step))
            reached = max(current, min(target, SCHEMA_VERSION))
            c.execute(text("UPDATE schema_version SET version = :v"), {"v": reached})
        return reached

    def schema_version(self) -> int:
        with self._read() as c:
            return int(c.execute(text("SELECT version FROM schema_version")).scalar_one())

    # -- classes ---------------------------------------------------------------------------------
    def _purge_expired(self, c: Connection, now_ms: int) -> None:
        expired = [r[0] for r in c.execute(text("SELECT id FROM classes WHERE expires_at <= :now"), {"now": now_ms})]
        for class_id in expired:
            self._delete(c, class_id)

    @staticmethod
    def _delete(c: Connection, class_id: str) -> None:
        for table in ("submissions", "groups"):
            c.execute(text(f"DELETE FROM {table} WHERE class_id = :cid"), {"cid": class_id})
        c.execute(text("DELETE FROM classes WHERE id = :cid"), {"cid": class_id})

    @staticmethod
    def _class(row: Any) -> ClassInfo:
        m = row._mapping
        return ClassInfo(
            id=m["id"], code=m["code"], title=m["title"],
            created_at=m["created_at"] / 1000, expires_at=m["expires_at"] / 1000,
            reveal=bool(m["reveal"]), locked=bool(m["locked"]), ended=bool(m["ended"]),
            groups=int(m["groups_count"]), submissions_total=int(m["submissions_total"]),
        )

    _CLASS_COLUMNS = "id, code, title, created_at, expires_at, reveal, locked, ended, groups_count, submissions_total"

    def create_class(self, title: str = "") -> tuple[ClassInfo, str]:
        """A new class: its record and the teacher key (returned once; only its hash is kept)."""
        title = clean_text(title or "Class", TITLE_MAX, "class name")
        key = secrets.token_urlsafe(TEACHER_KEY_BYTES)
        now = self.clock()
        for _ in range(20):
            class_id, code = secrets.token_hex(8), new_code()
            try:
                with self._write() as c:
                    self._purge_expired(c, _ms(now))
                    c.execute(
                        text(
                            "INSERT INTO classes (id, code, title, teacher_hash, created_at, expires_at) "
                            "VALUES (:id, :code, :title, :hash, :created, :expires)"
                        ),
                        {"id": class_id, "code": code, "title": title, "hash": hash_key(key),
                         "created": _ms(now), "expires": _ms(now + CLASS_TTL_S)},
                    )
            except IntegrityError:  # the code is taken: draw another
                continue
            return self.find_class(code), key
        raise ClassroomError("Could not find a free class code; try again.")

    def find_class(self, code: str) -> ClassInfo:
        """The class with this join code; ClassNotFound (or ClassExpired, after purging it)."""
        if code_problem(code):
            raise ClassNotFound("No class has this code.")
        code = normalise_code(code)
        with self._read() as c:
            row = c.execute(text(f"SELECT {self._CLASS_COLUMNS} FROM classes WHERE code = :code"), {"code": code}).first()
        if row is None:
            raise ClassNotFound("No class has this code: check it with your teacher.")
        info = self._class(row)
        if info.expires_at <= self.clock():
            with self._write() as c:
                self._purge_expired(c, _ms(self.clock()))
            raise ClassExpired("This class has expired (classes are kept for 30 days) and has been deleted.")
        return info

    def _live_class(self, c: Connection, class_id: str) -> ClassInfo:
        row = c.execute(text(f"SELECT {self._CLASS_COLUMNS} FROM classes WHERE id = :cid"), {"cid": class_id}).first()
        if row is None:
            raise ClassNotFound("This class no longer exists.")
        info = self._class(row)
        if info.expires_at <= self.clock():
            raise ClassExpired("This class has expired (classes are kept for 30 days).")
        return info

    def _check_teacher(self, c: Connection, class_id: str, key: str) -> None:
        row = c.execute(text("SELECT teacher_hash FROM classes WHERE id = :cid"), {"cid": class_id}).first()
        if row is None:
            raise ClassNotFound("This class no longer exists.")
        if not key or not hmac.compare_digest(row[0], hash_key(key)):
            raise WrongTeacherKey("This teacher link's key does not match the class.")

    def is_teacher(self, class_id: str, key: str | None) -> bool:
        if not key or teacher_key_problem(key):
            return False
        with self._read() as c:
            try:
                self._check_teacher(c, class_id, key)
            except ClassroomError:
                return False
        return True

    def update_class(self, class_id: str, key: str, *, reveal: bool | None = None, locked: bool | None = None, ended: bool | None = None) -> ClassInfo:
        """Teacher controls: show or hide verdicts, lock submissions, end the class."""
        changes = {k: int(v) for k, v in (("reveal", reveal), ("locked", locked), ("ended", ended)) if v is not None}
        with self._write() as c:
            self._check_teacher(c, class_id, key)
            self._live_class(c, class_id)
            if changes:
                sets = ", ".join(f"{k} = :{k}" for k in changes)
                c.execute(text(f"UPDATE classes SET {sets} WHERE id = :cid"), {**changes, "cid": class_id})
            return self._live_class(c, class_id)

    def delete_class(self, class_id: str, key: str) -> None:
        with self._write() as c:
            self._check_teacher(c, class_id, key)
            self._delete(c, class_id)

    # -- groups ----------------------------------------------------------------------------------
    @staticmethod
    def _group(row: Any) -> Group:
        m = row._mapping
        return Group(m["id"], m["class_id"], m["name"], m["side"], m["joined_at"] / 1000)

    def join(self, class_id: str, name: str, side: str | None = None) -> Group:
        """Join a class as a group; the same name again (any case) rejoins that group."""
        name = clean_text(name, GROUP_NAME_MAX, "group name")
        if side is not None:
            side = clean_text(side, SIDE_MAX, "side")
        name_key = name.casefold()
        for _ in range(3):
            try:
                with self._write() as c:
                    info = self._live_class(c, class_id)
                    row = c.execute(
                        text("SELECT id, class_id, name, side, joined_at FROM groups WHERE class_id = :cid AND name_key = :k"),
                        {"cid": class_id, "k": name_key},
                    ).first()
                    if row is not None:
                        return self._group(row)
                    if info.ended:
                        raise Refused("This class has ended: it takes no new groups.")
                    took = c.execute(
                        text("UPDATE classes SET groups_count = groups_count + 1 WHERE id = :cid AND groups_count < :cap"),
                        {"cid": class_id, "cap": MAX_GROUPS},
                    ).rowcount
                    if not took:
                        raise Refused(f"This class is full ({MAX_GROUPS} groups).")
                    group = Group(secrets.token_hex(8), class_id, name, side, self.clock())
                    c.execute(
                        text("INSERT INTO groups (id, class_id, name, name_key, side, joined_at) VALUES (:id, :cid, :name, :k, :side, :t)"),
                        {"id": group.id, "cid": class_id, "name": name, "k": name_key, "side": side, "t": _ms(group.joined_at)},
                    )
                    return group
            except IntegrityError:  # the same name joined at the same moment: read it back
                continue
        raise ClassroomError("Could not join; try again.")

    def group(self, class_id: str, group_id: str) -> Group | None:
        with self._read() as c:
            row = c.execute(
                text("SELECT id, class_id, name, side, joined_at FROM groups WHERE class_id = :cid AND id = :gid"),
                {"cid": class_id, "gid": group_id},
            ).first()
        return self._group(row) if row else None

    def groups(self, class_id: str) -> list[Group]:
        with self._read() as c:
            rows = c.execute(
                text("SELECT id, class_id, name, side, joined_at FROM groups WHERE class_id = :cid ORDER BY joined_at, name_key"),
                {"cid": class_id},
            ).all()
        return [self._group(r) for r in rows]

    def set_side(self, class_id: str, group_id: str, side: str | None, key: str | None = None) -> None:
        """A group takes a side (or the teacher, with `key`, gives it one)."""
        if side is not None:
            side = clean_text(side, SIDE_MAX, "side")
        with self._write() as c:
            if key is not None:
                self._check_teacher(c, class_id, key)
            self._live_class(c, class_id)
            c.execute(text("UPDATE groups SET side = :side WHERE class_id = :cid AND id = :gid"), {"side": side, "cid": class_id, "gid": group_id})

    # -- submissions -----------------------------------------------------------------------------
    def submit(self, class_id: str, group_id: str, scenario: str, rationale: str, guess: dict[str, Any] | None = None) -> Submission:
        """A group's deal (replacing its earlier one). `scenario` must already be validated
        against the corpus (classroom.deals.validate_deal); the store checks only its size."""
        if not scenario or len(scenario) > SCENARIO_MAX:
            raise Refused("The deal is empty or too long.")
        rationale = clean_text(rationale, RATIONALE_MAX, "rationale", one_line=False, required=False)
        guess_text = json.dumps(guess, sort_keys=True) if guess else None
        if guess_text and len(guess_text) > GUESS_MAX:
            raise Refused("The guess is too long.")
        with self._write() as c:
            info = self._live_class(c, class_id)
            if info.ended:
                raise Refused("This class has ended: it takes no more deals.")
            if info.locked:
                raise Refused("Submissions are locked by the teacher.")
            row = c.execute(
                text("SELECT id, class_id, name, side, joined_at FROM groups WHERE class_id = :cid AND id = :gid"),
                {"cid": class_id, "gid": group_id},
            ).first()
            if row is None:
                raise Refused("Your group is not in this class (the teacher may have reset it): join again.")
            group = self._group(row)
            took = c.execute(
                text("UPDATE classes SET submissions_total = submissions_total + 1 WHERE id = :cid AND submissions_total < :cap"),
                {"cid": class_id, "cap": MAX_SUBMISSIONS},
            ).rowcount
            if not took:
                raise Refused(f"This class has taken its {MAX_SUBMISSIONS} submissions.")
            c.execute(text("DELETE FROM submissions WHERE class_id = :cid AND group_id = :gid"), {"cid": class_id, "gid": group_id})
            sub = Submission(secrets.token_hex(8), class_id, group_id, group.name, group.side, scenario, rationale,
                             guess, self.clock())
            c.execute(
                text(
                    "INSERT INTO submissions (id, class_id, group_id, side, scenario, rationale, guess, submitted_at) "
                    "VALUES (:id, :cid, :gid, :side, :sc, :why, :guess, :t)"
                ),
                {"id": sub.id, "cid": class_id, "gid": group_id, "side": group.side, "sc": scenario, "why": rationale,
                 "guess": guess_text, "t": _ms(sub.submitted_at)},
            )
            return sub

    def submissions(self, class_id: str) -> list[Submission]:
        """Every group's current deal in the class, in the order they came in."""
        with self._read() as c:
            rows = c.execute(
                text(
                    "SELECT s.id, s.class_id, s.group_id, g.name, s.side, s.scenario, s.rationale, s.guess, s.submitted_at "
                    "FROM submissions s JOIN groups g ON g.id = s.group_id AND g.class_id = s.class_id "
                    "WHERE s.class_id = :cid ORDER BY s.submitted_at, g.name_key"
                ),
                {"cid": class_id},
            ).all()
        out = []
        for r in rows:
            guess = None
            if r[7]:
                try:
                    guess = json.loads(r[7])
                except ValueError:
                    guess = None
            out.append(Submission(r[0], r[1], r[2], r[3], r[4], r[5], r[6], guess, r[8] / 1000))
        return out

    def remove_submission(self, class_id: str, key: str, submission_id: str) -> bool:
        with self._write() as c:
            self._check_teacher(c, class_id, key)
            n = c.execute(text("DELETE FROM submissions WHERE class_id = :cid AND id = :sid"), {"cid": class_id, "sid": submission_id}).rowcount
        return bool(n)

    def class_ids(self) -> Iterable[str]:
        """Every class's id (for tests and maintenance)."""
        with self._read() as c:
            return [r[0] for r in c.execute(text("SELECT id FROM classes"))]

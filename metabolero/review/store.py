"""The living-review store: a schema-versioned SQL database (SQLite file or PostgreSQL).

One ``Store`` wraps a SQLAlchemy engine. Writers go through ``Store.write()``: one
transaction that also holds the store's write lock (SQLite ``BEGIN IMMEDIATE``,
PostgreSQL a transaction-scoped advisory lock), so an update is all-or-nothing and two
updates never interleave. Schema changes are numbered migrations applied in order inside
such a transaction; a store is upgraded, never reset.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Callable, Iterator, Optional

import sqlalchemy as sa
from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Table, Text

from ..errors import StoreError

SCHEMA_VERSION = 2
DEFAULT_LOCK_TIMEOUT = 60.0          # seconds a second writer waits before giving up
_PG_LOCK_KEY = 0x6D6574616272        # advisory-lock key of metabolero stores ("metabr")

metadata = sa.MetaData()

schema_info = Table(
    "schema_info", metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("changed_at", String(40), nullable=False),
)

# One row per update (or re-extraction) that changed the store.
runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Column("extractor_version", String(64)),
    Column("n_new", Integer, nullable=False, default=0),
    Column("n_duplicates", Integer, nullable=False, default=0),
    Column("n_reextracted", Integer, nullable=False, default=0),
    Column("n_failed", Integer, nullable=False, default=0),
    Column("report", Text),
)

trials = Table(
    "trials", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
)

# Every acronym key (select.trial_key) and NCT number known to name a trial.
trial_aliases = Table(
    "trial_aliases", metadata,
    Column("alias", String(255), primary_key=True),
    Column("trial_id", Integer, ForeignKey("trials.id"), nullable=False, index=True),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("doc_key", String(255), nullable=False),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("pmid", String(32), unique=True),
    Column("doi", String(255), unique=True),
    Column("nct_ids", Text),                  # JSON list
    Column("acronyms", Text),                 # JSON list
    Column("title", Text),
    Column("journal", Text),
    Column("year", Integer),
    Column("source", Text),
    Column("format", String(32)),
    Column("trial_id", Integer, ForeignKey("trials.id"), nullable=False, index=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("extraction_run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("extractor_version", String(64)),
    Column("study", Text),                    # JSON of records.Study
    Column("flags", Text),                    # JSON list of document-level records.Flag
)

# Sources recognised as a publication already in the store (same PMID or DOI), by content hash,
# so that giving the same file again is known at once.
duplicates = Table(
    "duplicates", metadata,
    Column("id", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("source", Text),
    Column("reason", Text, nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
)

# Extracted values with provenance. ``payload`` is the record's JSON as it stands now (the
# reviewer's correction once corrected); the columns beside it mirror it for queries.
records = Table(
    "records", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False, index=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("kind", String(8), nullable=False),          # ratio | median
    Column("rkey", String(255), nullable=False),        # identity within the document across re-extractions
    Column("measure", String(4)),
    Column("endpoint", String(16)),
    Column("value", Float),
    Column("ci_low", Float),
    Column("ci_high", Float),
    Column("p", String(32)),
    Column("qualifier", Text),
    Column("experimental", Text),
    Column("control", Text),
    Column("stage", String(16)),
    Column("quote", Text),
    Column("payload", Text, nullable=False),
    Column("status", String(12), nullable=False, default="extracted"),   # extracted|verified|corrected|rejected
    Column("needs_review", Boolean, nullable=False, default=False),
    Column("review_reasons", Text),
    Column("active", Boolean, nullable=False, default=True),  # False once replaced by a re-extraction
    Index("ix_records_pool", "kind", "endpoint", "active"),
    Index("ix_records_review", "needs_review", "status"),
)

verifications = Table(
    "verifications", metadata,
    Column("id", Integer, primary_key=True),
    Column("record_id", Integer, ForeignKey("records.id"), nullable=False, index=True),
    Column("at", String(40), nullable=False),
    Column("action", String(12), nullable=False),       # verified | corrected | rejected
    Column("old_payload", Text, nullable=False),
    Column("new_payload", Text, nullable=False),
    Column("note", Text),
    Column("source", Text),
)

snapshots = Table(
    "snapshots", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False, index=True),
    Column("created_at", String(40), nullable=False),
    Column("analysis", String(255), nullable=False, index=True),
    Column("k", Integer, nullable=False),
    Column("estimate", Float),                # ratio scale (exp of the pooled log ratio)
    Column("ci_low", Float),
    Column("ci_high", Float),
    Column("tau2", Float),
    Column("i2", Float),
    Column("payload", Text, nullable=False),  # meta.analyses.AnalysisResult.to_dict()
)

snapshot_items = Table(
    "snapshot_items", metadata,
    Column("id", Integer, primary_key=True),
    Column("snapshot_id", Integer, ForeignKey("snapshots.id"), nullable=False, index=True),
    Column("record_id", Integer, ForeignKey("records.id"), nullable=False),
    Column("used", Boolean, nullable=False),
    Column("reason", Text),
)

# Schema version 2: a newer extractor's different answer on a reviewed record.
conflicts = Table(
    "conflicts", metadata,
    Column("id", Integer, primary_key=True),
    Column("record_id", Integer, ForeignKey("records.id"), nullable=False, index=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("extractor_version", String(64)),
    Column("payload", Text),                  # the newer extraction's record; NULL = no longer found
    Column("created_at", String(40), nullable=False),
    Column("resolved_at", String(40)),
)

_V1_TABLES = [schema_info, runs, trials, trial_aliases, documents, duplicates, records,
              verifications, snapshots, snapshot_items]


def _migrate_to_1(conn) -> None:
    metadata.create_all(conn, tables=_V1_TABLES)


def _migrate_to_2(conn) -> None:
    metadata.create_all(conn, tables=[conflicts])


# MIGRATIONS[v] takes a store at version v-1 to version v; a new store runs them all.
MIGRATIONS: dict[int, Callable] = {1: _migrate_to_1, 2: _migrate_to_2}


def now_iso() -> str:
    """Return the current UTC time as ISO 8601 text (seconds)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def normalise_url(url: str) -> str:
    """Return a SQLAlchemy URL; bare ``postgresql://`` gets the psycopg (3) driver installed with us."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def redact(url: str) -> str:
    """Return the URL with any password hidden, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown as given; it holds no parsed password
        return url


def _lock_timeout(value: Optional[float]) -> float:
    if value is not None:
        return float(value)
    env = os.environ.get("METABOLERO_LOCK_TIMEOUT")
    if env:
        try:
            return float(env)
        except ValueError:
            raise StoreError(f"METABOLERO_LOCK_TIMEOUT={env!r}: expected a number of seconds") from None
    return DEFAULT_LOCK_TIMEOUT


class Store:
    """A living-review database: ``write()`` and ``read()`` give locked/plain transactions.

    ``url`` is any SQLAlchemy URL (``sqlite:///path`` or ``postgresql://...``);
    ``lock_timeout`` (seconds; default 60 or $METABOLERO_LOCK_TIMEOUT) bounds how long a
    writer waits for another update to finish before failing with StoreError.
    """

    def __init__(self, url: str, lock_timeout: Optional[float] = None,
                 on_wait: Optional[Callable[[str], None]] = None):
        self.url = normalise_url(url)
        self.lock_timeout = _lock_timeout(lock_timeout)
        # Called with a message when a writer has to wait for another update's lock.
        self.on_wait = on_wait
        self.upgraded_from: Optional[int] = None     # set by open_store when it migrated the schema
        try:
            parsed = sa.engine.make_url(self.url)
        except sa.exc.ArgumentError as exc:
            raise StoreError(f"database URL {url!r}: {exc}") from exc
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise StoreError(f"database URL {redact(self.url)}: expected sqlite:/// or postgresql://")
        try:
            if self.dialect == "sqlite":
                self.engine = sa.create_engine(self.url, connect_args={"timeout": self.lock_timeout})
                sa.event.listen(self.engine, "connect", _sqlite_connect)
                sa.event.listen(self.engine, "begin", _sqlite_begin)
            else:
                self.engine = sa.create_engine(self.url, pool_pre_ping=True)
        except (ImportError, sa.exc.ArgumentError) as exc:
            raise StoreError(f"database URL {redact(self.url)}: cannot load its driver ({exc})") from exc

    def __repr__(self) -> str:
        return f"Store({redact(self.url)!r})"

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()

    # ------------------------------------------------------------------ transactions
    def _connect(self) -> sa.Connection:
        try:
            return self.engine.connect()
        except sa.exc.OperationalError as exc:
            raise StoreError(f"{redact(self.url)}: cannot connect ({_first_line(exc)})") from exc

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """Yield a connection in one transaction holding the store's write lock; commit on success."""
        conn = self._connect()
        try:
            if self.dialect == "sqlite":
                conn.execution_options(metabolero_begin="IMMEDIATE", metabolero_store=self)
                try:
                    tx = conn.begin()
                except (sa.exc.OperationalError, sqlite3.OperationalError) as exc:
                    if "locked" in str(exc) or "busy" in str(exc):
                        raise StoreError(self._busy_message()) from exc
                    raise StoreError(f"{redact(self.url)}: cannot start a transaction ({_first_line(exc)})") from exc
            else:
                tx = conn.begin()
                self._pg_lock(conn)
            try:
                yield conn
            except BaseException:
                tx.rollback()
                raise
            try:
                tx.commit()
            except sa.exc.DBAPIError as exc:
                raise StoreError(f"{redact(self.url)}: commit failed, nothing was written ({_first_line(exc)})") from exc
        finally:
            conn.close()

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """Yield a connection in a read transaction (does not wait for a running update)."""
        conn = self._connect()
        try:
            with conn.begin():
                yield conn
        finally:
            conn.close()

    def _pg_lock(self, conn) -> None:
        # Polling try-lock rather than a blocking lock, so the wait is bounded and the
        # message says what is going on; the lock ends with the transaction (or the process).
        deadline = time.monotonic() + self.lock_timeout
        waiting = False
        while not conn.execute(sa.text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY}).scalar():
            if not waiting:
                waiting = True
                self._waiting()
            if time.monotonic() >= deadline:
                raise StoreError(self._busy_message())
            time.sleep(0.1)

    def _waiting(self) -> None:
        if self.on_wait is not None:
            self.on_wait(f"another update is writing to {redact(self.url)}; waiting up to {self.lock_timeout:g} s")

    def _busy_message(self) -> str:
        return (f"{redact(self.url)}: another update is writing to this review store; waited "
                f"{self.lock_timeout:g} s. Nothing was changed: run the command again when it has finished "
                f"(or raise METABOLERO_LOCK_TIMEOUT).")

    # ------------------------------------------------------------------ schema
    def schema_version(self, conn=None) -> Optional[int]:
        """Return the store's schema version, or None for an empty database."""
        if conn is None:
            with self.read() as c:
                return self.schema_version(c)
        names = set(sa.inspect(conn).get_table_names())
        if "schema_info" not in names:
            if names & {t.name for t in metadata.sorted_tables}:
                raise StoreError(f"{redact(self.url)}: has review tables but no schema_info table; "
                                 f"not a metabolero store (or damaged) — refusing to touch it")
            return None
        v = conn.execute(sa.select(sa.func.max(schema_info.c.version))).scalar()
        if v is None:
            raise StoreError(f"{redact(self.url)}: schema_info table is empty; cannot tell the schema version")
        return int(v)

    def migrate(self, target: int = SCHEMA_VERSION) -> list[int]:
        """Bring the schema up to ``target`` (creating it when empty); return the versions applied."""
        if target > SCHEMA_VERSION:
            raise StoreError(f"schema version {target} requested; this metabolero knows up to {SCHEMA_VERSION}")
        with self.write() as conn:
            current = self.schema_version(conn) or 0
            if current > SCHEMA_VERSION:
                raise StoreError(f"{redact(self.url)}: schema version {current} was written by a newer metabolero "
                                 f"(this one knows up to {SCHEMA_VERSION}); upgrade metabolero")
            applied = []
            for v in range(current + 1, target + 1):
                MIGRATIONS[v](conn)
                conn.execute(schema_info.insert().values(version=v, changed_at=now_iso()))
                applied.append(v)
            return applied


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


def _sqlite_connect(dbapi_conn, _record) -> None:
    # Let SQLAlchemy's begin event issue BEGIN itself (pysqlite's implicit BEGIN is deferred
    # and comes too late to take the write lock at the start of an update).
    dbapi_conn.isolation_level = None
    dbapi_conn.execute("PRAGMA foreign_keys=ON")


def _sqlite_begin(conn) -> None:
    opts = conn.get_execution_options()
    mode = opts.get("metabolero_begin", "DEFERRED")
    store = opts.get("metabolero_store")
    if mode != "IMMEDIATE" or store is None:
        conn.exec_driver_sql(f"BEGIN {mode}")
        return
    # Try the write lock at once, so a writer that has to wait can say so before it waits.
    raw = conn.connection.dbapi_connection
    busy_ms = int(store.lock_timeout * 1000)
    try:
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            store._waiting()
            raw.execute(f"PRAGMA busy_timeout = {busy_ms}")
            raw.execute("BEGIN IMMEDIATE")
    finally:
        raw.execute(f"PRAGMA busy_timeout = {busy_ms}")


def open_store(url: str, lock_timeout: Optional[float] = None, create: bool = True) -> Store:
    """Return a Store at the current schema version, upgrading (or, with ``create``, creating) it.

    StoreError when the database is not a metabolero store, is newer than this code, or is
    empty and ``create`` is False.
    """
    store = Store(url, lock_timeout)
    try:
        version = store.schema_version()
    except sa.exc.OperationalError as exc:
        raise StoreError(f"{redact(store.url)}: cannot open ({_first_line(exc)})") from exc
    if version is None and not create:
        raise StoreError(f"{redact(store.url)}: no review store here; run `metabolero init` first")
    if version != SCHEMA_VERSION:
        store.migrate()
        store.upgraded_from = version
    return store


def dumps(obj) -> str:
    """Return compact JSON text for the store."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))

"""Opening stores: URLs, entry points, schema versions, migrations and bad files."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import subprocess
from pathlib import Path

import attrs
import pytest

from khuyencong.domain import Period, SupportRecord
from khuyencong.exceptions import SchemaVersionError, StoreError, StoreOptionError
from khuyencong.indicators import STANDARD_INDICATORS, compute
from khuyencong.messages import language
from khuyencong.storage import SCHEMA_VERSION, MemoryStore, SQLiteStore, open_store
from khuyencong.storage import _open as open_module
from khuyencong.storage import _records as rec
from khuyencong.storage import _schema as schema
from khuyencong.storage._common import to_json
from khuyencong.testing.conformance import sample_establishment, sample_support_record


class TestOpenStore:
    """``open_store`` picks the adapter from the URL."""

    def test_memory(self) -> None:
        """``memory://`` gives a fresh in-memory store each time."""
        a, b = open_store("memory://"), open_store("memory://")
        a.establishments.add(sample_establishment())
        a.support_records.add(sample_support_record())
        assert isinstance(a, MemoryStore)
        assert b.support_records.count() == 0

    def test_sqlite_urls_and_paths(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """``sqlite:///rel.db`` is relative, ``sqlite:////abs.db`` absolute, a bare path works."""
        monkeypatch.chdir(tmp_path)
        with open_store("sqlite:///rel.db") as store:
            assert isinstance(store, SQLiteStore)
        assert (tmp_path / "rel.db").exists()
        with open_store(f"sqlite:///{tmp_path}/abs.db?timeout=5&synchronous=normal") as store:
            store.establishments.add(sample_establishment())
            store.support_records.add(sample_support_record())
        with open_store(str(tmp_path / "abs.db")) as store:
            assert store.support_records.count() == 1
        with open_store(tmp_path / "abs.db") as store:
            assert store.schema_version == SCHEMA_VERSION

    def test_bad_sqlite_options(self, tmp_path: Path) -> None:
        """An unknown SQLite option or synchronous level is refused by name."""
        with pytest.raises(StoreError, match="journal"):
            open_store(f"sqlite:///{tmp_path}/x.db?journal=off")
        with pytest.raises(StoreError, match="synchronous"):
            open_store(f"sqlite:///{tmp_path}/x.db?synchronous=off")

    def test_unknown_scheme(self) -> None:
        """A scheme no adapter registers is refused, naming the entry-point group."""
        with pytest.raises(StoreError, match=r"khuyencong\.stores"):
            open_store("mongodb://localhost/kc")

    def test_third_party_entry_point(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A scheme registered in the ``khuyencong.stores`` group opens that adapter."""
        opened: list[str] = []

        class FakeEntryPoint:
            name = "tenant"

            def load(self) -> object:
                def factory(url: str) -> MemoryStore:
                    opened.append(url)
                    return MemoryStore(url)

                return factory

        def fake_entry_points(*, group: str, name: str | None = None) -> list[FakeEntryPoint]:
            assert group == "khuyencong.stores"
            return [FakeEntryPoint()] if name in (None, "tenant") else []

        monkeypatch.setattr(open_module, "entry_points", fake_entry_points)
        store = open_store("tenant://bac-giang")
        assert opened == ["tenant://bac-giang"]
        assert store.url == "tenant://bac-giang"
        with pytest.raises(StoreError, match="tenant"):
            open_store("other://x")

    def test_a_third_party_store_opens_read_only_only_if_it_can(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """``read_only=True`` reaches an adapter whose factory takes ``read_only``; one that does
        not is refused with StoreOptionError rather than opened for writing."""
        given: list[bool] = []

        def careful(url: str, *, read_only: bool = False) -> MemoryStore:
            given.append(read_only)
            return MemoryStore(url)

        def careless(url: str) -> MemoryStore:  # pragma: no cover  (must not be called)
            return MemoryStore(url)

        factories = {"careful": careful, "careless": careless}

        class FakeEntryPoint:
            def __init__(self, name: str) -> None:
                self.name = name

            def load(self) -> object:
                return factories[self.name]

        def fake_entry_points(*, group: str, name: str | None = None) -> list[FakeEntryPoint]:
            return [FakeEntryPoint(n) for n in factories if name in (None, n)]

        monkeypatch.setattr(open_module, "entry_points", fake_entry_points)
        open_store("careful://x", read_only=True).close()
        assert given == [True]
        with pytest.raises(StoreOptionError) as info:
            open_store("careless://x", read_only=True)
        assert info.value.option == "read_only"
        with pytest.raises(StoreOptionError):
            open_store("memory://", read_only=True)


class TestSQLiteSchema:
    """SQLite files: created, migrated forward, or refused; never silently changed."""

    def test_corrupt_file_gives_a_clear_error(self, tmp_path: Path) -> None:
        """A file that is not SQLite raises StoreError naming the file, not a deep traceback."""
        path = tmp_path / "kc.db"
        path.write_bytes(b"this is not a database at all\x00" * 200)
        with pytest.raises(StoreError, match=r"kc\.db") as info:
            open_store(str(path))
        assert "khuyencong" in str(info.value)
        assert path.read_bytes().startswith(b"this is not")

    def test_damaged_database_gives_a_clear_error(self, tmp_path: Path) -> None:
        """An SQLite file damaged in its pages is reported as StoreError when read."""
        path = tmp_path / "kc.db"
        with open_store(str(path)) as store:
            store.establishments.add(sample_establishment())
            store.support_records.add_many(sample_support_record(n) for n in range(2000))
        data = bytearray(path.read_bytes())
        for offset in range(4096 * 3, len(data), 4096):
            data[offset : offset + 64] = b"\xff" * 64
        path.write_bytes(bytes(data))

        def read_everything() -> None:
            with open_store(str(path)) as store:
                store.support_records.find()
                store.check_integrity()

        with pytest.raises(StoreError):
            read_everything()

    def test_foreign_sqlite_database_is_refused(self, tmp_path: Path) -> None:
        """An SQLite database of another application is refused and left as it was."""
        path = tmp_path / "other.db"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE invoices (id INTEGER)")
        conn.commit()
        conn.close()
        with language("en"), pytest.raises(SchemaVersionError, match="not a khuyencong database"):
            open_store(str(path))
        conn = sqlite3.connect(path)
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        conn.close()
        assert tables == [("invoices",)]

    def test_other_applications_marker_is_refused(self, tmp_path: Path) -> None:
        """A ``meta`` table naming another application is refused."""
        path = tmp_path / "other.db"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('application', 'khuyennong')")
        conn.commit()
        conn.close()
        with pytest.raises(SchemaVersionError, match="khuyennong"):
            open_store(str(path))

    def test_newer_schema_is_refused(self, tmp_path: Path) -> None:
        """A database written by a newer khuyencong is refused, asking for an upgrade."""
        path = tmp_path / "kc.db"
        open_store(str(path)).close()
        conn = sqlite3.connect(path)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(99)])
        conn.commit()
        conn.close()
        with language("en"), pytest.raises(SchemaVersionError, match="upgrade"):
            open_store(str(path))

    def test_older_database_is_migrated_forward(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A database of version n opened by a version n+1 library is migrated, keeping its data."""
        path = tmp_path / "kc.db"
        with open_store(str(path)) as store:
            store.establishments.add(sample_establishment())
            store.support_records.add(sample_support_record())
        following = SCHEMA_VERSION + 1
        monkeypatch.setattr(
            schema,
            "MIGRATIONS",
            [
                *schema.MIGRATIONS,
                schema.Migration(
                    following,
                    "a column",
                    lambda t: [f"ALTER TABLE audit ADD COLUMN note {t.text}"],
                ),
            ],
        )
        with open_store(str(path)) as store:
            assert store.schema_version == following
            assert store.support_records.count() == 1
        conn = sqlite3.connect(path)
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        columns = [r[1] for r in conn.execute("PRAGMA table_info(audit)")]
        conn.close()
        assert version == (str(following),)
        assert "note" in columns

    def test_failed_migration_changes_nothing(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """If a migration step fails, the database stays at its old version, unchanged."""
        path = tmp_path / "kc.db"
        open_store(str(path)).close()
        current = schema.MIGRATIONS
        monkeypatch.setattr(
            schema,
            "MIGRATIONS",
            [
                *schema.MIGRATIONS,
                schema.Migration(
                    SCHEMA_VERSION + 1,
                    "half a step",
                    lambda t: ["ALTER TABLE audit ADD COLUMN note TEXT", "ALTER TABLE nope ADD x"],
                ),
            ],
        )
        with pytest.raises(StoreError):
            open_store(str(path))
        monkeypatch.setattr(schema, "MIGRATIONS", current)
        with open_store(str(path)) as store:
            assert store.schema_version == SCHEMA_VERSION
        conn = sqlite3.connect(path)
        columns = [r[1] for r in conn.execute("PRAGMA table_info(audit)")]
        conn.close()
        assert "note" not in columns

    def test_new_database_is_created_at_current_version(self, tmp_path: Path) -> None:
        """An empty file becomes a khuyencong database at the current schema version."""
        with open_store(str(tmp_path / "kc.db")) as store:
            assert store.schema_version == SCHEMA_VERSION
            assert store.check_integrity() == []

    def test_version_2_database_gains_the_indicator_indexes(self, tmp_path: Path) -> None:
        """A database at schema version 2 is migrated to the current version on open: the
        covering indexes for indicators are created, its records are kept and it passes the
        integrity check."""
        path = tmp_path / "v2.db"
        conn = _database_at(path, 2)
        conn.commit()
        conn.close()
        record = sample_support_record()
        with open_store(str(path)) as store:
            assert store.schema_version == SCHEMA_VERSION == 6
            store.establishments.add(sample_establishment())
            store.support_records.add(record)
        with open_store(str(path)) as store:
            assert store.support_records.find() == [record]
            assert store.check_integrity() == []
        conn = sqlite3.connect(path)
        indexes = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        conn.close()
        assert {"ix_support_records_indicators", "ix_establishments_indicators"} <= indexes

    def test_version_3_database_gains_the_outcome_columns(self, tmp_path: Path) -> None:
        """A database at schema version 3 is migrated on open (through version 4): the outcome
        columns are back-filled from each record's data (NULL where nothing was reported), the
        partial outcome index is created, and the integrity check passes."""
        path = tmp_path / "v3.db"
        conn = _database_at(path, 3)
        _insert_establishment(conn)  # the records' establishment, as version 3 stored it
        spec = rec.SUPPORT_RECORDS
        old = [c for c in spec.columns if c.since < 4]
        names = ["id", *(c.name for c in old), "data"]
        reported = attrs.evolve(
            sample_support_record(1),
            jobs_created=6,
            income_change=-2_000_000,
            outcome_reported_on=dt.date(2020, 3, 1),
        )
        for record in (reported, sample_support_record(2)):
            values = [
                v.isoformat() if isinstance(v, dt.date) else v
                for v in list(spec.row(record))[: len(old)]
            ]
            conn.execute(
                f"INSERT INTO support_records ({', '.join(names)}) "
                f"VALUES ({', '.join('?' for _ in names)})",
                [record.id, *values, to_json(record)],
            )
        conn.commit()
        conn.close()
        with open_store(str(path)) as store:
            assert store.schema_version == SCHEMA_VERSION == 6
            assert store.check_integrity() == []
            assert store.support_records.find() == [reported, sample_support_record(2)]
        conn = sqlite3.connect(path)
        rows = conn.execute(
            "SELECT id, jobs_created, income_change, outcome_reported_on FROM support_records "
            "ORDER BY id"
        ).fetchall()
        indexes = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        conn.close()
        assert rows == [
            ("SR-000001", 6, -2_000_000, "2020-03-01"),
            ("SR-000002", None, None, None),
        ]
        assert "ix_support_records_outcomes" in indexes

    def test_version_4_database_drops_the_redundant_day_index(self, tmp_path: Path) -> None:
        """A database at schema version 4 is migrated to the current version on open: the
        support records' index on the day (a prefix of their covering index) is dropped (and
        version 6's index on the content and the day), every record is kept, and a period is
        still found through the covering index."""
        path = tmp_path / "v4.db"
        conn, records = _version_4_with_records(path)
        before = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        conn.close()
        assert "ix_support_records_day" in before
        period = Period(dt.date(2021, 1, 1), dt.date(2022, 12, 31))
        with open_store(str(path)) as store:
            assert store.schema_version == SCHEMA_VERSION == 6
            assert store.check_integrity() == []
            assert store.support_records.find() == records
            assert store.support_records.find(period=period) == records[1:]
            assert store.support_records.count(period=period) == 2
        conn = sqlite3.connect(path)
        after = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM support_records "
            "WHERE day BETWEEN '2021-01-01' AND '2022-12-31'"
        ).fetchall()
        conn.close()
        assert before - after == {"ix_support_records_day", "ix_support_records_content_day"}
        assert "ix_support_records_indicators" in " ".join(str(row[3]) for row in plan)

    def test_version_5_database_drops_the_content_day_index(self, tmp_path: Path) -> None:
        """A database at schema version 5 is migrated to version 6 on open: the support
        records' index on the content and the day is dropped and nothing else; every record is
        kept, and a content (alone, and with a period) is still found, the two through the
        covering index's columns."""
        path = tmp_path / "v5.db"
        conn, records = _version_5_with_records(path)
        before = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        conn.close()
        assert "ix_support_records_content_day" in before
        content = records[0].content
        period = Period(dt.date(2021, 1, 1), dt.date(2022, 12, 31))
        with open_store(str(path)) as store:
            assert store.schema_version == SCHEMA_VERSION == 6
            assert store.check_integrity() == []
            assert store.support_records.find() == records
            assert store.support_records.find(content=content) == records
            assert store.support_records.count(content=content) == 3
            assert store.support_records.find(content=content, period=period) == records[1:]
        conn = sqlite3.connect(path)
        after = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM support_records "
            "WHERE day BETWEEN '2021-01-01' AND '2022-12-31' AND content = ?",
            [content.value],
        ).fetchall()
        conn.close()
        assert before - after == {"ix_support_records_content_day"}
        assert "ix_support_records_indicators" in " ".join(str(row[3]) for row in plan)

    def test_a_version_5_database_is_read_as_it_is(self, tmp_path: Path) -> None:
        """A read-only open of a version-5 database (one index more, which no answer depends
        on) reads it without migrating it, and leaves its file as it was."""
        path = tmp_path / "v5.db"
        conn, records = _version_5_with_records(path)
        conn.close()
        before = _digest(path)
        with open_store(str(path), read_only=True) as store:
            assert store.support_records.find(content=records[0].content) == records
        assert _digest(path) == before

    def test_a_new_database_has_no_index_on_the_day_alone(self, tmp_path: Path) -> None:
        """A new store is built through every version: it ends without the support records'
        index on the day nor the one on the content and the day, with the covering index that
        begins with the day."""
        path = tmp_path / "new.db"
        open_store(str(path)).close()
        conn = sqlite3.connect(path)
        indexes = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'support_records'"
            )
        }
        conn.close()
        assert indexes.isdisjoint({"ix_support_records_day", "ix_support_records_content_day"})
        assert "ix_support_records_indicators" in indexes


def _database_at(path: Path, version: int) -> sqlite3.Connection:
    """A connection to a new khuyencong database at ``path``, built by the migrations up to
    ``version`` as the library of that version built it (uncommitted)."""
    conn = sqlite3.connect(path)
    for step in schema.MIGRATIONS[:version]:
        for statement in step.statements(schema.SQLITE_TYPES):
            conn.execute(statement)
    conn.execute(
        "INSERT INTO meta VALUES ('application', 'khuyencong'), ('schema_version', ?)",
        [str(version)],
    )
    return conn


def _version_5_with_records(path: Path) -> tuple[sqlite3.Connection, list[SupportRecord]]:
    """:func:`_version_4_with_records` taken to schema version 5 as that step did it (the
    day's index dropped), so that it still has version 1's index on the content and the day."""
    conn, records = _version_4_with_records(path)
    conn.execute("DROP INDEX ix_support_records_day")
    conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    conn.commit()
    return conn, records


def _version_4_with_records(path: Path) -> tuple[sqlite3.Connection, list[SupportRecord]]:
    """A database at schema version 4 holding the sample establishment and three support
    records of 2020, 2021 and 2022, as that version stored them (committed), and the records."""
    conn = _database_at(path, 4)
    _insert_establishment(conn)
    spec = rec.SUPPORT_RECORDS
    names = ["id", *(c.name for c in spec.columns), "data"]
    records = [
        attrs.evolve(sample_support_record(i), delivered_on=dt.date(2019 + i, 5, 1))
        for i in (1, 2, 3)
    ]
    for record in records:
        values = [v.isoformat() if isinstance(v, dt.date) else v for v in spec.row(record)]
        conn.execute(
            f"INSERT INTO support_records ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)})",
            [record.id, *values, to_json(record)],
        )
    conn.commit()
    return conn, records


def _insert_establishment(conn: sqlite3.Connection) -> None:
    """Store the conformance suite's sample establishment in the connection's database."""
    est = rec.ESTABLISHMENTS
    names = ["id", *(c.name for c in est.columns), "data"]
    conn.execute(
        f"INSERT INTO establishments ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
        ["E-1", *est.row(sample_establishment()), to_json(sample_establishment())],
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class TestStoreOptions:
    """Bad store options are refused with a library error naming the option."""

    @pytest.mark.parametrize("value", ["abc", "inf", "nan", "-1", "1e400", ""])
    def test_a_timeout_that_is_not_a_finite_number_is_refused(
        self, tmp_path: Path, value: str
    ) -> None:
        """``?timeout=abc``, ``inf``, ``nan`` or a negative timeout is a StoreOptionError naming
        the option, not a raw ValueError or OverflowError; no file is created."""
        with pytest.raises(StoreOptionError) as info:
            open_store(f"sqlite:///{tmp_path}/x.db?timeout={value}")
        assert (info.value.option, info.value.value) == ("timeout", value)
        assert isinstance(info.value, ValueError)
        assert not (tmp_path / "x.db").exists()

    def test_a_bad_option_given_in_python_is_refused_too(self, tmp_path: Path) -> None:
        """SQLiteStore checks its arguments the same way."""
        with pytest.raises(StoreOptionError):
            SQLiteStore(tmp_path / "x.db", timeout=float("nan"))
        with pytest.raises(StoreOptionError):
            SQLiteStore(tmp_path / "x.db", synchronous="off")  # type: ignore[arg-type]


class TestForeignAndEmptyFiles:
    """A file the store refuses is never changed, not even its journal mode."""

    def test_a_foreign_database_is_not_modified(self, tmp_path: Path) -> None:
        """Another application's SQLite database is refused before anything is written: its
        bytes are the same before and after (the journal is not switched to WAL)."""
        path = tmp_path / "other.db"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE invoices (id INTEGER)")
        conn.execute("INSERT INTO invoices VALUES (1)")
        conn.commit()
        conn.close()
        before = _digest(path)
        for read_only in (False, True):
            with pytest.raises(SchemaVersionError):
                open_store(str(path), read_only=read_only)
        assert _digest(path) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]

    def test_a_database_of_a_newer_version_is_not_modified(self, tmp_path: Path) -> None:
        """A khuyencong database from a newer library is refused and left byte for byte."""
        path = tmp_path / "kc.db"
        open_store(str(path)).close()
        conn = sqlite3.connect(path)
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
        conn.commit()
        conn.close()
        before = _digest(path)
        with pytest.raises(SchemaVersionError):
            open_store(str(path))
        assert _digest(path) == before

    @pytest.mark.parametrize("version", ["04", "4 ", "+4", "٤", "4.0"])
    def test_a_schema_version_not_written_by_the_library_is_refused(
        self, tmp_path: Path, version: str
    ) -> None:
        """The library writes the version as plain digits: "04" or an Arabic-Indic ٤ is not
        version 4 but a damaged marker, refused by name."""
        path = tmp_path / "kc.db"
        open_store(str(path)).close()
        conn = sqlite3.connect(path)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [version])
        conn.commit()
        conn.close()
        with pytest.raises(SchemaVersionError) as info:
            open_store(str(path))
        assert repr(version) in str(info.value)

    def test_an_empty_file_opened_to_read_is_refused(self, tmp_path: Path) -> None:
        """A zero-byte file opened read-only (a report) is refused with a clear error instead
        of silently becoming an empty store; it stays zero bytes. Opened to write, the caller
        asked for a store, and gets one."""
        path = tmp_path / "kc.db"
        path.write_bytes(b"")
        with pytest.raises(StoreError, match=r"kc\.db"):
            open_store(str(path), read_only=True)
        assert path.read_bytes() == b""
        with pytest.raises(StoreError):
            open_store(str(tmp_path / "missing.db"), read_only=True)
        assert not (tmp_path / "missing.db").exists()
        with open_store(str(path)) as store:
            assert store.schema_version == SCHEMA_VERSION


class TestReadOnly:
    """A read-only database can be read (for a report), and says so when written."""

    def _filled(self, path: Path) -> None:
        with open_store(str(path)) as store:
            store.establishments.add(sample_establishment())
            store.support_records.add(sample_support_record())

    def test_a_database_opened_read_only_reads_and_refuses_writes(self, tmp_path: Path) -> None:
        """``read_only=True`` reads everything; a write raises a StoreError that says the store
        is read-only and intact, not "restore it from a backup"; the file is unchanged."""
        path = tmp_path / "kc.db"
        self._filled(path)
        before = _digest(path)
        with open_store(str(path), read_only=True) as store:
            assert store.support_records.count() == 1
            assert store.check_integrity() == []
            with language("en"), pytest.raises(StoreError) as info:
                store.establishments.add(sample_establishment(2))
        assert "read-only" in str(info.value)
        assert "backup" not in str(info.value)
        assert _digest(path) == before

    def test_a_database_on_a_read_only_file_system_can_be_read(self, tmp_path: Path) -> None:
        """On a read-only file system (a mounted archive) the store opens to read; opened to
        write, it is refused with a message saying it is read-only, not damaged."""
        mount = tmp_path / "ro"
        mount.mkdir()
        if subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(mount)], check=False).returncode:
            pytest.skip("cannot mount a file system here (needs root)")
        try:
            self._filled(mount / "kc.db")
            subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
            with open_store(str(mount / "kc.db"), read_only=True) as store:
                assert store.support_records.count() == 1
            with language("en"), pytest.raises(StoreError) as info:
                open_store(str(mount / "kc.db"))
            assert "read-only" in str(info.value)
            assert "backup" not in str(info.value)
        finally:
            subprocess.run(["umount", str(mount)], check=True)

    def test_a_store_one_index_behind_is_read_as_it_is(self, tmp_path: Path) -> None:
        """A store made before schema versions 5 and 6 (which only drop an index each) is
        read read-only as it is — a report after upgrading the library works at once — and
        the file is left unchanged; opened to write, it is migrated."""
        path = tmp_path / "v4.db"
        _version_4_with_records(path)[0].close()
        before = _digest(path)
        period = Period(dt.date(2021, 1, 1), dt.date(2022, 12, 31))
        with open_store(str(path), read_only=True) as store:
            assert store.schema_version == 4
            assert [r.id for r in store.support_records.find(period=period)] == [
                "SR-000002",
                "SR-000003",
            ]
            supported = STANDARD_INDICATORS["establishments_supported"]
            assert compute(supported, store, period).value == 1
        assert _digest(path) == before
        with open_store(str(path)) as store:
            assert store.schema_version == SCHEMA_VERSION

    def test_a_store_behind_a_step_that_changes_reads_is_refused_read_only(
        self, tmp_path: Path
    ) -> None:
        """A store older than a step that adds what queries read (version 4's outcome
        columns) cannot be read before it is migrated: read-only, it is refused with a
        message saying to open it for writing once, and left unchanged."""
        path = tmp_path / "v3.db"
        conn = _database_at(path, 3)
        conn.commit()
        conn.close()
        before = _digest(path)
        with language("en"), pytest.raises(SchemaVersionError) as info:
            open_store(str(path), read_only=True)
        assert "schema version 3, older than this library's 6" in str(info.value)
        assert "open it for writing once" in str(info.value)
        assert _digest(path) == before

    def test_a_full_disk_is_not_called_damage(self, tmp_path: Path) -> None:
        """When the disk is full a write is refused with a message saying so (free space and
        try again); nothing is written and the store is intact."""
        path = tmp_path / "kc.db"
        self._filled(path)
        with open_store(str(path)) as store:
            assert isinstance(store, SQLiteStore)
            pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
            store._conn.execute(f"PRAGMA max_page_count = {pages + 1}")
            big = [sample_support_record(n, note="x" * 2000) for n in range(2, 400)]
            with language("en"), pytest.raises(StoreError) as info:
                store.support_records.add_many(big)
            assert "full" in str(info.value)
            assert "backup" not in str(info.value)
            assert store.support_records.count() == 1
            assert store.check_integrity() == []

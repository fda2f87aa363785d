"""Shared fixtures: a private base folder per test, fresh databases, the bundled catalogue."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from sqlalchemy.orm import Session

from desk import paths
from desk.db import engine as db_engine
from desk.db import setup

REPO = Path(__file__).resolve().parent.parent
PACKS_DIR = REPO / "resources" / "data"
# CI clones the repo with shared/ beside it; developers have it at ../shared.
SEEDS_DIR = Path(os.environ.get("DESK_SEEDS", REPO.parent / "shared" / "seeds"))


class NetworkUse(AssertionError):
    pass


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """desk works offline: any connection beyond loopback and Unix sockets fails the suite."""
    import ipaddress
    import socket

    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def allowed(sock: socket.socket, address) -> bool:
        if sock.family == getattr(socket, "AF_UNIX", None):
            return True
        host = address[0] if isinstance(address, tuple) else address
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return host == "localhost"

    def guarded(real):
        def connect(sock, address):
            if not allowed(sock, address):
                raise NetworkUse(f"network access to {address!r} during tests (desk must work offline)")
            return real(sock, address)
        return connect

    socket.socket.connect = guarded(real_connect)
    socket.socket.connect_ex = guarded(real_connect_ex)
    yield
    socket.socket.connect, socket.socket.connect_ex = real_connect, real_connect_ex


@pytest.fixture(autouse=True)
def private_basedir(tmp_path, monkeypatch):
    """Every test gets its own data and config folders, never the user's."""
    monkeypatch.setenv("DESK_BASEDIR", str(tmp_path / "base"))
    monkeypatch.delenv("DESK_DATABASE_URL", raising=False)
    paths.init(tmp_path / "base")
    yield
    paths.init(tmp_path / "base")


@pytest.fixture
def empty_engine(tmp_path):
    """A migrated database with no data packs."""
    engine = db_engine.make_engine(db_engine.sqlite_url(tmp_path / "empty.sqlite3"))
    setup.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _catalogue_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("catalogue") / "catalogue.sqlite3"
    engine = db_engine.make_engine(db_engine.sqlite_url(path))
    setup.upgrade(engine)
    setup.import_files(engine, sorted(PACKS_DIR.glob("*.yaml")))
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def loaded_catalogue(_catalogue_file):
    """The bundled catalogue as the engine sees it (read once, through the ORM)."""
    from desk.db.loaders import load_all

    engine = db_engine.make_engine(db_engine.sqlite_url(_catalogue_file))
    with Session(engine) as session:
        loaded = load_all(session, ())
    engine.dispose()
    return loaded


@pytest.fixture
def db(_catalogue_file, tmp_path) -> str:
    """The file of a database holding the whole bundled catalogue (a copy: tests may change it),
    as `--db` takes it."""
    path = tmp_path / "desk.sqlite3"
    shutil.copyfile(_catalogue_file, path)
    return str(path)


@pytest.fixture
def catalogue_engine(db):
    """The engine of :func:`db`."""
    engine = db_engine.make_engine(db_engine.sqlite_url(Path(db)))
    yield engine
    engine.dispose()


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """`desk ARGS` in this process: its exit code, stdout and stderr."""
    from desk import cli

    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def session(catalogue_engine):
    with Session(catalogue_engine) as s:
        yield s


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS_DIR} (set DESK_SEEDS)")
    return SEEDS_DIR


class ReliabilityFigures:
    """What the reliability tests tried, for docs/RELIABILITY.md (tools/reliability.py).

    Tests add counts under a key (a row of the table); with DESK_RELIABILITY_JSON set,
    the figures are written there when the session ends.
    """

    def __init__(self) -> None:
        self.figures: dict[str, dict[str, int]] = {}

    def add(self, row: str, **counts: int) -> None:
        entry = self.figures.setdefault(row, {})
        for key, value in counts.items():
            entry[key] = entry.get(key, 0) + value


@pytest.fixture(scope="session")
def reliability():
    figures = ReliabilityFigures()
    yield figures
    target = os.environ.get("DESK_RELIABILITY_JSON")
    if target:
        import json

        Path(target).write_text(json.dumps(figures.figures, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                encoding="utf-8")


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for this test session (see tests/pg.py); skipped, saying why, only
    where none can be started. CI installs it (scripts/system-deps), so CI runs these tests."""
    from tests.pg import PgServer, PgUnavailable

    try:
        server = PgServer().start()
    except PgUnavailable as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty PostgreSQL database."""
    return pg_server.create_database()


def empty_database_url(request, tmp_path) -> str:
    """A new, empty database of the kind ``request.param`` names ("sqlite" or "postgresql")."""
    if request.param == "sqlite":
        return db_engine.sqlite_url(tmp_path / "log.sqlite3")
    return request.getfixturevalue("pg_url")


@pytest.fixture(params=["sqlite", "postgresql"])
def log_engine(request, tmp_path):
    """A migrated, empty database of each kind (the log's tests run on both)."""
    engine = db_engine.make_engine(empty_database_url(request, tmp_path))
    setup.upgrade(engine)
    yield engine
    engine.dispose()


def mount_tmpfs(folder: Path, options: str) -> None:
    """A real small filesystem at ``folder`` (a full disk, a read-only one); skips, saying why,
    where this process may not mount (not root, or in a container without CAP_SYS_ADMIN)."""
    import subprocess

    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")


def unmount(folder: Path) -> None:
    import subprocess

    subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=30)


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 1 MB tmpfs: writing more than that is a full disk (ENOSPC), for real."""
    folder = tmp_path / "small-disk"
    mount_tmpfs(folder, "size=1m,mode=0755")
    yield folder
    unmount(folder)

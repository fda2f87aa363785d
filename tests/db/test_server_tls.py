"""Connection hygiene on the shared server (issue 17): TLS with `sslmode=verify-full` against the
server's CA, the password in PostgreSQL's password file (0600), never in desk's settings.

A second throwaway server for this module listens on 127.0.0.1 with TLS only and SCRAM passwords;
its CA, and another CA that did not sign it, are made by the openssl command.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from desk.db import engine as db_engine
from desk.db import server, setup
from desk.db.store import Store


@dataclass
class TlsServer:
    pg: object
    ca: Path
    wrong_ca: Path
    port: int


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory) -> Iterator[TlsServer]:
    from tests.pg import PgServer, PgUnavailable, make_test_ca

    folder = tmp_path_factory.mktemp("tls")
    try:
        ca = make_test_ca(folder / "ca")
        wrong = make_test_ca(folder / "wrong", name="another CA")
        port = _free_port()
        pg = PgServer().start(tls=ca, port=port)
    except PgUnavailable as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(exc))
    yield TlsServer(pg, ca / "ca.crt", wrong / "ca.crt", port)
    pg.stop()


@pytest.fixture
def window(tls_server, tmp_path, monkeypatch) -> Iterator[tuple[str, str]]:
    """A secured database and a window role whose password is in a password file (0600), as the
    administrator hands it to a counter; (role, database)."""
    pg = tls_server.pg
    url = pg.create_database()
    engine = db_engine.make_engine(url)
    setup.ensure_ready(engine)
    server.init(engine)
    role, password = f"w{os.getpid()}_tls_{secrets.token_hex(2)}", secrets.token_urlsafe(16)
    server.add_window(engine, role, title="TLS の窓口", password=password)
    engine.dispose()
    database = str(make_url(url).database)
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"localhost:{tls_server.port}:{database}:{role}:{password}\n", encoding="utf-8")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    yield role, database
    pg.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'")
    pg.execute(f"DROP ROLE IF EXISTS {role}")


def _url(tls_server: TlsServer, role: str, database: str, ca: Path) -> str:
    return (f"postgresql+psycopg://{role}@localhost:{tls_server.port}/{database}"
            f"?sslmode=verify-full&sslrootcert={ca}")


def test_verify_full_with_the_servers_ca_and_the_password_file(tls_server, window):
    role, database = window
    store = Store.open(_url(tls_server, role, database, tls_server.ca))   # no password in the URL
    with store.engine.connect() as c:
        assert c.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar() is True
        assert c.execute(text("SELECT current_user")).scalar() == role
    assert store.log.page().rows == []
    store.close()


def test_a_server_signed_by_another_ca_is_refused_in_one_line(tls_server, window, capsys):
    from desk.cli import main

    role, database = window
    capsys.readouterr()
    assert main(["--db", _url(tls_server, role, database, tls_server.wrong_ca), "programs"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("desk: データベースを開けません") and "certificate" in err


def test_a_password_file_others_can_read_is_not_used(tls_server, window, capsys):
    from desk.cli import main

    role, database = window
    Path(os.environ["PGPASSFILE"]).chmod(0o644)      # libpq ignores it: no password is sent
    capsys.readouterr()
    assert main(["--db", _url(tls_server, role, database, tls_server.ca), "programs"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("desk: データベースを開けません") and "Traceback" not in err


def test_with_the_setting_on_the_password_comes_from_the_keyring_and_nowhere_else(tls_server, window, capsys):
    """The keyring option (desk.db.passwords): no password file, no password in the URL or the
    settings; the keyring's entry for this role and server is what logs in."""
    import keyring

    from desk.cli import main
    from desk.settings import Settings
    from tests.db.test_passwords import MemoryKeyring

    role, database = window
    passfile = Path(os.environ["PGPASSFILE"])
    password = passfile.read_text(encoding="utf-8").strip().rsplit(":", 1)[1]
    passfile.write_text("", encoding="utf-8")          # libpq finds nothing there now
    url = _url(tls_server, role, database, tls_server.ca)
    settings = Settings.load()
    settings.set("use_keyring", True)
    settings.save()
    before, memory = keyring.get_keyring(), MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        memory.set_password("desk", f"{role}@localhost:{tls_server.port}/{database}", password)
        capsys.readouterr()
        assert main(["--db", url, "programs"]) == 0
        assert password not in capsys.readouterr().err + settings.path.read_text(encoding="utf-8")
        memory.entries.clear()                          # the entry removed: nothing logs in
        assert main(["--db", url, "programs"]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("desk: データベースを開けません")
    finally:
        keyring.set_keyring(before)
        from desk.db import passwords

        passwords.use_keyring(False)

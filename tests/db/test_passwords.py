"""desk.db.passwords: the shared server's password in the system keyring, when a counter chooses it.

The keyring here is an in-memory backend (a real one needs a desktop session); the connection
itself is tried against a real server with SCRAM passwords in tests/db/test_server_tls.py.
"""

from __future__ import annotations

import io
import sys

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest

from desk.db import passwords
from desk.settings import Settings
from tests.conftest import run_cli

SERVER = "postgresql+psycopg://yokosuka_cci@server.example:5433/desk?sslmode=verify-full&sslrootcert=/ca.crt"


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1   # type: ignore[assignment]  # a class attribute in keyring's own backends too

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture
def memory_keyring():
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)
    passwords.use_keyring(False)


def test_an_entry_is_named_by_role_server_port_and_database_never_by_the_options():
    assert passwords.entry_name(SERVER) == "yokosuka_cci@server.example:5433/desk"
    assert passwords.entry_name("postgresql+psycopg://w@/desk?host=/var/run/postgresql") == \
        "w@/var/run/postgresql:5432/desk"
    with pytest.raises(passwords.PasswordStoreError, match="PostgreSQL"):
        passwords.entry_name("sqlite:////tmp/desk.sqlite3")
    with pytest.raises(passwords.PasswordStoreError, match="ロール名"):
        passwords.entry_name("postgresql+psycopg://server.example/desk")


def test_desk_db_password_stores_a_line_from_standard_input_and_forgets_it(capsys, monkeypatch, memory_keyring):
    monkeypatch.setattr(sys, "stdin", io.StringIO("s3cret-パス\n"))
    code, out, err = run_cli(capsys, "--db", SERVER, "db", "password")
    assert (code, err) == (0, "") and "yokosuka_cci@server.example:5433/desk" in out
    assert memory_keyring.entries == {("desk", "yokosuka_cci@server.example:5433/desk"): "s3cret-パス"}
    assert "s3cret" not in out + Settings.load().path.read_text(encoding="utf-8")   # never echoed nor kept
    assert Settings.load().get("use_keyring") is True                                # read from now on
    code, out, _ = run_cli(capsys, "--db", SERVER, "db", "password", "--forget")
    assert code == 0 and out.startswith("キーリングから消しました") and memory_keyring.entries == {}
    assert Settings.load().get("use_keyring") is False
    code, out, _ = run_cli(capsys, "--db", SERVER, "db", "password", "--forget")
    assert code == 0 and out.startswith("キーリングに保存されていません")


def test_an_empty_password_or_a_sqlite_database_is_one_line_and_exit_2(capsys, monkeypatch, memory_keyring, db):
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    code, _, err = run_cli(capsys, "--db", SERVER, "db", "password")
    assert code == 2 and err.count("\n") == 1 and "空" in err and memory_keyring.entries == {}
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))   # said before a password is asked for
    code, _, err = run_cli(capsys, "--db", db, "db", "password")
    assert code == 2 and err.count("\n") == 1 and "PostgreSQL" in err


def test_without_a_keyring_the_command_says_to_use_the_password_file(capsys, monkeypatch):
    before = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        monkeypatch.setattr(sys, "stdin", io.StringIO("secret\n"))
        code, _, err = run_cli(capsys, "--db", SERVER, "db", "password")
    finally:
        keyring.set_keyring(before)
    assert code == 2 and err.count("\n") == 1 and "~/.pgpass" in err


def test_the_setting_on_a_system_without_a_keyring_is_a_warning_and_sqlite_never_asks(capsys, db):
    settings = Settings.load()
    settings.set("use_keyring", True)
    settings.save()
    before = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        code, _, err = run_cli(capsys, "--db", db, "programs")   # a SQLite file: no keyring asked
        assert code == 0 and err == "" and not passwords.keyring_in_use()
        from desk.cli.common import database_url

        class Args:
            db = SERVER

        database_url(Args())   # type: ignore[arg-type]
        assert not passwords.keyring_in_use()
        assert capsys.readouterr().err.startswith("desk: 警告: この端末ではシステムのキーリングが使えません")
    finally:
        keyring.set_keyring(before)
        passwords.use_keyring(False)

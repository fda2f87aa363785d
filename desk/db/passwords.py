"""A shared server's password from the system keyring, for the counters that choose it (issue 17).

Passwords are never in desk's settings. PostgreSQL's password file (~/.pgpass, 0600) is the
default, read by libpq itself; a counter whose system has a keyring (GNOME Keyring, KWallet,
the Windows Credential Manager, the macOS Keychain) may keep the password there instead:
`desk db password` stores it once, and with the setting ``use_keyring`` on, every connection to
that server asks the keyring for it. The URL never carries it, so no message, log or settings
file can show it.

The keyring package is optional (``pip install 'desk[keyring]'``): imported only when the
setting is on or the command runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

SERVICE = "desk"   # the keyring's "service": one entry per server, database and role under it

_in_use = False


class PasswordStoreError(Exception):
    """The keyring cannot be used here; the message says why in one Japanese line."""


def use_keyring(on: bool) -> None:
    """Whether connections made from now on take their password from the keyring (set once at
    start-up from the settings, like desk.paths)."""
    global _in_use
    _in_use = on


def keyring_in_use() -> bool:
    return _in_use


def entry_name(url: str) -> str:
    """The keyring entry for a server URL: ``role@host:port/database`` (no password, no options)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        raise PasswordStoreError("キーリングに保存できるのは共有サーバー（PostgreSQL）のパスワードだけです")
    if not parsed.username:
        raise PasswordStoreError("データベース URL にロール名がありません（例: postgresql+psycopg://ロール名@サーバー名/desk）")
    host = parsed.host or str(parsed.query.get("host") or "localhost")
    return f"{parsed.username}@{host}:{parsed.port or 5432}/{parsed.database or ''}"


def store_password(url: str, password: str) -> str:
    """Keep ``password`` for ``url``'s role and server; returns the entry's name."""
    if not password or "\n" in password:
        raise PasswordStoreError("パスワードが空か、改行を含んでいます: 1行で入力してください")
    name = entry_name(url)
    _keyring().set_password(SERVICE, name, password)
    return name


def forget_password(url: str) -> bool:
    """Remove ``url``'s entry; False when there was none."""
    import keyring.errors

    try:
        _keyring().delete_password(SERVICE, entry_name(url))
    except keyring.errors.PasswordDeleteError:
        return False
    return True


def fill_from_keyring(engine: Engine, url: str) -> None:
    """Connections of ``engine`` that have no password take ``url``'s from the keyring, asked at
    each connection (a password changed in the keyring is used at once); none found: libpq goes
    on to the password file, as without the keyring."""
    from sqlalchemy import event

    name = entry_name(url)

    def give_password(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
        if "password" not in cparams:
            found = _keyring().get_password(SERVICE, name)
            if found is not None:
                cparams["password"] = str(found)

    event.listen(engine, "do_connect", give_password)


def check_keyring() -> None:
    """Raise PasswordStoreError when this system has no keyring desk can use."""
    _keyring()


def _keyring() -> Any:
    """The system keyring, or one line saying why there is none."""
    try:
        import keyring
        import keyring.backends.fail
    except ImportError as exc:
        raise PasswordStoreError("システムのキーリングを使うには keyring パッケージが要ります"
                                 "（pip install 'desk[keyring]'）。PostgreSQL のパスワードファイル（~/.pgpass）"
                                 "なら追加のパッケージは要りません") from exc
    backend = keyring.get_keyring()
    if isinstance(backend, keyring.backends.fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        raise PasswordStoreError("この端末ではシステムのキーリングが使えません: PostgreSQL のパスワードファイル"
                                 "（~/.pgpass、権限 0600）を使ってください")
    return keyring

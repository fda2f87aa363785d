"""User settings: every setting declared once with its default (Picard's config).

Settings live in ``settings.json`` in the config folder. Window geometry and other
UI state are not settings; the UI keeps them apart (QSettings). Unknown keys in
the file are kept untouched so a newer desk's settings survive an older one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from desk import paths
from desk.fileio import atomic_write_text, describe, read_regular_file

RETENTION_DEFAULT_DAYS = 3 * 365
PRIVACY_PURPOSE_DEFAULT = ("お名前・お電話番号は、このご相談へのご連絡と融資制度のご案内にだけ使います。"
                           "ご本人の同意なく、ほかの窓口や機関に提供することはありません。")
MAX_SETTINGS_BYTES = 256 * 1024   # a dozen settings are under 1 kB: more is not a settings file


class Setting(NamedTuple):   # a NamedTuple, not a dataclass: a tenth of the cost at start-up
    key: str
    default: Any
    label: str  # shown in the settings dialog


SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", None, "データベース（空欄で既定の場所）"),
    Setting("window_name", "神奈川県 金融課 金融相談窓口（日産自動車関連 特別相談窓口）", "窓口名"),
    Setting("window_phone", "045-210-5695", "窓口の電話番号"),
    Setting("staff_name", "", "担当者名"),
    Setting("font_size_pt", 11, "文字の大きさ（ポイント）"),
    Setting("pdf_font_path", None, "案内書の日本語フォント（TTF、空欄で自動）"),
    # Visitors' names and phones are removed from older records at start-up (desk log purge).
    # Three years for a new install; desks set up before this default ran with 0 and keep it
    # (Settings.load), told once in the settings dialog.
    Setting("personal_retention_days", RETENTION_DEFAULT_DAYS,
            "個人情報（来訪者の氏名・電話）を残す日数（0 で消さない）"),
    Setting("retention_notice", False, ""),   # an install that kept 0: say once that 3 years is advised
    # Shown where staff type a visitor's name or phone, and on the sheet (issue 17: APPI's purpose of use).
    Setting("privacy_purpose", PRIVACY_PURPOSE_DEFAULT, "個人情報の利用目的（氏名・電話の欄と案内書に表示）"),
    # The window (its role on the shared server) an offline laptop works for: written into its log
    # files, so that the server takes them only into that window (issue 17).
    Setting("server_window", None, "共有サーバーでのこの窓口のロール名（持ち出し端末）"),
    # The shared server's password from the system keyring (stored by `desk db password`) instead
    # of PostgreSQL's password file; never in this file (issue 17, desk.db.passwords).
    Setting("use_keyring", False, "共有サーバーのパスワードをシステムのキーリングから読む"),
    # Generated once per machine: part of every reference number printed on this machine.
    Setting("device_id", None, "この端末の識別子（自動）"),
)
_BY_KEY = {s.key: s for s in SETTINGS}


def default_of(key: str) -> Any:
    """A setting's value before anyone changed it."""
    return _BY_KEY[key].default


class SettingsError(ValueError):
    pass


# Passwords are never kept in desk's settings in plain text (issue 17): PostgreSQL's password file is.
PASSWORD_IN_SETTINGS = ("設定のデータベース URL にパスワードが書かれています: URL からパスワードを消し、"
                        "PostgreSQL のパスワードファイル（~/.pgpass、権限 0600。場所は PGPASSFILE で指定可）"
                        "に書いてください")


def has_password(url: str) -> bool:
    """Whether a database URL carries a password (``user:secret@host`` or ``?password=``)."""
    if "://" not in url:
        return False
    rest = url.split("://", 1)[1]
    userinfo = rest.split("/", 1)[0].rpartition("@")[0]
    query = rest.partition("?")[2]
    return ":" in userinfo or any(part.split("=", 1)[0].strip().lower() == "password" for part in query.split("&"))


class Settings:
    """The settings file as a typed mapping with defaults."""

    def __init__(self, path: Path, values: dict[str, Any] | None = None):
        self.path = path
        self._values: dict[str, Any] = dict(values or {})

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or paths.get().settings_file
        try:
            raw = read_regular_file(path, limit=MAX_SETTINGS_BYTES)
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            raise SettingsError(_unreadable(path, describe(exc))) from exc
        paths.tighten_private_dir(path.parent)
        try:
            values = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise SettingsError(_unreadable(path, "UTF-8 ではありません")) from exc
        except json.JSONDecodeError as exc:
            reason = "空のファイルです" if not raw.strip() else f"{exc.lineno} 行目が JSON として正しくありません"
            raise SettingsError(_unreadable(path, reason)) from exc
        if not isinstance(values, dict):
            raise SettingsError(_unreadable(path, "JSON のオブジェクト（{…}）ではありません"))
        if "personal_retention_days" not in values:
            # Written before records were purged by default: this desk ran keeping them. It goes on
            # doing so (a purge nobody chose would delete what staff expect to find), and says so once.
            values.update(personal_retention_days=0, retention_notice=True)
        return cls(path, values)

    def get(self, key: str) -> Any:
        setting = _BY_KEY[key]
        return self._values.get(key, setting.default)

    def set(self, key: str, value: Any) -> None:
        if key not in _BY_KEY:
            raise KeyError(key)
        self._values[key] = value

    def reset(self, key: str) -> None:
        """Back to the declared default."""
        if key not in _BY_KEY:
            raise KeyError(key)
        self._values.pop(key, None)

    def save(self) -> None:
        """Write the settings (atomic: a full disk or a read-only folder leaves the file as it was,
        and raises SettingsError saying so)."""
        if not self._values.get("device_id"):
            self._keep_saved_device_id()
        data = json.dumps(self._values, ensure_ascii=False, indent=2, sort_keys=True)
        try:
            paths.ensure_private_dir(self.path.parent)
            atomic_write_text(self.path, data + "\n")
        except OSError as exc:
            raise SettingsError(f"{self.path}: 設定を保存できません（{describe(exc)}）") from exc


    def _keep_saved_device_id(self) -> None:
        # Made by another desk process since this one read the file (the first referral at the
        # command line while the app was open): kept, or the next referral would make a second
        # id and its records would leave apart from the first's (issue 15, item 1).
        try:
            saved = Settings.load(self.path).get("device_id")
        except SettingsError:
            return
        if saved:
            self._values["device_id"] = saved


def _unreadable(path: Path, reason: str) -> str:
    # What to do, too: the file is left as it is (nothing here rewrites a file it could not read).
    return (f"{path}: 設定ファイルを読めません（{reason}）。"
            "直すか、別の名前に変えると既定の設定で始まります")

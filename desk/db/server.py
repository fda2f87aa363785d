"""The shared PostgreSQL server's roles and what each may do, enforced by the server itself.

`desk server init` (the server's administrator, once, on a database at the current revision;
again at any time: every statement is idempotent) makes three group roles:

- ``desk_admin``: owns desk's tables (migrations, the catalogue, the windows) and reads every record;
- ``desk_window``: a consultation window (a counter). Reads the catalogue, never writes it; reads,
  writes and deletes its own consultations only (row-level security on ``current_user``);
- ``desk_report``: the prefecture's statistics. Reads the catalogue and the view
  ``consultation_stats``, which has no personal field (no visitor name or phone, no business name).

Each window is a login role in ``desk_window`` (`desk server add-window`), listed in the table
``service_window``. A consultation's ``window_role`` is set by a trigger from ``current_user``,
whatever the client sent (an administrator may name the window: a laptop's file brought in).
With the visitor's consent the window a record was referred to reads that one record through
``desk_shared_consultation(reference_no)``, which writes each read to ``provision_log``; changes
to the catalogue are written to ``catalogue_audit`` by triggers (an admin edit of any row with
its old and new values; a pack imported, replaced or removed as its ``data_pack`` row: the rows
of a pack come and go with it, so an import is one entry, not thousands).

Every statement here is PostgreSQL's; SQLite files (a laptop, a single counter) have no roles.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, text

from desk.db import models as m

ADMIN, WINDOW, REPORT = "desk_admin", "desk_window", "desk_report"
GROUPS = (ADMIN, WINDOW, REPORT)
STATS_VIEW = "consultation_stats"
SHARED_FUNCTION = "desk_shared_consultation"
LAST_REFERENCE_FUNCTION = "desk_last_reference"

# A window's role: lower case, digits and underscores, as PostgreSQL keeps an unquoted name.
_ROLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
_RESERVED = frozenset({*GROUPS, "postgres", "public", "current_user", "session_user", "current_role", "none"})


class ServerSetupError(Exception):
    """What `desk server` cannot do, in one Japanese line."""


@dataclass(frozen=True)
class WindowRow:
    role: str
    title: str
    created_at: dt.datetime
    disabled_at: dt.datetime | None
    can_login: bool
    records: int


def catalogue_tables() -> list[Table]:
    """data_pack and every table whose rows hang from it (by foreign keys), in creation order."""
    found: set[str] = {"data_pack"}
    ordered = list(m.Base.metadata.sorted_tables)
    changed = True
    while changed:
        changed = False
        for table in ordered:
            if table.name not in found and any(fk.column.table.name in found for fk in table.foreign_keys):
                found.add(table.name)
                changed = True
    return [t for t in ordered if t.name in found]


LOG_TABLES = ("log_entry", "log_cause", "log_fund", "log_follow_up")   # rows of one consultation


def desk_tables() -> list[str]:
    return ["alembic_version", *(t.name for t in m.Base.metadata.sorted_tables)]


def check_role_name(name: str) -> str:
    if not _ROLE_NAME.fullmatch(name) or name in _RESERVED or name.startswith("pg_"):
        raise ServerSetupError(f"窓口名 {name[:70]!r} は使えません（英小文字で始まる英小文字・数字・_ の 63 文字まで、"
                               f"{'・'.join(GROUPS)} と pg_ で始まる名前は除く）")
    return name


def _require_postgresql(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        raise ServerSetupError("desk server は共有の PostgreSQL サーバーにだけ使えます（--db postgresql+psycopg://…）")


def _require_current_schema(connection: Connection) -> None:
    from desk.db.migrations import HEAD_REVISION

    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar() \
        if _has_table(connection, "alembic_version") else None
    if revision != HEAD_REVISION:
        raise ServerSetupError(f"スキーマが最新ではありません（現在 {revision or 'なし'}、最新 {HEAD_REVISION}）:"
                               " 先に desk db upgrade を実行してください")


def _has_table(connection: Connection, name: str) -> bool:
    return bool(connection.execute(text("SELECT to_regclass(:name) IS NOT NULL"), {"name": name}).scalar())


def _role_exists(connection: Connection, name: str) -> bool:
    return bool(connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}).scalar())


def initialised(connection: Connection) -> bool:
    """Whether `desk server init` secured this database (the group roles belong to the cluster,
    which may hold other desk databases that are not)."""
    if connection.dialect.name != "postgresql" or not _role_exists(connection, WINDOW):
        return False
    return bool(connection.execute(
        text("SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass('consultation')")).scalar())


def connected_role(connection: Connection) -> tuple[str, bool]:
    """The connected role and whether it is one of desk_admin's (a superuser is)."""
    role, admin = connection.execute(text("SELECT current_user, pg_has_role(current_user, :admin, 'MEMBER')"),
                                     {"admin": ADMIN}).one()
    return str(role), bool(admin)


def init(engine: Engine) -> list[str]:
    """Create the group roles when missing, then grant, secure and install the server's triggers
    and functions (:func:`apply`); one transaction. Returns what was created, for the admin to read."""
    _require_postgresql(engine)
    done: list[str] = []
    with engine.begin() as connection:
        _require_current_schema(connection)
        for group in GROUPS:
            if not _role_exists(connection, group):
                connection.execute(text(f"CREATE ROLE {group} NOLOGIN"))
                done.append(f"ロール {group} を作りました")
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        connection.execute(text(f'GRANT USAGE, CREATE ON SCHEMA "{schema}" TO {ADMIN}'))
        connection.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO {WINDOW}, {REPORT}'))
        for table in desk_tables():
            owner = connection.execute(text("SELECT tableowner FROM pg_tables WHERE schemaname = current_schema()"
                                            " AND tablename = :t"), {"t": table}).scalar()
            if owner is not None and owner != ADMIN:
                connection.execute(text(f'ALTER TABLE "{table}" OWNER TO {ADMIN}'))
        apply(connection)
    done.append("権限・行単位セキュリティ・監査・提供記録を設定しました")
    return done


def apply(connection: Connection) -> None:
    """Grants, row-level security, triggers, functions and the statistics view, as ``desk_admin``
    (the owner) may set them: after `desk server init`, and again after every migration (a new
    table gets its grants, a changed row type its function)."""
    catalogue = [t.name for t in catalogue_tables()]
    for statement in _statements(catalogue):
        connection.exec_driver_sql(statement)   # DDL as written: no bind parameters in it


def _statements(catalogue: list[str]) -> Iterator[str]:
    everything = ", ".join(f'"{t}"' for t in desk_tables())
    yield f"REVOKE ALL ON {everything} FROM PUBLIC"
    readable = ", ".join(f'"{t}"' for t in [*catalogue, "alembic_version", "service_window"])
    yield f"GRANT SELECT ON {readable} TO {WINDOW}, {REPORT}"
    yield f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {readable} FROM {WINDOW}, {REPORT}"
    yield f"GRANT SELECT, INSERT, UPDATE, DELETE ON consultation TO {WINDOW}"
    yield f"REVOKE ALL ON consultation, provision_log, catalogue_audit FROM {REPORT}"
    yield f"REVOKE ALL ON provision_log, catalogue_audit FROM {WINDOW}"

    # Row-level security, forced (the owner, desk_admin, goes through the policies too).
    yield "ALTER TABLE consultation ENABLE ROW LEVEL SECURITY"
    yield "ALTER TABLE consultation FORCE ROW LEVEL SECURITY"
    yield "DROP POLICY IF EXISTS desk_admin_all ON consultation"
    yield f"CREATE POLICY desk_admin_all ON consultation TO {ADMIN} USING (true) WITH CHECK (true)"
    yield "DROP POLICY IF EXISTS desk_window_own ON consultation"
    yield (f"CREATE POLICY desk_window_own ON consultation TO {WINDOW}"
           " USING (window_role = current_user) WITH CHECK (window_role = current_user)")

    # What the log lists and counts beside each record (revision 0009: its day, causes, funds, and
    # the list's columns, the business name among them) is the record's: a window reads and
    # writes the rows of the records it can see (the subquery goes through consultation's own
    # policy), the report role none (it counts through consultation_stats).
    for table in LOG_TABLES:
        yield f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {WINDOW}"
        yield f"REVOKE ALL ON {table} FROM {REPORT}"
        yield f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"
        yield f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY"
        yield f"DROP POLICY IF EXISTS desk_admin_all ON {table}"
        yield f"CREATE POLICY desk_admin_all ON {table} TO {ADMIN} USING (true) WITH CHECK (true)"
        yield f"DROP POLICY IF EXISTS desk_window_own ON {table}"
        own = f"EXISTS (SELECT 1 FROM consultation c WHERE c.id = {table}.consultation_id)"
        yield f"CREATE POLICY desk_window_own ON {table} TO {WINDOW} USING ({own}) WITH CHECK ({own})"

    # The window of a record: the connected role's, never the client's (an admin may name one).
    yield f"""
CREATE OR REPLACE FUNCTION desk_consultation_window() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    NEW.window_role := OLD.window_role;
  ELSIF NEW.window_role IS NULL OR NOT pg_has_role(current_user, '{ADMIN}', 'MEMBER') THEN
    NEW.window_role := current_user;
  END IF;
  RETURN NEW;
END $$"""
    yield "DROP TRIGGER IF EXISTS desk_consultation_window ON consultation"
    yield ("CREATE TRIGGER desk_consultation_window BEFORE INSERT OR UPDATE ON consultation"
           " FOR EACH ROW EXECUTE FUNCTION desk_consultation_window()")

    # The highest reference number of a machine's prefix, whichever window's record holds it: the
    # next number must not clash with a record this window cannot see (a machine shared by two
    # windows, a laptop moved from one to another). Numbers only; no record is read.
    yield f"""
CREATE OR REPLACE FUNCTION {LAST_REFERENCE_FUNCTION}(pattern text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT reference_no FROM consultation WHERE reference_no LIKE pattern
   ORDER BY length(reference_no) DESC, reference_no DESC LIMIT 1
$$"""
    yield f"REVOKE ALL ON FUNCTION {LAST_REFERENCE_FUNCTION}(text) FROM PUBLIC"
    yield f"GRANT EXECUTE ON FUNCTION {LAST_REFERENCE_FUNCTION}(text) TO {WINDOW}, {ADMIN}"

    # The referred window reads one record the visitor agreed to share; each read is recorded.
    # SECURITY DEFINER: runs as desk_admin; the reader is the session's login role.
    yield f"""
CREATE OR REPLACE FUNCTION {SHARED_FUNCTION}(wanted text) RETURNS SETOF consultation
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  shared_row consultation;
BEGIN
  SELECT * INTO shared_row FROM consultation
   WHERE reference_no = wanted AND consent_to_share AND referred_window = session_user;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  INSERT INTO provision_log (at, reader, consultation_id, reference_no, from_window, to_window, action)
  VALUES (now(), session_user, shared_row.id, shared_row.reference_no, shared_row.window_role, session_user,
          'read');
  RETURN NEXT shared_row;
END $$"""
    yield f"REVOKE ALL ON FUNCTION {SHARED_FUNCTION}(text) FROM PUBLIC"
    yield f"GRANT EXECUTE ON FUNCTION {SHARED_FUNCTION}(text) TO {WINDOW}"

    # The audit trail: what changed, old and new (only the columns that changed, for an update).
    yield """
CREATE OR REPLACE FUNCTION desk_catalogue_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
  new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
  key_column text := TG_ARGV[0];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT jsonb_object_agg(o.key, o.value) INTO old_row FROM jsonb_each(to_jsonb(OLD)) o
     WHERE o.value IS DISTINCT FROM to_jsonb(NEW) -> o.key;
    SELECT jsonb_object_agg(n.key, n.value) INTO new_row FROM jsonb_each(to_jsonb(NEW)) n
     WHERE n.value IS DISTINCT FROM to_jsonb(OLD) -> n.key;
  END IF;
  INSERT INTO catalogue_audit (at, who, table_name, record_id, action, old, new)
  VALUES (clock_timestamp(), session_user, TG_TABLE_NAME,
          COALESCE(to_jsonb(NEW), to_jsonb(OLD)) ->> key_column, TG_OP, old_row::json, new_row::json);
  RETURN NULL;
END $$"""
    yield "REVOKE ALL ON FUNCTION desk_catalogue_audit() FROM PUBLIC"
    keys = {t.name: next(iter(t.primary_key.columns)).name for t in m.Base.metadata.sorted_tables}
    for table in catalogue:
        events = "INSERT OR UPDATE OR DELETE" if table == "data_pack" else "UPDATE"
        yield f'DROP TRIGGER IF EXISTS desk_catalogue_audit ON "{table}"'
        yield (f'CREATE TRIGGER desk_catalogue_audit AFTER {events} ON "{table}" FOR EACH ROW'
               f" EXECUTE FUNCTION desk_catalogue_audit('{keys[table]}')")

    # The statistics: one row per consultation, no personal field, every window's (the view
    # reads as its owner, desk_admin).
    yield f"""
CREATE OR REPLACE VIEW {STATS_VIEW} AS
SELECT to_char(timezone('Asia/Tokyo', created_at), 'YYYY-MM-DD') AS day,
       to_char(timezone('Asia/Tokyo', created_at), 'YYYY-MM') AS month,
       window_role, industry, municipality, causes,
       result -> 'eligible' AS eligible_funds, result -> 'conditional' AS conditional_funds
  FROM consultation"""
    yield f"REVOKE ALL ON {STATS_VIEW} FROM PUBLIC"
    yield f"GRANT SELECT ON {STATS_VIEW} TO {REPORT}, {ADMIN}"


# --- the windows -------------------------------------------------------------------------------------


def _require_initialised(connection: Connection) -> None:
    if not initialised(connection):
        raise ServerSetupError("サーバーの準備ができていません: 先に desk server init を実行してください")


def add_window(engine: Engine, name: str, *, title: str, password: str | None = None,
               now: dt.datetime | None = None) -> str:
    """A login role for a window, member of desk_window; returns its password (made here when
    none is given). The password reaches the server only as a SCRAM hash made on this side."""
    _require_postgresql(engine)
    check_role_name(name)
    title = title.strip()
    if not title or len(title) > 200:
        raise ServerSetupError("--title には窓口の表示名（200 文字まで）を指定してください")
    password = password or secrets.token_urlsafe(18)
    with engine.begin() as connection:
        _require_initialised(connection)
        if _role_exists(connection, name):
            raise ServerSetupError(f"ロール {name} は既にあります"
                                   "（止めた窓口を戻すのではなく、別の名前を使ってください）")
        hashed = _scram(connection, name, password)
        connection.exec_driver_sql(f"CREATE ROLE {name} LOGIN PASSWORD '{hashed}' IN ROLE {WINDOW}")
        connection.execute(text("INSERT INTO service_window (role, title, created_at) VALUES (:r, :t, :at)"),
                           {"r": name, "t": title, "at": now or dt.datetime.now(dt.UTC)})
    return password


def _scram(connection: Connection, name: str, password: str) -> str:
    driver: Any = connection.connection.driver_connection
    hashed: bytes = driver.pgconn.encrypt_password(password.encode("utf-8"), name.encode("utf-8"), b"scram-sha-256")
    value = hashed.decode("ascii")
    if "'" in value:   # a SCRAM verifier is base64 and '$': never, but the statement embeds it
        raise ServerSetupError("パスワードを変換できませんでした")
    return value


def windows(engine: Engine) -> list[WindowRow]:
    _require_postgresql(engine)
    with engine.connect() as connection:
        _require_initialised(connection)
        rows = connection.execute(text(
            "SELECT w.role, w.title, w.created_at, w.disabled_at, COALESCE(r.rolcanlogin, false),"
            " (SELECT count(*) FROM consultation c WHERE c.window_role = w.role)"
            " FROM service_window w LEFT JOIN pg_roles r ON r.rolname = w.role ORDER BY w.role")).all()
    return [WindowRow(role, title, created, disabled, bool(login), int(count))
            for role, title, created, disabled, login, count in rows]


def remove_window(engine: Engine, name: str, *, now: dt.datetime | None = None) -> int:
    """Disable a window's login and end its sessions; its records stay (returns how many)."""
    _require_postgresql(engine)
    check_role_name(name)
    with engine.begin() as connection:
        _require_initialised(connection)
        known = connection.execute(text("SELECT 1 FROM service_window WHERE role = :r"), {"r": name}).scalar()
        if not known:
            raise ServerSetupError(f"窓口 {name} はありません（desk server windows で一覧を見られます）")
        if _role_exists(connection, name):
            connection.execute(text(f"ALTER ROLE {name} NOLOGIN"))
        connection.execute(text("UPDATE service_window SET disabled_at = :at WHERE role = :r AND disabled_at IS NULL"),
                           {"r": name, "at": now or dt.datetime.now(dt.UTC)})
        records = int(connection.execute(text("SELECT count(*) FROM consultation WHERE window_role = :r"),
                                         {"r": name}).scalar_one())
    with engine.connect() as connection:   # its open sessions, where this role may end them
        try:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"),
                               {"r": name})
        except Exception:   # ending sessions needs pg_signal_backend: the login is off already
            pass
    return records

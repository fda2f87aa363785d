"""Bringing a database up: migrations, first-run fill from the bundled packs, checks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, func, inspect, select, text
from sqlalchemy.orm import Session

from desk import paths, vocab
from desk.db import models as m
from desk.db.migrations import HEAD_REVISION
from desk.db.packs import importer

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _alembic_config() -> Config:
    # Alembic is imported only when migrating: start-up checks the revision with SQL.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def script_head_revision() -> str:
    """The newest revision among the migration scripts (HEAD_REVISION must equal it)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migration script in {MIGRATIONS_DIR}")
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def head_revision() -> str:
    return HEAD_REVISION


def refuse_unusable(engine: Engine) -> None:
    """Raise desk.db.guard.DatabaseRefused for another application's database or a newer desk's
    (before migrating it)."""
    from desk.db.guard import check_tables

    with engine.connect() as connection:
        tables = inspect(connection).get_table_names()
    check_tables(engine.url.render_as_string(hide_password=True), tables, current_revision(engine))


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head", *, backup_first: bool = True) -> tuple[str | None, str]:
    """Migrate to the newest schema (or to ``revision``), in one transaction: a migration
    stopped half-way leaves the schema as it was. Returns (revision before, revision after)."""
    from alembic import command

    refuse_unusable(engine)
    before = current_revision(engine)
    if before == head_revision() and revision == "head":
        return before, before    # nothing to do, under any role (a window's too)
    if not may_migrate(engine):
        from desk.db.guard import MigrationNotAllowed

        raise MigrationNotAllowed(_role(engine), before, _schema_owner(engine))
    if backup_first and before is not None and before != head_revision():
        backup_before(engine, f"before-migration-{before}")
    config = _alembic_config()
    with engine.begin() as connection:
        secured = _as_table_owner(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        if secured:   # a new table gets its grants, a changed row its functions (desk.db.server)
            from desk.db import server

            server.apply(connection)
    return before, current_revision(engine) or ""


# Whether the connected role may change the schema: on PostgreSQL the owner of desk's tables (or a
# member of the owning role: desk_admin once `desk server init` ran), or, in an empty database,
# a role that may create tables. Any SQLite file desk opens is its user's.
_MAY_MIGRATE_SQL = (
    "SELECT COALESCE((SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables"
    " WHERE schemaname = current_schema() AND tablename = 'alembic_version'),"
    " has_schema_privilege(current_schema(), 'CREATE'))")


def may_migrate(engine: Engine) -> bool:
    if engine.dialect.name != "postgresql":
        return True
    with engine.connect() as connection:
        return bool(connection.execute(text(_MAY_MIGRATE_SQL)).scalar())


def may_write_catalogue(engine: Engine) -> bool:
    """Whether the connected role may import packs (on a secured server only desk_admin may)."""
    if engine.dialect.name != "postgresql":
        return True
    with engine.connect() as connection:
        if not inspect(connection).has_table("data_pack"):
            return True
        return bool(connection.execute(text("SELECT has_table_privilege('data_pack', 'INSERT, DELETE')")).scalar())


def _schema_owner(engine: Engine) -> str | None:
    """The role that may upgrade desk's tables: desk_admin on a secured server (its members may),
    else the owner of alembic_version; None off PostgreSQL."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        owner = connection.execute(text("SELECT tableowner FROM pg_tables WHERE schemaname = current_schema()"
                                        " AND tablename = 'alembic_version'")).scalar()
    return str(owner) if owner else None


def _role(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text("SELECT current_user")).scalar())


def _as_table_owner(connection: Connection) -> bool:
    """On a server secured by `desk server init`, migrate as desk_admin, so that the tables a
    migration makes belong to it like the others (any of its members may then migrate next)."""
    from desk.db import server

    if not server.initialised(connection):
        return False
    # This database's tables, not only the cluster's roles (a new database beside a secured one
    # is secured by its own `desk server init`, after its first upgrade).
    owner = connection.execute(text("SELECT tableowner FROM pg_tables WHERE schemaname = current_schema()"
                                    " AND tablename = 'alembic_version'")).scalar()
    if owner != server.ADMIN:
        return False
    member = connection.execute(text("SELECT pg_has_role(current_user, :admin, 'MEMBER')"),
                                {"admin": server.ADMIN}).scalar()
    if member:
        connection.exec_driver_sql(f"SET LOCAL ROLE {server.ADMIN}")
    return bool(member)


def bundled_pack_paths() -> list[Path]:
    return sorted(paths.get().data_packs_dir.glob("*.yaml"))


def ensure_ready(engine: Engine) -> list[importer.ImportSummary]:
    """Migrate, and on first run fill the catalogue from the bundled packs."""
    if current_revision(engine) != head_revision():
        upgrade(engine)
    if _has_packs(engine):
        return []
    with imports_in_turn(engine):
        if _has_packs(engine):
            return []       # filled by another first start while this one waited its turn
        return _import(engine, importer.read_packs(bundled_pack_paths()))


def _has_packs(engine: Engine) -> bool:
    with Session(engine) as session:
        return bool(session.scalar(select(func.count()).select_from(m.DataPack)))


@contextmanager
def imports_in_turn(engine: Engine) -> Iterator[None]:
    """Imports into one SQLite file one after another, queued on an OS lock: SQLite's busy
    timeout is no queue (10 s, first come not first served), and of 60 imports started at once
    24 gave up on it. A shared server orders its writers itself."""
    from desk.db.urls import plain_sqlite_file

    path = plain_sqlite_file(engine.url.render_as_string(hide_password=False))
    if path is None:
        yield
        return
    import hashlib

    from desk.fileio import locked

    name = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:16]
    with locked(paths.get().data_dir / "locks" / f"import-{name}.lock"):
        yield


def update_bundled_packs(engine: Engine) -> tuple[list[importer.ImportSummary], list[str]]:
    """Import the bundled packs whose version differs from the database's (a newer desk
    brings newer data). Packs with admin edits are left alone and named in the second list."""
    bundled = importer.read_packs(bundled_pack_paths())
    with Session(engine) as session:
        versions = dict(session.execute(select(m.DataPack.id, m.DataPack.version)).all())
        edited = {e.pack_id for e in importer.admin_edits(session, [p.data.id for p in bundled])}
    changed = [p for p in bundled if versions.get(p.data.id) != p.data.header["version"]]
    kept = [f"{p.data.id}: 管理画面での編集があるため取り込みませんでした"
            "（desk import --overwrite-edits で上書きできます）" for p in changed if p.data.id in edited]
    todo = [p for p in changed if p.data.id not in edited]
    if not todo:
        return [], kept
    with imports_in_turn(engine):
        return _update(engine, todo), kept


def _update(engine: Engine, todo: list[importer.LoadedPack]) -> list[importer.ImportSummary]:
    backup_before(engine, "before-import")
    with Session(engine) as session, session.begin():
        # The bundled packs are this desk's own data: what a newer version leaves out goes, and
        # each summary lists it (desk db upgrade prints them).
        return importer.import_packs(session, todo, allow_removals=True)


def import_files(engine: Engine, files: list[Path], *, overwrite_edits: bool = False,
                 allow_removals: bool = False) -> list[importer.ImportSummary]:
    """Read, validate and import packs in one transaction (all or nothing), in turn with other imports."""
    packs = importer.read_packs(files)
    with imports_in_turn(engine):
        return _import(engine, packs, overwrite_edits=overwrite_edits, allow_removals=allow_removals)


def _import(engine: Engine, packs: list[importer.LoadedPack], *, overwrite_edits: bool = False,
            allow_removals: bool = False) -> list[importer.ImportSummary]:
    backup_before(engine, "before-import")
    with Session(engine) as session, session.begin():
        return importer.import_packs(session, packs, overwrite_edits=overwrite_edits, allow_removals=allow_removals)


def backup_before(engine: Engine, reason: str) -> Path | None:
    """A rotated backup of a SQLite database that holds data, before an operation changes it
    (a shared server is backed up with its own tools)."""
    from desk.db import backup
    from desk.db.urls import plain_sqlite_file

    url = engine.url.render_as_string(hide_password=False)
    if plain_sqlite_file(url) is None:
        return None
    with engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        if "data_pack" not in tables:
            return None
        holds_data = connection.execute(text("SELECT EXISTS (SELECT 1 FROM data_pack)")).scalar() or (
            "consultation" in tables
            and connection.execute(text("SELECT EXISTS (SELECT 1 FROM consultation)")).scalar())
    if not holds_data:
        return None
    return backup.backup(url, reason)


@dataclass(frozen=True)
class CheckResult:
    problems: list[str]
    counts: dict[str, int]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def check(engine: Engine) -> CheckResult:
    """Integrity, foreign keys, schema revision and the references between packs.

    A database at an older revision desk knows is sound if its file is (a backup, or a
    migration that was stopped and rolled back): a note says to upgrade, not a problem.
    """
    problems: list[str] = []
    revision, head = current_revision(engine), head_revision()
    notes: tuple[str, ...] = ()
    if revision != head:
        if revision is None or revision not in known_revisions():
            problems.append(f"スキーマの版が分かりません（現在 {revision}、最新 {head}）"
                            ": desk db upgrade を実行してください")
            return CheckResult(problems, {})
        if may_migrate(engine):
            notes = (f"スキーマは古い版です（現在 {revision}、最新 {head}）: desk db upgrade で最新にできます",)
        else:   # a window's role on a shared server: only its administrator can (issue 17)
            owner = _schema_owner(engine)
            notes = (f"スキーマは古い版です（現在 {revision}、最新 {head}）: このロールでは更新できません。"
                     f"サーバーの管理者が{f' {owner} のロールで' if owner else ''} desk db upgrade を実行してください",)
    problems.extend(_file_problems(engine))
    if revision != head:
        return CheckResult(problems, {}, notes)
    with Session(engine) as session:
        problems.extend(_reference_problems(session))
        problems.extend(_catalogue_problems(session))
        counts = {
            "packs": session.scalar(select(func.count()).select_from(m.DataPack)) or 0,
            "programs": session.scalar(select(func.count()).select_from(m.Program)) or 0,
            "variants": session.scalar(select(func.count()).select_from(m.Variant)) or 0,
            "offices": session.scalar(select(func.count()).select_from(m.Office)) or 0,
            "municipalities": session.scalar(select(func.count()).select_from(m.Municipality)) or 0,
            "consultations": session.scalar(select(func.count()).select_from(m.Consultation)) or 0,
        }
    return CheckResult(problems, counts, notes)


def _file_problems(engine: Engine) -> list[str]:
    problems: list[str] = []
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            result = [row[0] for row in connection.execute(text("PRAGMA integrity_check"))]
            if result != ["ok"]:
                problems.extend(f"integrity_check: {r}" for r in result)
            for table, rowid, parent, _fk in connection.execute(text("PRAGMA foreign_key_check")):
                problems.append(f"foreign_key_check: {table} の行 {rowid} が {parent} にない行を参照しています")
    return problems


def _reference_problems(session: Session) -> list[str]:
    problems = []
    offices = set(session.scalars(select(m.Office.id)))
    organisations = set(session.scalars(select(m.Organisation.id)))
    providers = set(session.scalars(select(m.Provider.id)))
    variants = set(session.scalars(select(m.Variant.id)))
    for variant_id, issuer in session.execute(select(m.Document.variant_id, m.Document.issuer)):
        if issuer and issuer not in vocab.GENERIC_ISSUERS and issuer not in offices:
            problems.append(f"{variant_id}: 書類の発行元 '{issuer}' がありません")
    for office_id, org in session.execute(select(m.Office.id, m.Office.organisation_id)):
        if org and org not in organisations:
            problems.append(f"{office_id}: organisation '{org}' がありません")
    for program_id, provider in session.execute(select(m.Program.id, m.Program.provider_id)):
        if provider not in providers:
            problems.append(f"{program_id}: provider '{provider}' がありません")
    for variant_id, shared in session.execute(select(m.Variant.id, m.Variant.limit_shared_with)):
        for other in shared or ():
            if other not in variants:
                problems.append(f"{variant_id}: limit.shared_with '{other}' がありません")
    return problems


def _catalogue_problems(session: Session) -> list[str]:
    """Whether the catalogue loads and its copy on disk can be made, as every match, referral and
    the app need: a file sound to SQLite can still hold a catalogue desk cannot use (conditions
    nested hundreds deep from before packs were bounded made every later command fail while
    this check said OK; issue 15, item 2)."""
    import pickle

    from desk.catalogue.domain import BrokenCatalogue
    from desk.db.loaders import load_all

    try:
        loaded = load_all(session, ())
        pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL)
    except BrokenCatalogue:
        return []   # a missing provider or pack: said once, by the reference and foreign-key checks
    except (RecursionError, MemoryError):
        return ["カタログを読み込めません（条件などの入れ子が深すぎます）: 問題のあるデータパックを直して"
                "desk import で取り込み直してください"]
    except Exception as exc:   # whatever breaks loading is what this check reports
        return [f"カタログを読み込めません（{type(exc).__name__}: {str(exc)[:200]}）: 問題のあるデータパックを直して"
                "desk import で取り込み直してください"]
    return []

"""Importing data packs: validated, all-or-nothing, one pack replacing itself whole.

:func:`read_pack` reads and validates one file. :func:`import_packs` checks the
references between the given packs and those already in the database, reports
admin edits the import would overwrite, then in ONE transaction deletes each
pack's old rows (the database cascades from ``data_pack``) and inserts the new
ones. Any problem raises before anything is written, so a bad pack changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from desk import vocab
from desk.db import models as m
from desk.db.packs import mapping, yamlio
from desk.db.packs.schema import PackData, PackInvalid, PackProblem
from desk.db.packs.validator import validate_pack
from desk.fileio import FileRefused, read_regular_file
from desk.rules.registry import iter_checks

MAX_PACK_BYTES = 20 * 1024 * 1024   # the largest bundled pack is 0.5 MB: forty times that is no pack


@dataclass
class LoadedPack:
    data: PackData
    path: Path
    checksum: str


@dataclass(frozen=True)
class AdminEdit:
    pack_id: str
    kind: str        # program | variant | office
    record_id: str
    name: str
    edited_at: dt.datetime


class EditsWouldBeLost(RuntimeError):
    def __init__(self, edits: list[AdminEdit]):
        self.edits = edits
        lines = [f"  {e.pack_id}: {e.kind} {e.record_id}（{e.name}）{e.edited_at:%Y-%m-%d %H:%M} に編集" for e in edits]
        super().__init__("取り込むと次の管理画面での編集が上書きされます:\n" + "\n".join(lines))


@dataclass(frozen=True)
class Removal:
    """A record the database holds that a pack replacing its own would no longer have."""

    pack_id: str
    kind: str        # provider | program | variant | office
    record_id: str
    name: str


REMOVAL_KINDS = {"provider": "提供者", "program": "制度", "variant": "区分", "office": "窓口"}
REMOVALS_SHOWN = 50   # lines of the list; the rest counted


def removal_lines(removals: list[Removal]) -> list[str]:
    lines = [f"  {r.pack_id}: {REMOVAL_KINDS[r.kind]} {r.record_id}（{r.name}）" for r in removals[:REMOVALS_SHOWN]]
    if len(removals) > REMOVALS_SHOWN:
        lines.append(f"  … ほか {len(removals) - REMOVALS_SHOWN} 件")
    return lines


class RemovalsNeedConsent(RuntimeError):
    """A pack that leaves out records its older version had: said before anything is removed
    (a pack deleting 10 of 11 programs and every office once imported without a word)."""

    def __init__(self, removals: list[Removal]):
        self.removals = removals
        super().__init__(f"取り込むと次の {len(removals)} 件がデータベースからなくなります:\n"
                         + "\n".join(removal_lines(removals)))


@dataclass(frozen=True)
class ImportSummary:
    pack_id: str
    version: str
    replaced_version: str | None
    counts: dict[str, int]
    removed: tuple[Removal, ...] = ()


def read_pack(path: str | Path) -> LoadedPack:
    """Read and validate one pack file; raise :class:`PackInvalid` naming file and line."""
    path = Path(path)
    name = path.name
    try:
        raw_bytes = read_regular_file(path, limit=MAX_PACK_BYTES)
    except FileRefused as exc:
        raise PackInvalid([PackProblem(name, None, "", exc.reason)]) from exc
    except OSError as exc:
        raise PackInvalid([PackProblem(name, None, "", f"ファイルを開けません（{exc.strerror}）")]) from exc
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw_bytes[: exc.start].count(b"\n") + 1
        raise PackInvalid([PackProblem(name, line, "", "UTF-8 として読めない文字があります")]) from exc
    try:
        raw = yamlio.load(text)
    except yamlio.PackSyntaxError as exc:
        raise PackInvalid([PackProblem(name, exc.line, "", str(exc))]) from exc
    data = validate_pack(raw, file=name)
    return LoadedPack(data, path, hashlib.sha256(raw_bytes).hexdigest())


def read_packs(paths: Iterable[str | Path]) -> list[LoadedPack]:
    """Read several packs, reporting the problems of all of them together."""
    loaded, problems = [], []
    for path in paths:
        try:
            loaded.append(read_pack(path))
        except PackInvalid as exc:
            problems.extend(exc.problems)
        except OSError as exc:   # a folder, or a file that went away or cannot be read
            problems.append(PackProblem(Path(path).name, None, "", _unreadable(exc)))
    if problems:
        raise PackInvalid(problems)
    ids = [p.data.id for p in loaded]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        files = ", ".join(p.path.name for p in loaded if p.data.id == dup)
        problems.append(PackProblem(files, None, "pack", f"同じパック id '{dup}' のファイルが複数あります"))
    if problems:
        raise PackInvalid(problems)
    return loaded


def _unreadable(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "フォルダです（データパックの .yaml ファイルを指定してください）"
    return f"ファイルを読めません（{exc.strerror or type(exc).__name__}）"


def admin_edits(session: Session, pack_ids: Iterable[str]) -> list[AdminEdit]:
    """Admin edits in these packs that re-importing them would overwrite."""
    pack_ids = list(pack_ids)
    edits: list[AdminEdit] = []
    for prog in session.scalars(select(m.Program).where(m.Program.pack_id.in_(pack_ids),
                                                        m.Program.edited_at.is_not(None))):
        edits.append(_edit(prog.pack_id, "program", prog.id, prog.name, prog.edited_at))
    stmt = (select(m.Variant, m.Program).join(m.Program, m.Variant.program_id == m.Program.id)
            .where(m.Program.pack_id.in_(pack_ids), m.Variant.edited_at.is_not(None)))
    for variant, prog in session.execute(stmt):
        edits.append(_edit(prog.pack_id, "variant", variant.id, prog.name, variant.edited_at))
    for office in session.scalars(select(m.Office).where(m.Office.pack_id.in_(pack_ids),
                                                         m.Office.edited_at.is_not(None))):
        edits.append(_edit(office.pack_id, "office", office.id, office.name, office.edited_at))
    return sorted(edits, key=lambda e: (e.pack_id, e.kind, e.record_id))


def _edit(pack_id: str, kind: str, record_id: str, name: str, edited_at: dt.datetime | None) -> AdminEdit:
    assert edited_at is not None  # the queries select edited records only
    return AdminEdit(pack_id, kind, record_id, name, edited_at)


def removals(session: Session, packs: list[LoadedPack]) -> list[Removal]:
    """Providers, programs, variants (of programs that stay) and offices of the packs being
    replaced that the new versions leave out."""
    found: list[Removal] = []
    for pack in packs:
        pid = pack.data.id
        programs = {p["id"]: p for p in pack.data.records("programs")}
        variants = {v["id"] for p in programs.values() for v in p["variants"]}
        for kind, model, kept in (("provider", m.Provider, {r["id"] for r in pack.data.records("providers")}),
                                  ("program", m.Program, set(programs)),
                                  ("office", m.Office, {r["id"] for r in pack.data.records("offices")})):
            for record_id, name in session.execute(select(model.id, model.name).where(model.pack_id == pid)
                                                   .order_by(model.id)):
                if record_id not in kept:
                    found.append(Removal(pid, kind, record_id, name))
        stmt = (select(m.Variant.id, m.Program.id, m.Program.name).join(m.Program, m.Variant.program_id == m.Program.id)
                .where(m.Program.pack_id == pid).order_by(m.Variant.id))
        for variant_id, program_id, name in session.execute(stmt):
            if program_id in programs and variant_id not in variants:
                found.append(Removal(pid, "variant", variant_id, name))
    order = list(REMOVAL_KINDS)
    return sorted(found, key=lambda r: (r.pack_id, order.index(r.kind), r.record_id))


def import_packs(session: Session, packs: list[LoadedPack], *, overwrite_edits: bool = False,
                 allow_removals: bool = False, now: dt.datetime | None = None) -> list[ImportSummary]:
    """Replace each pack's records with the given ones; the caller owns the transaction. Admin
    edits the import would overwrite, and records it would remove, are refused unless allowed."""
    incoming = {p.data.id for p in packs}
    _check_references(session, packs)
    edits = admin_edits(session, incoming)
    if edits and not overwrite_edits:
        raise EditsWouldBeLost(edits)
    gone = removals(session, packs)
    if gone and not allow_removals:
        raise RemovalsNeedConsent(gone)
    now = now or dt.datetime.now(dt.UTC)
    summaries = []
    for pack in packs:
        old = session.get(m.DataPack, pack.data.id)
        replaced = old.version if old else None
        if old is not None:
            session.expunge(old)
        # One DELETE; the database cascades to every row of the pack.
        session.execute(delete(m.DataPack).where(m.DataPack.id == pack.data.id))
        session.expire_all()
        header = pack.data.header
        session.add(m.DataPack(
            id=header["id"], title=header["title"], version=header["version"], source_file=header["source_file"],
            as_of=header["as_of"], as_of_note=header["as_of_note"], fiscal_year=header["fiscal_year"],
            description=header["description"], file_name=pack.path.name, checksum=pack.checksum, imported_at=now))
        session.flush()
        session.add_all(mapping.to_rows(pack.data))
        session.flush()
        counts = {section: len(records) for section, records in pack.data.sections.items() if records}
        summaries.append(ImportSummary(header["id"], header["version"], replaced, counts,
                                       tuple(r for r in gone if r.pack_id == header["id"])))
    return summaries


# --- references across packs -------------------------------------------------------------

def _check_references(session: Session, packs: list[LoadedPack]) -> None:
    incoming = {p.data.id for p in packs}
    problems: list[PackProblem] = []

    def existing(key_col: InstrumentedAttribute[str], pack_col: InstrumentedAttribute[str]) -> dict[str, str]:
        stmt = select(key_col, pack_col).where(pack_col.not_in(incoming))
        return {key: pack_id for key, pack_id in session.execute(stmt)}

    # What the database keeps (packs not being replaced) plus what comes in.
    known: dict[str, dict[str, str]] = {
        "providers": existing(m.Provider.id, m.Provider.pack_id),
        "programs": existing(m.Program.id, m.Program.pack_id),
        "variants": {vid: pid for vid, pid in session.execute(
            select(m.Variant.id, m.Program.pack_id).join(m.Program).where(m.Program.pack_id.not_in(incoming)))},
        "organisations": existing(m.Organisation.id, m.Organisation.pack_id),
        "offices": existing(m.Office.id, m.Office.pack_id),
        "plans": existing(m.Plan.id, m.Plan.pack_id),
        "situations": existing(m.Situation.id, m.Situation.pack_id),
        "questions": existing(m.Question.id, m.Question.pack_id),
        "sme_tables": existing(m.SmeTable.id, m.SmeTable.pack_id),
        "fee_tables": existing(m.FeeTable.id, m.FeeTable.pack_id),
        "municipalities": existing(m.Municipality.id, m.Municipality.pack_id),
    }
    for pack in packs:
        for section in ("providers", "programs", "organisations", "offices", "plans", "situations", "questions",
                        "sme_tables", "fee_tables", "municipalities"):
            for rec in pack.data.records(section):
                owner = known[section].get(rec["id"])
                if owner is not None and owner != pack.data.id:
                    problems.append(_problem(pack, section, rec["id"],
                                             f"id '{rec['id']}' は別のパック '{owner}' にすでにあります"))
                known[section][rec["id"]] = pack.data.id
        for program in pack.data.records("programs"):
            for variant in program["variants"]:
                owner = known["variants"].get(variant["id"])
                if owner is not None and owner != pack.data.id:
                    problems.append(_problem(pack, "programs", program["id"],
                                             f"variant id '{variant['id']}' は別のパック '{owner}' にすでにあります"))
                known["variants"][variant["id"]] = pack.data.id
    plans = set(vocab.BUILTIN_PLANS) | set(known["plans"])
    generic_issuers = set(vocab.GENERIC_ISSUERS)
    for pack in packs:
        for provider in pack.data.records("providers"):
            if provider["sme_table"] and provider["sme_table"] not in known["sme_tables"]:
                problems.append(_problem(pack, "providers", provider["id"],
                                         f"sme_table '{provider['sme_table']}' がどのパックにもありません"))
            table = provider["guarantee_fee_table"]
            if table and table not in known["fee_tables"]:
                problems.append(_problem(pack, "providers", provider["id"],
                                         f"guarantee_fee_table '{table}' がどのパックにもありません"))
            for message in _condition_refs(provider["general_conditions"], plans, known["questions"]):
                problems.append(_problem(pack, "providers", provider["id"], message))
        for program in pack.data.records("programs"):
            if program["provider"] not in known["providers"]:
                problems.append(_problem(pack, "programs", program["id"],
                                         f"provider '{program['provider']}' がどのパックにもありません"))
            for variant in program["variants"]:
                conds = list(variant["conditions"])
                conds += [f["when"] for f in variant["guarantee_fees"] if f["when"]]
                conds += [d["when"] for d in variant["documents"] if d["when"]]
                for message in _condition_refs(conds, plans, known["questions"]):
                    problems.append(_problem(pack, "programs", program["id"], f"{variant['id']}: {message}"))
                for doc in variant["documents"]:
                    issuer = doc["issuer"]
                    if issuer and issuer not in generic_issuers and issuer not in known["offices"]:
                        problems.append(_problem(pack, "programs", program["id"],
                                                 f"{variant['id']}: 書類 '{doc['id']}' の発行元 '{issuer}' "
                                                 "が見つかりません"))
                for other in (variant["limit"] or {}).get("shared_with") or ():
                    if other not in known["variants"]:
                        problems.append(_problem(pack, "programs", program["id"],
                                                 f"{variant['id']}: limit.shared_with '{other}' が見つかりません"))
        problems.extend(_kind_refs(pack, plans, known))
        for office in pack.data.records("offices"):
            org = office["organisation"]
            if org and org not in known["organisations"]:
                problems.append(_problem(pack, "offices", office["id"], f"organisation '{org}' が見つかりません"))
    problems.extend(_dangling_after_replace(session, packs, known))
    if problems:
        raise PackInvalid(problems)


def _dangling_after_replace(session: Session, packs: list[LoadedPack],
                            known: dict[str, dict[str, str]]) -> Iterator[PackProblem]:
    """Records of packs that stay which point at ids a replaced pack no longer has."""
    incoming = [p.data.id for p in packs]
    for doc, variant_id in session.execute(
            select(m.Document.issuer, m.Variant.id).join(m.Variant).join(m.Program)
            .where(m.Program.pack_id.not_in(incoming), m.Document.issuer.is_not(None))):
        if doc not in vocab.GENERIC_ISSUERS and doc not in known["offices"]:
            yield PackProblem("(database)", None, variant_id, f"書類の発行元 '{doc}' が取り込み後になくなります")
    for office_id, org in session.execute(select(m.Office.id, m.Office.organisation_id)
                                          .where(m.Office.pack_id.not_in(incoming),
                                                 m.Office.organisation_id.is_not(None))):
        if org not in known["organisations"]:
            yield PackProblem("(database)", None, office_id, f"organisation '{org}' が取り込み後になくなります")
    for program_id, provider in session.execute(select(m.Program.id, m.Program.provider_id)
                                                .where(m.Program.pack_id.not_in(incoming))):
        if provider not in known["providers"]:
            yield PackProblem("(database)", None, program_id, f"provider '{provider}' が取り込み後になくなります")


def _kind_refs(pack: LoadedPack, plans: set[str], known: dict[str, dict[str, str]]) -> Iterator[PackProblem]:
    """What a question stands for, and where a plan or a situation starts, must exist."""
    situations = set(known["situations"])
    for question in pack.data.records("questions"):
        qid, implied = question["id"], question["implies"]
        if question["kind"] == "plan" and implied not in plans:
            yield _problem(pack, "questions", qid, f"implies '{implied}' がどのパックの plans にもありません")
        if question["kind"] == "situation" and implied not in situations:
            yield _problem(pack, "questions", qid, f"implies '{implied}' がどのパックの situations にもありません")
        if question["kind"] == "question" and implied is not None:
            yield _problem(pack, "questions", qid, "implies は kind が plan か situation の質問にだけ書けます")
        for family in question["family"]:
            if family not in plans and family not in situations and family not in vocab.PURPOSES \
                    and family not in vocab.CAUSES:
                yield _problem(pack, "questions", qid,
                               f"family '{family}' は計画・事情・資金使途・原因のどれでもありません")
        for message in _condition_refs([s["when"] for s in question["settled_by"]], plans, known["questions"]):
            yield _problem(pack, "questions", qid, message)
    for section in ("plans", "situations"):
        for rec in pack.data.records(section):
            if rec["contact"] and rec["contact"] not in known["offices"]:
                yield _problem(pack, section, rec["id"], f"contact '{rec['contact']}' が offices にありません")


def _condition_refs(conditions: list[Any], plans: set[str], questions: dict[str, str]) -> Iterator[str]:
    for cond in conditions:
        for leaf in iter_checks(cond):
            params = leaf.get("params") or {}
            if leaf["check"] == "plan_any":
                for plan in params.get("any_of", ()):
                    if plan not in plans:
                        yield f"plan_any: 計画 '{plan}' がどのパックにもありません（plans に宣言してください）"
            elif leaf["check"] in ("answer", "amount_at_most_answer") and params.get("question") not in questions:
                yield (f"answer: 質問 '{params.get('question')}' がどのパックにもありません"
                       "（questions に宣言してください）")


def _problem(pack: LoadedPack, section: str, key: Any, message: str) -> PackProblem:
    return PackProblem(pack.path.name, pack.data.lines.get(f"{section}:{key}"), f"{section} ({key})", message)

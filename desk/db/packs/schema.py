"""The shape of a data pack, declared once: each record type as a tuple of :class:`Field`,
the sections of a pack, and what validation hands back (:class:`PackData`) or raises
(:class:`PackInvalid`, listing every :class:`PackProblem`).

A field's ``type`` names what ``desk.db.packs.validator`` accepts for it (``id``, ``str``,
``int``, ``number``, ``bool``, ``date``, ``phone``, ``postal``, ``choice``, ``list[str]``,
``list[choice]``, ``intmap``, ``source``, ``record:<kind>``, ``list:<kind>``, ``rawlist``,
``conditions``, ``condition``; a trailing ``?`` allows null). The exporter writes records
back in the declared order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from desk import vocab
from desk.rules.registry import CHECKS

FORMAT = "desk-pack/1"


@dataclass(frozen=True)
class Field:
    name: str
    type: str                  # see _check_value
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] | None = None


# One capital letter keeps the declarations below tabular: a record type reads as its fields.
def F(name: str, type: str, *, required: bool = False, default: Any = None,  # noqa: N802
      choices: Iterable[str] | None = None) -> Field:
    return Field(name, type, required, default, tuple(choices) if choices is not None else None)


SOURCE = (F("file", "str?"), F("section", "str?"))

PACK = (
    F("id", "id", required=True), F("title", "str", required=True), F("version", "str", required=True),
    F("source_file", "str?"), F("as_of", "date?"), F("as_of_note", "str?"), F("fiscal_year", "int?"),
    F("description", "str?"),
)
PLAN = (F("id", "id", required=True), F("name", "str", required=True), F("issuer", "str?"), F("how", "str?"),
        F("contact", "str?"), F("source", "source"), F("as_of", "date?"))
# A circumstance some funds are made for (INTAKE.md `situations`): `choosable` when the business
# can decide to undertake it, with the `step` it would take and the office (`contact`) to start at.
SITUATION = (F("id", "id", required=True), F("name", "str", required=True), F("choosable", "bool", default=False),
             F("step", "str?"), F("contact", "str?"), F("text", "str?"), F("source", "source"), F("as_of", "date?"))
# An answer the stated facts settle: when `when` holds on the intake, the question's answer is `value`.
SETTLEMENT = (F("when", "condition", required=True), F("value", "answer", required=True),
              F("reason", "str", required=True))
# A question's kind: a `plan` or a `situation` stands for the id it `implies`; a plain `question`
# is a detail asked only when one of its `family` (situation, plan, purpose or cause ids) is stated.
QUESTION = (F("id", "id", required=True), F("text", "str", required=True),
            F("type", "choice", required=True, choices=vocab.QUESTION_TYPES), F("help", "str?"),
            F("kind", "choice", default="question", choices=vocab.QUESTION_KINDS), F("implies", "str?"),
            F("family", "list[str]"), F("reason", "str?"), F("settled_by", "list:settlement"),
            F("source", "source"), F("as_of", "date?"))
SME_ROW = (F("industry", "choice", required=True, choices=vocab.INDUSTRIES), F("capital_max_yen", "int?"),
           F("employees_max", "int?"), F("text", "str?"))
SME_ENTITY_RULE = (F("entity", "choice", required=True, choices=vocab.ENTITIES),
                   F("employees_max", "int", required=True), F("by_industry", "intmap"), F("text", "str?"))
SME_TABLE = (F("id", "id", required=True), F("rows", "list:sme_row", required=True),
             F("entity_rules", "list:sme_entity_rule"), F("notes", "list[str]"), F("interpretations", "list[str]"),
             F("source", "source"),
             F("as_of", "date?"))
# The guarantee fee's coefficient by the number of instalments after the grace (COSTS.md): data of
# an association, each row `confirmed` by the association's own page or read from its neighbours'.
FEE_COEFFICIENT = (F("least", "int", required=True), F("most", "int?"), F("equal", "number", required=True),
                   F("unequal", "number", required=True), F("confirmed", "bool", default=False), F("text", "str?"))
FEE_TABLE = (F("id", "id", required=True), F("association", "str", required=True),
             F("rows", "list:fee_coefficient", required=True), F("notes", "list[str]"),
             F("interpretations", "list[str]"), F("source", "source"), F("as_of", "date?"))
DOCUMENT = (F("id", "id", required=True), F("name", "str", required=True),
            F("kind", "choice", required=True, choices=vocab.DOCUMENT_KINDS), F("issuer", "str?"),
            F("confirms_only", "bool", default=False), F("when", "condition?"), F("text", "str?"),
            F("paper", "choice?", choices=vocab.PAPERS))
PROVIDER = (F("id", "id", required=True), F("name", "str", required=True),
            F("kind", "choice", required=True, choices=vocab.PROVIDER_KINDS), F("prefecture", "str", required=True),
            F("municipality", "str?"), F("sme_table", "str?"), F("guarantee_fee_table", "str?"),
            F("general_conditions", "conditions"),
            F("documents", "list:document"), F("notes", "list[str]"), F("interpretations", "list[str]"),
            F("source", "source"), F("as_of", "date?"))
LIMIT = (F("amount_yen", "int?"), F("separate", "bool", default=False),
         F("includes_existing_guaranteed", "bool", default=False), F("shared_with", "list[str]"),
         F("per_applicant_note", "str?"), F("text", "str?"))
TIER = (F("max_months", "int?"), F("rate_pct", "number?"), F("city_share_pct", "number?"),
        F("own_rate_pct", "number?"), F("note", "str?"))
RATE = (F("kind", "choice", default="fixed_cap", choices=vocab.RATE_KINDS), F("text", "str?"),
        F("tiers", "list:tier"), F("city_share_pct", "number?"), F("own_rate_pct", "number?"))
TERM = (F("min_months", "int?"), F("max_months", "int?"), F("grace_months", "int?"), F("bullet_max_months", "int?"),
        F("repayment", "list[choice]", choices=vocab.REPAYMENT), F("text", "str?"), F("by_use", "intmap"))
FEE = (F("min_pct", "number", required=True), F("max_pct", "number", required=True), F("label", "str?"),
       F("subsidised", "bool", default=False), F("when", "condition?"), F("valid_from", "date?"),
       F("valid_to", "date?"), F("text", "str?"))
GENERAL_EXCEPTION = (F("check", "choice", required=True, choices=sorted(CHECKS)),
                     F("effect", "choice", required=True, choices=("waive", "conditional")), F("text", "str?"))
FEE_ADJUSTMENT = (F("kind", "choice", required=True, choices=vocab.FEE_ADJUSTMENT_KINDS),
                  F("label", "str", required=True), F("min_pct", "number?"), F("max_pct", "number?"),
                  F("add_min_pct", "number?"), F("add_max_pct", "number?"), F("how", "str?"),
                  F("when", "condition?"), F("text", "str?"))
# Fields a variant has and a program may set as the default of all its variants.
VARIANT_FIELDS = (
    F("target_text", "str?"), F("conditions", "conditions"), F("general_exceptions", "list:general_exception"),
    F("uses", "list[choice]", choices=vocab.PURPOSES), F("uses_text", "str?"), F("use_notes", "list[str]"),
    F("limit", "record:limit"), F("rate", "record:rate"), F("term", "record:term"),
    F("guarantee_fees", "list:fee"), F("fee_adjustments", "list:fee_adjustment"),
    F("documents", "list:document"), F("notes", "list[str]"), F("interpretations", "list[str]"),
)
VARIANT = (F("id", "id", required=True), F("label", "str?"), *VARIANT_FIELDS,
           F("source", "source"), F("as_of", "date?"))
PROGRAM_OWN = (
    F("id", "id", required=True), F("provider", "str", required=True), F("name", "str", required=True),
    F("category", "str?"), F("kind", "choice", default="loan", choices=vocab.PROGRAM_KINDS),
    F("valid_from", "date?"), F("valid_to", "date?"), F("remarks_text", "str?"),
    F("guarantee", "choice", default="required", choices=vocab.GUARANTEE),
    F("source", "source"), F("as_of", "date?"),
)
PROGRAM = (*PROGRAM_OWN, *VARIANT_FIELDS, F("variants", "rawlist", required=True))  # resolved in _program
ORGANISATION = (F("id", "id", required=True), F("name", "str", required=True), F("name_current", "str?"),
                F("kind", "str?"), F("url", "str?"), F("notes", "list[str]"), F("interpretations", "list[str]"),
                F("source", "source"), F("as_of", "date?"))
AREA = (F("prefecture", "str", required=True), F("municipality", "str?"), F("towns", "list[str]?"))
OFFICE = (
    F("id", "id", required=True), F("organisation", "str?"), F("name", "str", required=True),
    F("name_current", "str?"), F("role", "choice", required=True, choices=vocab.ROLES), F("department", "str?"),
    F("phone", "phone?"), F("address", "str?"), F("postal_code", "postal?"), F("prefecture", "str?"),
    F("municipality", "str?"), F("lat", "number?"), F("lon", "number?"), F("geo_precision_m", "int?"),
    F("geo_source", "str?"), F("hours", "str?"), F("url", "str?"), F("service_area", "list:area"),
    F("issues", "list[choice]", choices=vocab.PAPERS), F("from_seed", "bool", default=True),
    F("notes", "list[str]"), F("interpretations", "list[str]"),
    F("source", "source"), F("as_of", "date?"),
)
PREFECTURE = (F("code", "int", required=True), F("name", "str", required=True), F("lat", "number?"),
              F("lon", "number?"), F("geo_precision_m", "int?"), F("geo_source", "str?"))
MUNICIPALITY = (
    F("id", "id", required=True), F("prefecture", "str", required=True), F("name", "str", required=True),
    F("reading", "str?"), F("city", "str?"), F("ward", "str?"), F("district", "str?"),
    F("kind", "choice", required=True, choices=vocab.MUNICIPALITY_KINDS), F("lat", "number?"), F("lon", "number?"),
    F("geo_precision_m", "int?"), F("geo_source", "str?"), F("source", "source"), F("as_of", "date?"),
)
POSTAL_CODE = (F("code", "postal", required=True), F("municipality", "str", required=True), F("town", "str?"))
POSTAL_PREFIX = (F("prefix", "str", required=True), F("prefecture", "str", required=True))

RECORDS: dict[str, tuple[Field, ...]] = {
    "pack": PACK, "plan": PLAN, "situation": SITUATION, "settlement": SETTLEMENT, "question": QUESTION,
    "sme_row": SME_ROW, "sme_entity_rule": SME_ENTITY_RULE,
    "sme_table": SME_TABLE, "fee_coefficient": FEE_COEFFICIENT, "fee_table": FEE_TABLE,
    "document": DOCUMENT, "provider": PROVIDER, "limit": LIMIT, "tier": TIER,
    "rate": RATE, "term": TERM, "fee": FEE, "fee_adjustment": FEE_ADJUSTMENT, "variant": VARIANT,
    "general_exception": GENERAL_EXCEPTION,
    "program": PROGRAM, "organisation": ORGANISATION, "area": AREA, "office": OFFICE, "prefecture": PREFECTURE,
    "municipality": MUNICIPALITY, "postal_code": POSTAL_CODE, "postal_prefix": POSTAL_PREFIX,
}

# Top-level sections in file order, with the record type of their items.
SECTIONS: dict[str, str] = {
    "plans": "plan", "situations": "situation", "questions": "question", "sme_tables": "sme_table",
    "fee_tables": "fee_table", "providers": "provider", "programs": "program", "organisations": "organisation",
    "offices": "office",
    "prefectures": "prefecture",
    "municipalities": "municipality", "postal_codes": "postal_code", "postal_prefixes": "postal_prefix",
}


@dataclass(frozen=True)
class PackProblem:
    file: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        location = f"{self.file}:{self.line}" if self.line else self.file
        return f"{location}: {self.where}: {self.message}" if self.where else f"{location}: {self.message}"


class PackInvalid(ValueError):
    def __init__(self, problems: list[PackProblem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:50])
        more = f"\n… ほか {len(problems) - 50} 件" if len(problems) > 50 else ""
        super().__init__(shown + more)


@dataclass
class PackData:
    """A validated pack: the header and each section as a list of normalised dicts."""

    header: dict[str, Any]
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    lines: dict[str, int | None] = field(default_factory=dict)   # record id -> line, for later messages

    @property
    def id(self) -> str:
        return str(self.header["id"])

    def records(self, section: str) -> list[dict[str, Any]]:
        return self.sections.get(section, [])


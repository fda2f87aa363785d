"""The intake form's steps, declared once (``PAGES``), and the page that loads and saves its part.

A :class:`Page` names its title, its fields and its extras: the parts the form lends it (the
sales calculator on 売上, the open questions on 確認), so adding or reordering a step
cannot misplace them. An :class:`IntakePage` hands back its part of the intake as plain data
(INTAKE.md keys; a field left untouched is omitted, so the engine treats it as unknown, not
as "no") and loads its part from intake data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from desk import vocab
from desk.ui import look
from desk.ui.intake_fields import (
    ChecklistField,
    ChoiceField,
    Field,
    FieldSpec,
    FlagField,
    MultiChoiceField,
    TextField,
    YesNoField,
    value_at,
)
from desk.ui.number_field import GraceField, MonthsField, NumberField, SalesChangeField, YenField
from desk.ui.place_field import PlaceField

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Protocol

    from desk.ui.consent_panel import ConsentPanel
    from desk.ui.intake_questions import QuestionsPanel
    from desk.ui.sales_calculator import SalesCalculator

    # Types only (a Protocol costs the start-up its class):
    class Parts(Protocol):
        """What the form lends its pages: parts that outlive a page (they follow every result)."""

        @property
        def sales(self) -> SalesCalculator: ...

        @property
        def questions(self) -> QuestionsPanel: ...

        @property
        def consent(self) -> ConsentPanel: ...

    Extra = Callable[[Parts, "IntakePage"], None]   # places its rows below the page's fields


LICENCE = {"not_needed": "許認可は不要", "held": "許認可を取得済み", "expected": "これから取得（創業予定）"}
BASES = {"sales": "売上高", "gross_profit": "売上総利益（粗利益）"}
FORMS = {"sole_proprietor": "個人事業", "corporation": "会社設立"}
# INTAKE.md's ``repayment``: how the costs are worked out (a fund that does not offer it is costed its own way).
REPAYMENTS = {"equal_principal": "元金均等（毎月）", "equal_payment": "元利均等（毎月）",
              "bullet": "一括（利息は毎月）"}


def sales_table(parts: Parts, page: IntakePage) -> None:
    """The monthly sales calculator."""
    page.add_row(parts.sales)


def postal_code_from_place(parts: Parts, page: IntakePage) -> None:
    """A postal code typed into 所在地 moves to 郵便番号 while that field is empty or holds the same
    code; else it stays, and the core's message under 所在地 says it is a postal code."""
    place, postal = page.fields["municipality"], page.fields["postal_code"]
    assert isinstance(place, PlaceField)

    def move(digits: str) -> None:
        from desk.intake.places import normalise_postal_code

        held = postal.value()
        if held and normalise_postal_code(str(held)) != digits:
            return
        shown = f"{digits[:3]}-{digits[3:]}"
        if held is None:
            postal.set_value(shown)
        place.postal_code_moved(shown)

    place.postal_code_typed.connect(move)


def grace_within_term(_parts: Parts, page: IntakePage) -> None:
    """据置期間 knows the term asked for, to say when it is not shorter (GraceField)."""
    term, grace = page.fields["term_months"], page.fields["grace_months"]
    assert isinstance(term, NumberField) and isinstance(grace, GraceField)
    term.editor.textChanged.connect(lambda text: grace.set_term(term.number(text.strip())))
    grace.set_term(term.number(term.editor.text().strip()))


def personal_details(parts: Parts, page: IntakePage) -> None:
    """Under the name and phone: their purpose of use, and the visitor's consent to share."""
    page.add_row(parts.consent)


def open_questions(parts: Parts, page: IntakePage) -> None:
    """The questions the conditional results wait on, under a heading."""
    heading = QLabel("追加の質問（結果が「条件付き」の資金が待っている質問）", page)
    heading.setWordWrap(True)
    look.bold(heading)
    heading.setContentsMargins(0, 8, 0, 0)   # apart from the fields above
    page.add_row(heading)
    page.add_row(parts.questions)


class Page(NamedTuple):   # a NamedTuple, as FieldSpec: built at start-up
    title: str
    fields: tuple[FieldSpec, ...]
    extras: tuple[Extra, ...] = ()

    def filled_by(self, data: dict[str, Any]) -> bool:
        """Whether intake data gives a value to one of this page's fields."""
        keys = [key for spec in self.fields for key in (spec.key, *spec.kind.also_covers)]
        return any(value_at(data, key) is not None for key in keys)


PAGES: tuple[Page, ...] = (
    Page("事業者", (
        FieldSpec("business_name", "事業者名", TextField, placeholder="例: 追浜精工株式会社"),
        FieldSpec("entity", "形態", ChoiceField, vocab.ENTITIES),
        FieldSpec("founding_form", "創業の形態（創業予定の方）", ChoiceField, FORMS),
        FieldSpec("months_until_start", "事業開始まで（創業予定の方）", MonthsField, placeholder="例: 1か月"),
        FieldSpec("industry", "業種", ChoiceField, vocab.INDUSTRIES),
        FieldSpec("capital_yen", "資本金", YenField, placeholder="例: 1,000万円"),
        FieldSpec("employees", "常時使用する従業員数", NumberField, placeholder="例: 18"),
        FieldSpec("municipality", "所在地", PlaceField, None),
        FieldSpec("postal_code", "郵便番号", TextField, placeholder="例: 238-0008"),
        FieldSpec("months_in_business", "事業を始めてから", MonthsField, placeholder="例: 20年、240か月"),
        FieldSpec("months_in_kanagawa", "神奈川県内で営んで", MonthsField, placeholder="例: 20年"),
        FieldSpec("licence", "許認可", ChoiceField, LICENCE),
    ), extras=(postal_code_from_place,)),
    Page("売上", (
        FieldSpec("sales_basis", "比べる数字", ChoiceField, BASES),
        FieldSpec("sales_change.last_1m_pct", "最近1か月（前年同月比）", SalesChangeField, placeholder="例: ▲15%"),
        FieldSpec("sales_change.last_3m_pct", "最近3か月（前年同期比）", SalesChangeField, placeholder="例: ▲12.5%"),
        FieldSpec("sales_change.last_6m_pct", "最近6か月（前年同期比）", SalesChangeField, placeholder="例: ▲8%"),
        FieldSpec("sales_change.next_3m_forecast_pct", "最近1か月と今後2か月の見込み", SalesChangeField,
                  placeholder="例: ▲12%"),
        FieldSpec("sales_change.last_fy_pct", "直近の決算期", SalesChangeField, placeholder="例: ▲6%"),
        FieldSpec("causes", "減少の原因", MultiChoiceField, vocab.CAUSES),
    ), extras=(sales_table,)),
    Page("資金ニーズ", (
        FieldSpec("purposes", "資金の使いみち", MultiChoiceField,
                  {k: v for k, v in vocab.PURPOSES.items() if k != "other"}),
        FieldSpec("amount_yen", "希望額", YenField, placeholder="例: 2,000万円"),
        FieldSpec("term_months", "希望の期間", MonthsField, placeholder="例: 5年、60か月"),
        # The request the costs are for (INTAKE.md): kept from an intake file, tried in the comparison.
        FieldSpec("grace_months", "据置期間", GraceField, placeholder="例: 1年、12か月"),
        FieldSpec("repayment", "返済方法", ChoiceField, REPAYMENTS),
        # The guarantee-fee options the visitor is weighing: each widens or replaces a fee range.
        FieldSpec("fee_options", "検討中の保証料の制度", MultiChoiceField, vocab.FEE_OPTIONS),
        # A complete list (INTAKE.md): a fund made for a circumstance not ticked is closed, not "maybe".
        FieldSpec("situations", "当てはまる事情（すべて）", MultiChoiceField, None),
    ), extras=(grace_within_term,)),
    Page("認定・計画・借入状況", (
        FieldSpec("certifications", "取得済みの認定", ChecklistField, vocab.CERTIFICATIONS),
        FieldSpec("plans", "取得済みの計画・認定・登録", ChecklistField, None),
        FieldSpec("guaranteed_balance_yen", "保証付き融資の残高", YenField, placeholder="例: 500万円（なければ 0）"),
        FieldSpec("has_eased_conditions", "返済条件の緩和（条件変更）", YesNoField),
        FieldSpec("tax_arrears", "期限の到来した税金に未納がある", FlagField),
        FieldSpec("bank_suspension", "金融機関の取引停止処分を受けている", FlagField),
        FieldSpec("subrogation_debt", "信用保証協会の代位弁済に対する債務がある", FlagField),
    )),
    Page("確認", (
        FieldSpec("visitor_name", "ご来訪者のお名前（任意・個人情報）", TextField, personal=True),
        FieldSpec("visitor_phone", "ご来訪者の電話（任意・個人情報）", TextField, personal=True),
    ), extras=(personal_details, open_questions)),
)


class IntakePage(QWidget):
    """One step of the form: its fields in a form layout, then its extras."""

    changed = Signal()

    def __init__(self, page: Page, choices: dict[str, dict[str, str]], parent: QWidget | None = None):
        """``choices``: the catalogue's lists (municipality, plans) for fields that declare none."""
        super().__init__(parent)
        self.title = page.title
        self.fields: dict[str, Field] = {}
        self._form = QFormLayout(self)
        # A label that leaves its field too little room goes above it (long checkbox lists).
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for spec in page.fields:
            field = spec.kind(spec, spec.choices if spec.choices is not None else choices.get(spec.key), self)
            field.changed.connect(self.changed)
            self.fields[spec.key] = field
            self._form.addRow(field.row_label(), field)

    def add_row(self, widget: QWidget) -> None:
        """A row across the page's whole width, below what is there."""
        self._form.addRow(widget)

    def save(self) -> dict[str, Any]:
        """This page's part of the intake: every field that holds a value, nested keys nested."""
        out: dict[str, Any] = {}
        for field in self.fields.values():
            for key, value in field.parts().items():
                if "." in key:
                    outer, inner = key.split(".", 1)
                    out.setdefault(outer, {})[inner] = value
                else:
                    out[key] = value
        return out

    def load(self, data: dict[str, Any]) -> None:
        """Fill every field from intake data; a field the data leaves out is emptied."""
        for field in self.fields.values():
            field.load_from(data)

    def set_choices(self, choices: dict[str, dict[str, str]]) -> None:
        """The catalogue's new lists, for the fields that take them."""
        for key, field in self.fields.items():
            if key in choices and field.spec.choices is None:
                field.set_choices(choices[key])

    def clear_errors(self) -> None:
        for field in self.fields.values():
            field.show_error(None)

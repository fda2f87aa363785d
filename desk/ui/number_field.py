"""Numbers as staff type them, with the reading shown beside the field.

「3千万」, 「２千万円」, 「20年」 and 「▲12.5」 go to the core as typed (its reader takes them, the
same for the form and the CLI); the line under the field says how they were read, so a slip is
seen before it becomes a wrong sheet: 「→ 3,000万円」, 「→ 20年（240か月）」. A sales change
states its direction in words, and a bare number, which reads as an increase, is said in the
colour of a warning with what to type for a decline: 「→ +20%（増加）として計算 — 減少なら ▲20」;
so is a bare number of months that may have meant years: 「→ 20か月（1年8か月）として計算 — 20年なら「20年」と入力」.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from desk import textfmt
from desk.ui import look
from desk.ui.intake_fields import FieldSpec, TextField


class NumberField(TextField):
    """A number in the unit of the core's reader (``yen``, ``pct``, ``months`` or ``count``)."""

    unit: ClassVar[str] = "count"

    def __init__(self, spec: FieldSpec, choices: dict[str, str] | None = None, parent: QWidget | None = None):
        super().__init__(spec, choices, parent)
        self.reading = QLabel(self)   # under the editor, above the error line (made with the first error)
        self.reading.setTextFormat(Qt.TextFormat.PlainText)
        self.reading.setWordWrap(True)   # 「→ ▲15%（減少）として計算」 was cut at 24 pt
        self.reading.hide()
        look.keep_room(self.reading)
        self._rows.insertWidget(1, self.reading)
        self.editor.textChanged.connect(self._read)

    def _read(self, text: str) -> None:
        said = self.reading_of(text.strip())
        if said is None:   # empty, or unreadable: the core's message under the field says it
            self.reading.hide()
            return
        words, attention = said
        self.reading.setText(f"→ {words}")
        look.mark(self.reading, look.ATTENTION if attention else look.MUTED, strong=attention)
        self.reading.show()

    def reading_of(self, text: str) -> tuple[str, bool] | None:
        """How the core reads ``text``, in words, and whether it needs a second look."""
        number = self.number(text)
        return None if number is None else (self.words(number), False)

    def number(self, text: str) -> float | None:
        """The core reader's number for ``text``, None when empty, unreadable or refused."""
        # The reader is off the window's start path (it comes with the first match).
        from desk.intake.numbers import IntakeError, parse_number

        if not text:
            return None
        try:
            number = parse_number(text, self.spec.key, unit=self.unit)
        except IntakeError:
            return None
        return number if self.taken(number) else None

    def taken(self, number: float) -> bool:
        """Whether the core's reader takes ``number``: 「→ 1000000000000億円」 and 「→ 1e+17人」 were
        said under a field whose message said the value was too large."""
        from desk.intake.reader import MAX_NUMBER

        return 0 <= number <= MAX_NUMBER

    def words(self, number: float) -> str:
        return f"{number:g}人"


class YenField(NumberField):
    unit = "yen"

    def words(self, number: float) -> str:
        return textfmt.yen(round(number))


# Up to how many years a field's bare number may have been meant as years: 「20」 under 事業を始めてから
# read as 1年8か月 in grey, as plain as 「20年」 read as 20年, and the business was taken for a young one.
# Above it a bare number is surely months (「84」 for the term, 「240」 for the business's age).
YEARS_MEANT_UP_TO = {"months_in_business": 100, "months_in_kanagawa": 100, "months_until_start": 5,
                     "term_months": 20, "grace_months": 5}


class MonthsField(NumberField):
    """Months, with 年 or か月 or bare; a bare number that may have been meant as years is said in
    the colour of a warning with how to type years, as a bare sales figure is."""

    unit = "months"
    _as_months: str | None = None   # the text of a number given as months (a file, the comparison)

    def set_value(self, value: Any) -> None:
        # A number in intake data is months by INTAKE.md (「"months_until_start": 2」): shown as it
        # is, and not flagged as typed bare, until someone types over it.
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        self._as_months = str(value) if number else None
        super().set_value(value)

    def reading_of(self, text: str) -> tuple[str, bool] | None:
        number = self.number(text)
        if number is None:
            return None
        if text != self._as_months and self.maybe_years(text, number):
            months = round(number)
            said = f"{months}か月" + (f"（{textfmt.months(months)}）" if months >= 12 else "")
            return f"{said}として計算 — {number:g}年なら「{number:g}年」と入力", True
        return self.words(number), False

    def maybe_years(self, text: str, number: float) -> bool:
        """Whether ``text`` is a bare number this field's visitors could have meant as years."""
        from desk.intake.numbers import months_unit_stated

        return 0 < number <= YEARS_MEANT_UP_TO.get(self.spec.key, 0) and not months_unit_stated(text)

    def words(self, number: float) -> str:
        months = round(number)
        return f"{textfmt.months(months)}（{months}か月）" if months >= 12 else textfmt.months(months)


class GraceField(MonthsField):
    """据置期間: read like any months, and said in the colour of a warning when it is not shorter
    than the term asked for (the estimates then cost a grace a month shorter than the term: said
    only in their notes, the cap went unseen)."""

    def __init__(self, spec: FieldSpec, choices: dict[str, str] | None = None, parent: QWidget | None = None):
        super().__init__(spec, choices, parent)
        self._term_months: int | None = None

    def set_term(self, months: float | None) -> None:
        """The term asked for (希望の期間; None when empty or unreadable), and the reading again."""
        term = round(months) if months else None
        if term != self._term_months:
            self._term_months = term
            self._read(self.editor.text())

    def reading_of(self, text: str) -> tuple[str, bool] | None:
        number = self.number(text)
        if number is None:
            return None
        grace, term = round(number), self._term_months
        if term is None or grace < term:
            return super().reading_of(text)
        shorter = f"据置を{textfmt.months(term - 1)}以内にして" if term > 1 else "据置なしで"
        return (f"{self.words(number)} — 希望の期間（{textfmt.months(term)}）以上です。"
                f"据置は期間より短くなければならないため、試算では{shorter}計算します"), True


class SalesChangeField(NumberField):
    """A sales change against a year earlier, in percent: negative is a decline."""

    unit = "pct"

    def taken(self, number: float) -> bool:
        from desk.intake.reader import PCT_RANGE

        return PCT_RANGE[0] <= number <= PCT_RANGE[1]

    def reading_of(self, text: str) -> tuple[str, bool] | None:
        number = self.number(text)
        if number is None:
            return None
        # A bare positive number is an increase to the reader; staff typing 「20」 for a 20 %
        # fall would get the wrong funds without a word, so it is said, in a warning's colour.
        unsigned = number > 0 and text.lstrip()[:1] not in ("+", "＋")
        return self.words(number) + (" — 減少なら ▲ を付けて入力" if unsigned else ""), unsigned

    def words(self, number: float) -> str:
        amount = f"{abs(number):g}%"
        if number < 0:
            return f"▲{amount}（減少）として計算"
        if number > 0:
            return f"+{amount}（増加）として計算"
        return "±0%（増減なし）として計算"

"""Inputs in error as the form names them: under their fields, in the step list, above the
results and in the refusal of a sheet, every one at once with its step (one at a time, a clerk
fixed one, tried again and met the next).

Off the start path: made with the first error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from desk.ui.intake_fields import Field


class FieldError(NamedTuple):
    """An input the core refuses, as the form names it."""

    label: str              # the field's label (the intake key when no field takes it)
    where: str              # its step, 「3. 資金ニーズ」 ("" when no field takes it)
    message: str            # the core's words, what is wrong
    key: str                # the intake key the core named
    field: Field | None
    step: int | None


def said(errors: Sequence[FieldError]) -> tuple[str | None, str | None]:
    """The first error's label and its message, with the others named after it: for the line
    above the results (None, None: no error)."""
    if not errors:
        return None, None
    first, others = errors[0], errors[1:]
    more = f"（ほかに直す項目: {'、'.join(f'「{e.label}」' for e in others)}）" if others else ""
    return first.label, first.message + more


def refusal(errors: Sequence[FieldError]) -> str:
    """Why a sheet is not made: every input in error, with its step, in the order of the form."""
    lines = [f"「{e.label}」を読めません" + (f"（{e.where}）" if e.where else "") + f": {e.message}" for e in errors]
    head = f"直す項目が{len(errors)}つあります。\n" if len(errors) > 1 else ""
    return head + "\n".join(lines) + "\n直してから、もう一度お試しください。"

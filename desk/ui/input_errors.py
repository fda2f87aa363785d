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


def said(errors: Sequence[FieldError]) -> str | None:
    """The line above the results: the one input in error and what is wrong, or every one by name
    (what is wrong with each is under its field; at 24 pt four messages took the results' room)."""
    if not errors:
        return None
    if len(errors) == 1:
        return f"「{errors[0].label}」を読めません: {errors[0].message}"
    return f"直す項目が{len(errors)}つあります: {''.join(f'「{e.label}」' for e in errors)}（理由は各項目の下）"


def refusal(errors: Sequence[FieldError]) -> str:
    """Why a sheet is not made: every input in error by name and step in its first lines (a message
    box shows three), then what is wrong with each (behind 「詳細を表示」, and under each field)."""
    if len(errors) == 1:
        first = errors[0]
        where = f"（{first.where}）" if first.where else ""
        return f"「{first.label}」を読めません{where}: {first.message}\n直してから、もう一度お試しください。"
    steps: dict[str, list[str]] = {}
    for error in errors:
        steps.setdefault(error.where, []).append(f"「{error.label}」")
    named = "、".join("".join(labels) + (f"（{where}）" if where else "") for where, labels in steps.items())
    reasons = "\n".join(f"「{e.label}」: {e.message}" for e in errors)
    return (f"直す項目が{len(errors)}つあります: {named}\n"
            f"理由は各項目の下に赤字で出ています。直してから、もう一度お試しください。\n\n{reasons}")

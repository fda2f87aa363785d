"""The guarantee-fee options a visitor weighs (INTAKE.md ``fee_options``), applied to one fund's
fee range as the seeds say.

- 企業経営の未病改善 (seed 002 注4 and the funds' notes) and スタートアップ創出促進保証 (創業支援融資
  ※2) *replace* the range with their own rates;
- 事業者選択型経営者保証非提供制度 (注5) *adds* 0.25 or 0.45 points, so the range becomes
  [low + 0.25, high + 0.45].

Which fund offers which option, and at what rates, is pack data (the variants'
``fee_adjustments``, matched to an option by the scheme's name, :data:`desk.vocab.FEE_OPTIONS`).
An option a fund does not offer, or whose requirement the business fails, leaves its range as it
was and says so: a sentence among the cost's assumptions and, gathered over the funds, a warning
of the answer (:func:`missing_warnings`); never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from desk import textfmt, vocab
from desk.catalogue.domain import FeeAdjustment, Variant
from desk.rules.outcome import FAIL, UNKNOWN, Outcome

Range = tuple[float, float]


class Applied(NamedTuple):
    fee_range_pct: Range | None
    fee_change: Any                   # (date, range) or None, as terms.Pricing keeps it
    notes: tuple[str, ...]            # assumption sentences for the cost
    missing: tuple[str, ...]          # the options this fund does not offer this business


def option_of(label: str) -> str | None:
    """The option a fee adjustment belongs to, by its label: the scheme's name alone or with a
    qualifier in brackets (「企業経営の未病改善（ミニ）」); None for any other adjustment."""
    for option, name in vocab.FEE_OPTIONS.items():
        if label == name or label.startswith(name + "（"):
            return option
    return None


# (id(adjustments), options, range, change, verdicts) -> (adjustments, what they make of it). A
# keystroke prices every fund again on the same options: the sentences are made once. The
# adjustments are kept beside their answer, so an id is never reused while it is a key.
_APPLIED: dict[tuple[Any, ...], tuple[tuple[FeeAdjustment, ...], Applied]] = {}


def apply_options(variant: Variant, options: tuple[str, ...], fee_range: Range | None, fee_change: Any,
                  applies: Callable[[dict[str, Any]], Outcome]) -> Applied:
    """The fund's fee range (and a scheduled change of it) with the visitor's options applied."""
    if variant.guarantee == "none" or (variant.guarantee == "optional" and not variant.fees):
        return Applied(fee_range, fee_change, (), ())   # no guarantee, so no guarantee fee to change
    adjustments = variant.fee_adjustments
    # What decides the answer beyond the pack's rows: the business's verdict on each row's requirement.
    verdicts = tuple(applies(a.when).status if a.when else None for a in adjustments)
    key = (id(adjustments), options, fee_range, fee_change, verdicts)
    found = _APPLIED.get(key)
    if found is not None and found[0] is adjustments:
        return found[1]
    applied = _apply(adjustments, verdicts, options, fee_range, fee_change)
    if len(_APPLIED) > 4096:   # catalogues reloaded many times in one process
        _APPLIED.clear()
    _APPLIED[key] = (adjustments, applied)
    return applied


def _apply(adjustments: tuple[FeeAdjustment, ...], verdicts: tuple[str | None, ...], options: tuple[str, ...],
           fee_range: Range | None, fee_change: Any) -> Applied:
    notes: list[str] = []
    missing: list[str] = []
    replacing: list[FeeAdjustment] = []
    adding: list[FeeAdjustment] = []
    for option in dict.fromkeys(options):
        rows = [(a, v) for a, v in zip(adjustments, verdicts, strict=True) if option_of(a.label) == option]
        usable = [(a, v) for a, v in rows if v != FAIL]
        name = vocab.FEE_OPTIONS.get(option, option)
        if not usable:
            missing.append(option)
            notes.append(f"{name}はこの事業者の要件に当たらないため、通常の保証料率で計算。" if rows else
                         f"{name}の保証料率はこの資金の資料にないため、通常の保証料率で計算。")
            continue
        for adjustment, verdict in usable:
            if adjustment.min_pct is not None and adjustment.max_pct is not None:
                replacing.append(adjustment)
                notes.append(_replaced(adjustment, verdict))
            elif adjustment.add_min_pct is not None or adjustment.add_max_pct is not None:
                adding.append(adjustment)
    alternative = next((a for a in replacing if a.kind == "alternative"), None)
    if adding and alternative is not None:
        # A surcharge is on the fund's own rates (注5: 「信用保証料率に…上乗せ」); another guarantee
        # scheme charges its own.
        notes.append(f"{alternative.label}の保証料率で計算しているため、{adding[0].label}の上乗せは加えていません。")
        adding = []
    elif adding:
        notes.append(_added(adding, fee_range))

    def adjusted(span: Range | None) -> Range | None:
        if replacing:
            span = (min(a.min_pct for a in replacing if a.min_pct is not None),
                    max(a.max_pct for a in replacing if a.max_pct is not None))
        if adding and span is not None:
            span = (round(span[0] + min(a.add_min_pct or 0.0 for a in adding), 4),
                    round(span[1] + max(a.add_max_pct or a.add_min_pct or 0.0 for a in adding), 4))
        return span

    now = adjusted(fee_range)
    change = None
    if fee_change is not None:
        then = adjusted(fee_change[1])
        change = (fee_change[0], then) if then is not None and then != now else None
    return Applied(now, change, tuple(notes), tuple(missing))


def _replaced(adjustment: FeeAdjustment, verdict: str | None) -> str:
    rates = textfmt.pct_range(adjustment.min_pct, adjustment.max_pct)
    unsure = "（使えるかどうかは要件の確認が必要です）" if verdict == UNKNOWN else ""
    return f"保証料は、{adjustment.label}を使う場合の保証料率（{rates}）で計算{unsure}。"


def _added(adding: list[FeeAdjustment], fee_range: Range | None) -> str:
    low = min(a.add_min_pct or 0.0 for a in adding)
    high = max(a.add_max_pct or a.add_min_pct or 0.0 for a in adding)
    points = textfmt.pct(low) if low == high else f"{textfmt.pct(low)}又は{textfmt.pct(high)}"
    text = f"保証料は、{adding[0].label}を使う場合として、保証料率に{points}を上乗せして計算"
    if fee_range is None:
        return text + "（この資金の保証料率は資料にありません）。"
    return text + "。"


def missing_warnings(funds: Iterable[tuple[str, tuple[str, ...]]], options: Iterable[str]) -> list[str]:
    """One warning per option some funds that fit do not offer, naming the first few: ``funds``
    are (name, missing options) of the eligible and conditional funds (a closed fund's fee is
    not what the visitor is weighing)."""
    gathered = list(funds)
    warnings = []
    for option in dict.fromkeys(options):
        names = list(dict.fromkeys(name for name, missing in gathered if option in missing))
        if not names:
            continue
        more = f" ほか{len(names) - 3}件" if len(names) > 3 else ""
        warnings.append(f"fee_options: {vocab.FEE_OPTIONS.get(option, option)}は次の資金の資料にない"
                        f"（又は要件に当たらない）ため、通常の保証料率で計算しています: {'、'.join(names[:3])}{more}")
    return warnings

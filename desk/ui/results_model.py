"""The match result as a Qt item model: the answer's groups (対象 / 条件付き / 取り組めば対象 /
特定の事情がある方向け / 対象外), of funds or of steps.

The model only presents a :class:`~desk.matching.answer.MatchReport`; every figure in
it was computed by the core and every word is :mod:`desk.matching.wording`'s.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from desk.matching import wording
from desk.matching.answer import FundResult, MatchReport
from desk.matching.routes import BEST_SHOWN, CIRCUMSTANCES_LINE, Circumstance, Opening, circumstances, openings

# The answer in layers: what fits, what fits once something is settled, what the business could
# open (a step per row, the funds behind it in its tooltip and the detail pane), the funds made
# for a circumstance the visitor did not mention (a circumstance per row: what to ask), and the rest.
GROUPS = (("eligible", "対象"), ("conditional", "条件付き"), ("openings", "取り組めば対象"),
          ("circumstances", "特定の事情がある方向け"), ("ineligible", "対象外"))
OPENINGS = 2       # the group of steps
CIRCUMSTANCES = 3  # the circumstances closed funds wait on (kept collapsed, as INTAKE.md puts it)
CLOSED = 4         # the group the view keeps collapsed
# The rate: what the visitor pays; the total: interest after the city's share plus the fee, in yen.
COLUMNS = ("制度", "提供者", "利用できる額", "利率（ご負担）", "保証料率", "総額（目安）")
TOTAL = 5          # the column of the visitor's total cost
FUND_GROUPS = (0, 1, 4)   # groups of funds, which a click on a heading sorts (steps and circumstances stay)
ProgramRole = Qt.ItemDataRole.UserRole + 1
TICKABLE = (0, 1)  # the groups whose funds the clerk may tick for the comparison (they have costs)
MAX_COMPARED = 3   # what fits side by side on a 1366×768 laptop, at the largest text too
REFUSED = f"比較は{MAX_COMPARED}件までです。ほかの資金の✓を外してから加えてください。"
_CHECK = Qt.ItemDataRole.CheckStateRole
# Internal ids: 0 for a group row, group + 1 for a fund row. They must be non-negative: a
# negative number is no quintptr, and PySide would store a dangling object pointer instead.
_GROUP_ROW = 0
_ROOT = QModelIndex()   # the invalid index: the default parent (never changed, so one object serves)


class ResultsTreeModel(QAbstractItemModel):
    ticks_changed = Signal()
    tick_refused = Signal(str)   # a fourth fund ticked: why it was not

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._ticked: list[str] = []   # the ids of the funds ticked for the comparison, in the order ticked
        # FundResult rows; Opening rows in OPENINGS, Circumstance rows in CIRCUMSTANCES.
        self._groups: list[list[Any]] = [[] for _ in GROUPS]
        self._all_openings = 0
        self._report: MatchReport | None = None

    def set_report(self, report: MatchReport | None) -> None:
        self.beginResetModel()
        self._report = report
        funds = report.funds if report is not None else ()
        steps = openings(report) if report is not None else []
        waiting = circumstances(report) if report is not None else []
        self._all_openings = len(steps)
        made_for = {id(fund) for c in waiting for fund in c.funds}
        # In GROUPS' order.
        self._groups = [[f for f in funds if f.status == "eligible"],
                        [f for f in funds if f.status == "conditional"],
                        steps[:BEST_SHOWN],
                        waiting,
                        [f for f in funds if f.status == "ineligible" and id(f) not in made_for]]
        # A ticked fund stays ticked while it still fits; one the new answer closes drops out.
        tickable = {f.id for group in TICKABLE for f in self._groups[group]}
        kept = [i for i in self._ticked if i in tickable]
        dropped, self._ticked = kept != self._ticked, kept
        self.endResetModel()
        if dropped:
            self.ticks_changed.emit()

    # --- the funds ticked for the comparison ------------------------------------------------------
    def ticked(self) -> tuple[FundResult, ...]:
        """The ticked funds, in the answer's order (cheapest first in each group)."""
        chosen = set(self._ticked)
        return tuple(f for group in TICKABLE for f in self._groups[group] if f.id in chosen) if chosen else ()

    def is_ticked(self, fund_id: str) -> bool:
        return fund_id in self._ticked

    def tick(self, fund_id: str, on: bool = True) -> bool:
        """Tick (or untick) a fund; a fourth is refused, and :attr:`tick_refused` says why."""
        if on == (fund_id in self._ticked):
            return True
        if on and len(self._ticked) >= MAX_COMPARED:
            self.tick_refused.emit(REFUSED)
            return False
        if on:
            self._ticked.append(fund_id)
        else:
            self._ticked.remove(fund_id)
        where = self.index_of(fund_id)
        if where is not None:
            self.dataChanged.emit(where, where, [_CHECK])
        self.ticks_changed.emit()
        return True

    def clear_ticks(self) -> None:
        """No fund ticked (another visitor: the last one's choice is not theirs)."""
        for fund_id in list(self._ticked):
            self.tick(fund_id, False)

    def _tickable(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        return index.column() == 0 and index.internalId() - 1 in TICKABLE

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Each group of funds by a column (a fund without the figure last either way); column
        -1, the answer's own order (cheapest first inside each group)."""
        if self._report is None:
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        before = [(i, self.fund(i)) for i in persistent]
        for group in FUND_GROUPS:
            funds = self._groups[group]
            if column < 0:
                rank = {id(f): n for n, f in enumerate(self._report.funds)}
                funds.sort(key=lambda f: rank[id(f)])
            else:
                known = [f for f in funds if _sort_key(f, column) is not None]
                known.sort(key=lambda f: _sort_key(f, column), reverse=order == Qt.SortOrder.DescendingOrder)
                funds[:] = known + [f for f in funds if _sort_key(f, column) is None]
        rows = {id(f): (group, row) for group in FUND_GROUPS for row, f in enumerate(self._groups[group])}
        for index, fund in before:
            if fund is not None and id(fund) in rows:
                group, row = rows[id(fund)]
                self.changePersistentIndex(index, self.createIndex(row, index.column(), group + 1))
        self.layoutChanged.emit()

    def index_of(self, fund_id: str) -> QModelIndex | None:
        """The row of a fund by its id, in whichever group it now is."""
        for group in FUND_GROUPS:
            for row, fund in enumerate(self._groups[group]):
                if fund.id == fund_id:
                    return self.index(row, 0, self.index(group, 0))
        return None

    def fund(self, index: QModelIndex | QPersistentModelIndex) -> FundResult | None:
        if not index.isValid() or index.internalId() in (_GROUP_ROW, OPENINGS + 1, CIRCUMSTANCES + 1):
            return None
        found: FundResult = self._groups[index.internalId() - 1][index.row()]
        return found

    def opening(self, index: QModelIndex | QPersistentModelIndex) -> Opening | None:
        """The step on a row of the 取り組めば対象 group."""
        if not index.isValid() or index.internalId() != OPENINGS + 1:
            return None
        found: Opening = self._groups[OPENINGS][index.row()]
        return found

    def circumstance(self, index: QModelIndex | QPersistentModelIndex) -> Circumstance | None:
        """The circumstance on a row of the 特定の事情 group."""
        if not index.isValid() or index.internalId() != CIRCUMSTANCES + 1:
            return None
        found: Circumstance = self._groups[CIRCUMSTANCES][index.row()]
        return found

    # --- QAbstractItemModel --------------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP_ROW)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(  # type: ignore[override]
            self, index: QModelIndex | QPersistentModelIndex | None = None) -> QModelIndex | QObject | None:
        # One name, two Qt methods: QObject.parent() (no argument) and the model's parent(index).
        if index is None:
            return super().parent()
        if not index.isValid() or index.internalId() == _GROUP_ROW:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _GROUP_ROW)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802
        if not parent.isValid():
            return len(GROUPS)
        if parent.internalId() == _GROUP_ROW and parent.column() == 0:
            return len(self._groups[parent.row()])
        return 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802
        return len(COLUMNS)

    def headerData(  # noqa: N802
            self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        # A check box on the names of the funds that fit (those with a cost to compare).
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsUserCheckable if self._tickable(index) else flags

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != _CHECK or not self._tickable(index):
            return False
        fund = self._groups[index.internalId() - 1][index.row()]
        return self.tick(fund.id, Qt.CheckState(value) == Qt.CheckState.Checked)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP_ROW:   # its words in the tooltip too: at 24 pt 「（3件）」 was cut
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and index.column() == 0:
                count = len(self._groups[index.row()])
                if index.row() == OPENINGS and self._all_openings > count:
                    return f"{GROUPS[OPENINGS][1]}（上位{count}通り／全{self._all_openings}通り）"
                if index.row() == CIRCUMSTANCES:
                    return f"{CIRCUMSTANCES_LINE}（{sum(len(c.funds) for c in self._groups[CIRCUMSTANCES])}件）"
                return f"{GROUPS[index.row()][1]}（{count}{'通り' if index.row() == OPENINGS else ''}）"
            return None
        if index.internalId() == OPENINGS + 1:
            return self._opening_data(self._groups[OPENINGS][index.row()], index.column(), role)
        if index.internalId() == CIRCUMSTANCES + 1:
            return self._circumstance_data(self._groups[CIRCUMSTANCES][index.row()], index.column(), role)
        fund = self._groups[index.internalId() - 1][index.row()]
        if role == ProgramRole:
            return fund.id
        if role == _CHECK:
            if not self._tickable(index):
                return None
            return Qt.CheckState.Checked if fund.id in self._ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:   # the whole name (a narrow column cuts it), then why
            if index.column() == TOTAL and fund.cost is not None:
                return "\n".join(wording.cost_lines(fund))
            return "\n".join((wording.listed_name(fund), f"{fund.provider}　{wording.available(fund)}", *fund.reasons))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return wording.listed_name(fund)
        if column == 1:
            return fund.provider
        if column == 2:
            return wording.available(fund)
        if column == 3:
            return wording.visitor_rate(fund)
        if column == 4:
            return wording.fee(fund)
        return wording.total(fund)

    @staticmethod
    def _opening_data(opening: Opening, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return opening.step + "\n→ " + "、".join(f.name for f in opening.funds)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        # The view spans a step across the row: the whole sentence is read at a glance.
        return f"［{len(opening.funds)}件］{opening.step}" if column == 0 else None

    @staticmethod
    def _circumstance_data(circumstance: Circumstance, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"「{circumstance.name}」に当てはまれば対象になり得ます\n→ " + "、".join(
                f.name for f in circumstance.funds)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        # Spanned like a step: what to ask, then the funds it would bring within reach.
        return f"{circumstance.name} → " + "、".join(f.name for f in circumstance.funds) if column == 0 else None


def _sort_key(fund: FundResult, column: int) -> Any:
    """What a heading sorts by: the name, the provider, the amount left, the visitor's rate, the
    fee's upper bound, the total's upper bound (None: the fund has no such figure)."""
    if column == 0:
        return wording.listed_name(fund)
    if column == 1:
        return fund.provider
    if column == 2:
        return fund.remaining_limit_yen
    if column == 3:
        return fund.own_rate_pct if fund.own_rate_pct is not None else fund.rate_pct
    if column == 4:
        return fund.guarantee_fee_pct[1] if fund.guarantee_fee_pct else None
    if fund.cost is None:
        return None
    low, high = fund.cost.total_yen
    return high if high is not None else low

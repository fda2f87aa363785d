"""The match result as a Qt item model: three groups (対象 / 条件付き / 対象外) of funds.

The model only presents the plain result of ``desk match`` (INTAKE.md's JSON); every
figure and word in it was computed by the core.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from desk import textfmt

GROUPS = (("eligible", "対象"), ("conditional", "条件付き"), ("ineligible", "対象外"))
COLUMNS = ("制度", "提供者", "利用できる額", "利率", "保証料率")
ProgramRole = Qt.ItemDataRole.UserRole + 1
# Internal ids: 0 for a group row, group + 1 for a fund row. They must be non-negative: a
# negative number is no quintptr, and PySide would store a dangling object pointer instead.
_GROUP_ROW = 0


class ResultsTreeModel(QAbstractItemModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._groups: list[list[dict[str, Any]]] = [[] for _ in GROUPS]

    def set_result(self, result: dict[str, Any] | None) -> None:
        self.beginResetModel()
        programs = (result or {}).get("programs", [])
        self._groups = [[p for p in programs if p["status"] == status] for status, _ in GROUPS]
        self.endResetModel()

    def program(self, index: QModelIndex) -> dict[str, Any] | None:
        if not index.isValid() or index.internalId() == _GROUP_ROW:
            return None
        return self._groups[index.internalId() - 1][index.row()]

    # --- QAbstractItemModel --------------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP_ROW)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: QModelIndex | QPersistentModelIndex | None = None):  # type: ignore[override]
        # One name, two Qt methods: QObject.parent() (no argument) and the model's parent(index).
        if index is None:
            return super().parent()
        if not index.isValid() or index.internalId() == _GROUP_ROW:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _GROUP_ROW)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        if not parent.isValid():
            return len(GROUPS)
        if parent.internalId() == _GROUP_ROW and parent.column() == 0:
            return len(self._groups[parent.row()])
        return 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    # flags(): QAbstractItemModel's own (enabled and selectable) is what every row needs;
    # not overriding it spares a Python call for each cell painted.

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == _GROUP_ROW:
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return f"{GROUPS[index.row()][1]}（{len(self._groups[index.row()])}）"
            return None
        program = self._groups[index.internalId() - 1][index.row()]
        if role == ProgramRole:
            return program["id"]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(program["reasons"]) or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return program["name"] + ("（前年度の資料）" if program["stale"] else "")
        if column == 1:
            return program["provider"]
        if column == 2:
            return textfmt.yen(program["remaining_limit_yen"])
        if column == 3:
            return textfmt.visitor_rate(program["own_rate_pct"], program["rate_pct"], program["rate_tiers"])
        fee = program["guarantee_fee_pct"]
        return textfmt.pct_range(*fee) if fee else "—"

"""変更の記録: the catalogue's audit trail in the admin screen, read-only (issue 17).

On a shared server secured by `desk server init` the server writes every change to the catalogue
(an admin's edit, a pack imported or removed) with who made it, when, and the old and new values;
desk_admin reads it here (and exports it with `desk server audit`). Elsewhere there is no tab.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from desk.fiscal import JAPAN
from desk.ui.rows_model import RowsTableModel

if TYPE_CHECKING:
    from desk.db.services import AuditEntry, ServerService

AUDIT_COLUMNS = (("at", "日時"), ("who", "ロール"), ("table", "表"), ("record_id", "レコード"), ("action", "操作"),
                 ("change", "変更前 → 変更後"))
ACTIONS = {"INSERT": "追加", "UPDATE": "変更", "DELETE": "削除"}
SHOWN = 500          # the newest changes; the whole trail: desk server audit --csv
MAX_VALUE = 80       # characters of one value in a cell (the tooltip has the cell's whole text)


def _value(value: Any) -> str:
    if value is None:
        return "（なし）"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "…"


def change_text(entry: AuditEntry) -> str:
    """What changed, column by column: 「phone: 045-… → 045-…」; a row added or removed as its values."""
    old, new = entry.old or {}, entry.new or {}
    return "、".join(f"{key}: {_value(old[key]) if key in old else '—'} → {_value(new[key]) if key in new else '—'}"
                    for key in sorted(set(old) | set(new)))


def audit_rows(entries: list[AuditEntry]) -> list[dict[str, str]]:
    return [{"at": e.at.astimezone(JAPAN).strftime("%Y-%m-%d %H:%M:%S"), "who": e.who, "table": e.table,
             "record_id": e.record_id, "action": ACTIONS.get(e.action, e.action), "change": change_text(e)}
            for e in entries]


class AuditTrailView(QWidget):
    """The newest catalogue changes first, as the server recorded them."""

    def __init__(self, entries: list[AuditEntry], parent: QWidget | None = None):
        super().__init__(parent)
        self.model = RowsTableModel(AUDIT_COLUMNS, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(self.note)
        self.set_entries(entries)

    def set_entries(self, entries: list[AuditEntry]) -> None:
        self.model.set_rows(audit_rows(entries))
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.note.setText(f"サーバーが記録したカタログの変更（新しい順、最大 {SHOWN} 件）。"
                          "すべての記録は desk server audit --csv ファイル名 で書き出せます。"
                          if entries else "カタログの変更はまだ記録されていません。")


def audit_tab(server: ServerService | None) -> AuditTrailView | None:
    """The tab, where the connected role may read a trail (None elsewhere, and when the server
    cannot be asked: the admin screen opens without it)."""
    if server is None:
        return None
    try:
        entries = server.audit_trail(limit=SHOWN)
    except Exception:
        return None
    return None if entries is None else AuditTrailView(entries)

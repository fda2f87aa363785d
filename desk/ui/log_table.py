"""The consultation log's list: its rows a page at a time, as staff scroll."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Signal

from desk.db.services import LOG_COLUMNS, DatabaseUnreachable, LogCursor, LogFilter
from desk.ui.rows_model import NO_PARENT, RowsTableModel

if TYPE_CHECKING:
    from desk.db.services import LogService

# The list's columns: the CSV's, and what became of each consultation.
LIST_COLUMNS = (*LOG_COLUMNS, ("follow_up", "その後"))
PAGE_ROWS = 200   # a page of the log: the window shows the first at once and fetches the next as staff scroll


class LogTableModel(RowsTableModel):
    """The log's rows a page at a time (canFetchMore / fetchMore): a search never reads the whole log.

    A next page the database does not give (the shared server gone) ends the fetching until the
    next search, and says so through :attr:`unreachable`: the view asks again at every scroll."""

    unreachable = Signal(str)

    def __init__(self, parent: QObject | None = None, *, service: LogService | None = None,
                 page_rows: int = PAGE_ROWS):
        super().__init__(LIST_COLUMNS, parent)
        self._service = service
        self._page_rows = page_rows
        self._where = LogFilter()
        self._next: LogCursor | None = None

    def show(self, where: LogFilter) -> None:
        """The first page of the records ``where`` names, in place of what was shown; nothing shown
        when the database does not answer (DatabaseUnreachable, raised on): never the rows of
        another search under this one."""
        if self._service is None:
            return
        self._where = where
        self._next = None
        try:
            page = self._service.page(where, limit=self._page_rows)
        except DatabaseUnreachable:
            self.set_rows([])
            raise
        self._next = page.next
        self.set_rows(page.rows)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> bool:  # noqa: N802
        return not parent.isValid() and self._next is not None

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> None:  # noqa: N802
        if parent.isValid() or self._next is None or self._service is None:
            return
        try:
            page = self._service.page(self._where, limit=self._page_rows, after=self._next)
        except DatabaseUnreachable as exc:
            self._next = None
            self.unreachable.emit(f"続きを読めませんでした: {exc}")
            return
        self._next = page.next
        if page.rows:
            self.beginInsertRows(NO_PARENT, len(self.rows), len(self.rows) + len(page.rows) - 1)
            self.rows.extend(page.rows)
            self.endInsertRows()

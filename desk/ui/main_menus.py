"""The main window's menus: each item one of the window's actions; the items the window and the tests
reach for kept in :class:`MenuActions` (``window.menu_actions.referral_action``, ...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from desk.ui import look

if TYPE_CHECKING:
    from desk.ui.main_window import MainWindow


class MenuActions(NamedTuple):
    new_action: QAction
    open_action: QAction
    save_action: QAction
    open_intake_action: QAction
    leaflet_action: QAction
    referral_action: QAction
    settings_action: QAction
    admin_action: QAction
    import_action: QAction
    export_action: QAction
    log_action: QAction


def build(window: MainWindow) -> MenuActions:
    def action(menu: QMenu, text: str, slot: Callable[[], object],
               shortcut: QKeySequence.StandardKey | str | None = None) -> QAction:
        item = QAction(window)
        item.setText(text)   # not QAction(text, window): see the 次へ button (desk.ui.intake_form)
        if shortcut is not None:
            item.setShortcut(shortcut)
        item.triggered.connect(slot)
        menu.addAction(item)
        return item

    keys = QKeySequence.StandardKey
    bar = window.menuBar()
    file = bar.addMenu("ファイル(&F)")
    new_action = action(file, "新しい相談(&N)", window.new_consultation, keys.New)
    open_action = action(file, "相談ファイルを開く(&O)…", window.open_intake_file, keys.Open)
    save_action = action(file, "相談ファイルを保存(&S)…", window.save_intake_file, keys.Save)
    file.addSeparator()
    open_intake_action = action(file, "相談ファイルから案内書を作成…", window.open_intake_for_referral)
    leaflet_action = action(file, "チラシ（融資制度の一覧）を作成(&H)…", window.show_leaflet)
    referral_action = action(file, "この内容で案内書を作成(&P)…", window.make_referral_from_form, keys.Print)
    file.addSeparator()
    action(file, "終了(&Q)", window.close, keys.Quit)
    tools = bar.addMenu("ツール(&T)")
    settings_action = action(tools, "設定(&S)…", window.show_settings)
    admin_action = action(tools, "データの管理(&D)…", window.show_admin)
    import_action = action(tools, "データパックを取り込む(&I)…", window.import_packs)
    export_action = action(tools, "データパックを書き出す(&E)…", window.export_packs)
    view = bar.addMenu("表示(&V)")
    log_action = action(view, "相談記録(&L)…", window.show_log, "Ctrl+L")
    view.addSeparator()
    action(view, "次の区画へ（入力・結果・詳細・相談先）", lambda: window.move_between_panes(1), "F6")
    action(view, "前の区画へ", lambda: window.move_between_panes(-1), "Shift+F6")
    look.give_menus_room(bar)
    return MenuActions(new_action, open_action, save_action, open_intake_action, leaflet_action, referral_action,
                       settings_action, admin_action, import_action, export_action, log_action)

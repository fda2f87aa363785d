"""Ticking a fund in the results as a clerk does: a click on its check box."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTreeView


def check_box_centre(tree: QTreeView, index: QModelIndex) -> QPoint:
    """Where the check box of ``index`` is drawn, in the tree's viewport."""
    tree.scrollTo(index)
    option = QStyleOptionViewItem()
    tree.initViewItemOption(option)
    option.rect = tree.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    return tree.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, tree).center()


def click_tick(tree: QTreeView, index: QModelIndex) -> None:
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     check_box_centre(tree, index))

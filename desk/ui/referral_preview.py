"""Preview of a referral sheet with 印刷… and PDFとして保存….

The PDF made by the core is shown page by page (rendered with PDFium), printed
through the system's print dialog at the printer's resolution, or saved atomically.
The dialog records whether the sheet reached the visitor (printed or saved); the
caller discards the consultation when it did not.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desk.fileio import atomic_write_bytes, describe
from desk.ui.geometry import fit_to_screen
from desk.ui.value_guard import guard_values

# An A4 page at screen resolution (~800 px) without a horizontal scrollbar, and most of its height.
PREFERRED_SIZE = QSize(900, 900)


def render_pages(pdf: bytes, dpi: float) -> list[QImage]:
    """Every page of ``pdf`` as an image at ``dpi``."""
    document = pdfium.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
            fmt = QImage.Format.Format_RGBA8888 if bitmap.n_channels == 4 else QImage.Format.Format_RGB888
            # copy(): the QImage must own its pixels once PDFium frees the bitmap.
            images.append(QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, fmt).copy())
            bitmap.close()
            page.close()
    finally:
        document.close()
    return images


class ReferralPreviewDialog(QDialog):
    printed = Signal()
    saved = Signal(Path)

    def __init__(self, pdf: bytes, *, reference_no: str, suggested_name: str, parent: QWidget | None = None,
                 title: str | None = None):
        super().__init__(parent)
        self.pdf = pdf
        self.reference_no = reference_no
        self.suggested_name = suggested_name
        self.delivered = False     # printed or saved: the consultation stays logged
        self.setWindowTitle(title or f"案内書のプレビュー（受付番号 {reference_no}）")
        # On a laptop the dialog is shorter than the page (the page scrolls): 印刷… stays on screen.
        fit_to_screen(self, PREFERRED_SIZE)
        layout = QVBoxLayout(self)
        self.pages = render_pages(pdf, dpi=self.logicalDpiX() * 1.0)
        column = QWidget()
        column_layout = QVBoxLayout(column)
        for image in self.pages:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setAccessibleName("案内書のページ")
            column_layout.addWidget(label)
        scroll = QScrollArea()
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll)
        buttons = QDialogButtonBox()
        self.print_button = QPushButton("印刷…")
        self.save_button = QPushButton("PDFとして保存…")
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_with_dialog)
        self.save_button.clicked.connect(self.save_with_dialog)
        layout.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_with_dialog)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_with_dialog)

    # --- the questions this dialog asks (tests replace them) ---------------------------------
    @classmethod
    def ask_save_path(cls, parent: QWidget, suggested: str) -> Path | None:
        from desk.ui import file_dialogs as files
        return files.ask_save_file(parent, files.SHEET, "案内書をPDFとして保存", suggested, "PDF (*.pdf)", "pdf")

    @classmethod
    def ask_printer(cls, parent: QWidget) -> QPrinter | None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"融資制度のご案内 {parent.windowTitle()}")
        dialog = print_dialog(printer, parent)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    # --- actions -------------------------------------------------------------------------------------
    def print_with_dialog(self) -> None:
        printer = self.ask_printer(self)
        if printer is not None:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Paint every page, scaled to the printable area, at the printer's resolution."""
        pages = render_pages(self.pdf, dpi=min(printer.resolution(), 300))
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, "印刷できません", "プリンタを開けませんでした。設定を確認してください。")
            return
        try:
            for index, image in enumerate(pages):
                if index:
                    printer.newPage()
                area = painter.viewport()
                size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.setViewport(area.x(), area.y(), size.width(), size.height())
                painter.setWindow(image.rect())
                painter.drawImage(0, 0, image)
                painter.setViewport(area)
        finally:
            painter.end()
        self.delivered = True
        self.printed.emit()

    def save_with_dialog(self) -> None:
        path = self.ask_save_path(self, self.suggested_name)
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        try:
            atomic_write_bytes(path, self.pdf)   # 0600: the sheet names the visitor (issue 15, item 13)
        except OSError as exc:
            QMessageBox.warning(self, "保存できません", f"{path} に保存できませんでした（{describe(exc)}）。")
            return
        self.delivered = True
        self.saved.emit(path)


def print_dialog(printer: QPrinter, parent: QWidget | None) -> QPrintDialog:
    """Qt's print dialog for ``printer``, fitted to the screen, its values held against the wheel
    (the number of copies, the page range and the printer are values like any field's)."""
    dialog = QPrintDialog(printer, parent)
    guard_values(dialog)
    fit_to_screen(dialog)
    return dialog

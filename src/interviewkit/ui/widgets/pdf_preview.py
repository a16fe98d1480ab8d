"""Preview a PDF before saving it: the pages as they will print, a page size, "Hide names", Save….

Screens call :func:`preview_and_save` with a *build* function that writes the PDF to a path with the
options chosen (usually one of ``interviewkit.pdf.exports``'s functions). The dialog shows that it is
busy, runs it (on the GUI thread: see :meth:`PdfPreviewDialog.rebuild`), and shows the result with QtPdf;
changing an option builds it again. Save… copies the file that is shown, so what is saved is exactly what
was previewed::

    def build(path: Path, options: PdfOptions) -> None:
        from interviewkit.pdf.exports import export_debrief_pdf

        export_debrief_pdf(ctx.db, candidate_id, path, settings=ctx.settings, viewer_id=ctx.user_id,
                           page_size=options.page_size, hide_names=options.hide_names)

    preview_and_save(self, "Debrief packet · Priya Natarajan", build, suggested_name="debrief-priya-natarajan.pdf")
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from interviewkit.pdf.fonts import last_warning
from interviewkit.ui.widgets.file_dialogs import get_save_file_name
from interviewkit.ui.widgets.shortcuts import key_of

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

__all__ = ["PAGE_SIZES", "PdfBuild", "PdfOptions", "PdfPreviewDialog", "preview_and_save", "safe_file_name"]

PAGE_SIZES = ("A4", "Letter")
BUILD_DELAY_MS = 30  # let the dialog paint "Preparing the PDF…" before the build takes the GUI thread


@dataclass(frozen=True)
class PdfOptions:
    """What the user chose in the preview: the paper size and whether interviewer names are hidden."""

    page_size: str = "A4"
    hide_names: bool = False


PdfBuild = Callable[[Path, PdfOptions], Any]
"""Writes the PDF to the path with the options; runs on the GUI thread once the dialog shows it is busy."""


def _qt_pdf() -> tuple[type[QPdfDocument], type[QPdfView]] | None:
    """QtPdf's document and view, or None when this PySide6 lacks them (they come with pyside6-addons; without
    them the dialog still builds and saves the file). Imported here, not at the top, because they may be
    missing."""
    try:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView
    except ImportError:  # pragma: no cover - depends on the PySide6 build
        return None
    return QPdfDocument, QPdfView


def default_page_size() -> str:
    """Letter where the locale measures in inches (US), A4 elsewhere."""
    return "Letter" if QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem else "A4"


def safe_file_name(text: str, suffix: str = ".pdf") -> str:
    """A file name from a title: "Debrief packet · José Ñúñez" -> "debrief-packet-jose-nunez.pdf"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return (slug or "document") + suffix


class PdfPreviewDialog(QDialog):
    """The pages of a PDF as they will print, with Page size and Hide names, and Save…."""

    sig_saved = Signal(str)
    """The PDF was saved to this path."""

    sig_rendered = Signal(int)
    """A preview finished building: its number of pages (tests and status text wait for it)."""

    def __init__(
        self,
        title: str,
        build: PdfBuild,
        *,
        suggested_name: str | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreviewDialog")
        self.setWindowTitle(f"Export PDF — {title}")
        self.resize(820, 720)  # the Save button stays on a 1280x800 screen
        self._build = build
        self._settings = settings
        self._suggested = suggested_name or safe_file_name(title)
        self._tmp = tempfile.TemporaryDirectory(prefix="interviewkit-pdf-")
        self._generation = 0
        self._current: Path | None = None  # the file shown (and what Save… copies)
        self._current_options: PdfOptions | None = None
        self._busy = False
        self._closed = False
        self.page_count = 0
        self.last_error = ""

        self.page_size = QComboBox()
        self.hide_names = QCheckBox("&Hide interviewer names")
        self.progress = QProgressBar()
        self.status = QLabel()
        self.cancel_button = QPushButton("Cancel")
        self.error = QLabel(wordWrap=True)
        self.document: QPdfDocument | None = None
        self.view = self._build_view()
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("&Save…", QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_options(settings))
        layout.addLayout(self._build_status())
        layout.addWidget(self.error)
        layout.addWidget(self.view, 1)
        layout.addWidget(self._build_buttons())
        self.page_size.currentTextChanged.connect(self._options_changed)
        self.hide_names.toggled.connect(self._options_changed)
        self.finished.connect(self._cleanup)
        self.setTabOrder(self.page_size, self.hide_names)
        self.setTabOrder(self.hide_names, self.view)
        self.setTabOrder(self.view, self.save_button)
        self.rebuild()

    def _build_options(self, settings: QSettings | None) -> QHBoxLayout:
        self.page_size.addItems(PAGE_SIZES)
        self.page_size.setAccessibleName("Page size")
        remembered = str(settings.value("export/page_size", "")) if settings is not None else ""
        self.page_size.setCurrentText(remembered if remembered in PAGE_SIZES else default_page_size())
        size_label = QLabel("&Page size:")
        size_label.setBuddy(self.page_size)
        self.hide_names.setToolTip("Replace every interviewer's name with Interviewer A, B, … throughout the document")
        options = QHBoxLayout()
        options.addWidget(size_label)
        options.addWidget(self.page_size)
        options.addSpacing(16)
        options.addWidget(self.hide_names)
        options.addStretch(1)
        return options

    def _build_status(self) -> QHBoxLayout:
        self.progress.setRange(0, 0)  # busy: the build reports no steps
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Preparing the PDF")
        self.status.setObjectName("pdfPreviewStatus")
        # The registry's cancel_pdf: on only while busy, so that Esc closes the dialog otherwise.
        self.cancel_key = QShortcut(QKeySequence(key_of("cancel_pdf")), self)
        self.cancel_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.cancel_key.setEnabled(False)
        self.cancel_key.activated.connect(self.cancel)
        native = self.cancel_key.key().toString(QKeySequence.SequenceFormat.NativeText)
        self.cancel_button.setToolTip(f"Stop waiting for this preview ({native})")
        self.cancel_button.clicked.connect(self.cancel)
        self.error.setProperty("state", "warning")
        self.error.setProperty("role", "problems")
        self.error.hide()
        row = QHBoxLayout()
        row.addWidget(self.progress)
        row.addWidget(self.status, 1)
        row.addWidget(self.cancel_button)
        return row

    def _build_view(self) -> QWidget:
        """The pages (QtPdf's view), or words saying the preview cannot be shown."""
        classes = _qt_pdf()
        if classes is None:  # pragma: no cover - depends on the PySide6 build
            view: QWidget = QLabel(
                "The preview needs QtPdf, which this installation lacks. Save… still writes the PDF.",
                wordWrap=True,
                alignment=Qt.AlignmentFlag.AlignCenter,
            )
        else:
            document_class, view_class = classes
            self.document = document_class(self)
            pdf_view = view_class(self)
            pdf_view.setDocument(self.document)
            pdf_view.setPageMode(view_class.PageMode.MultiPage)
            pdf_view.setZoomMode(view_class.ZoomMode.FitToWidth)
            pdf_view.setPageSpacing(12)
            view = pdf_view
        view.setAccessibleName("Preview of the pages")
        return view

    def _build_buttons(self) -> QDialogButtonBox:
        self.save_button.setShortcut(QKeySequence(key_of("save_pdf")))
        self.save_button.setToolTip(
            f"Save this PDF ({self.save_button.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        )
        self.save_button.setDefault(True)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setToolTip("Close without saving (Esc)")
        self.buttons.accepted.connect(self.choose_and_save)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    # -- state ------------------------------------------------------------------------------------------

    def options(self) -> PdfOptions:
        return PdfOptions(self.page_size.currentText(), self.hide_names.isChecked())

    @property
    def busy(self) -> bool:
        return self._busy

    def _set_busy(self, busy: bool, text: str) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_key.setEnabled(busy)
        self.status.setText(text)
        self.save_button.setEnabled(not busy and self._current is not None and self._current_options == self.options())

    def _options_changed(self, *_: object) -> None:
        if self._settings is not None:
            self._settings.setValue("export/page_size", self.page_size.currentText())
        self.rebuild()

    # -- building ---------------------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Build the PDF with the current options, once the dialog has shown that it is busy; a newer
        request (or Cancel before it starts) wins.

        The build runs on the GUI thread, not the thread pool: laying out text with Qt from a Python worker
        thread can deadlock against the GUI thread (the worker holds the GIL while Qt waits for a
        signal-slot mutex that the GUI thread holds while it waits for the GIL, e.g. when PySide
        disconnects a freed slot). A large debrief packet takes about a second; the cursor says so.
        """
        self._generation += 1
        generation = self._generation
        options = self.options()
        path = Path(self._tmp.name) / f"preview-{generation}.pdf"
        self.error.hide()
        self._set_busy(True, "Preparing the PDF…")
        # tied to the dialog: a dialog deleted meanwhile (its parent closed) builds nothing
        QTimer.singleShot(BUILD_DELAY_MS, self, lambda: self._build_now(generation, options, path))

    def _build_now(self, generation: int, options: PdfOptions, path: Path) -> None:
        if self._closed or generation != self._generation:
            return  # cancelled, closed, or overtaken by a newer request
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._build(path, options)
        except Exception as exc:  # noqa: BLE001 - shown in words in the dialog
            QGuiApplication.restoreOverrideCursor()
            self._failed(generation, exc)
            return
        QGuiApplication.restoreOverrideCursor()
        # The build held the GUI thread: Esc (the registry's cancel_pdf) or Cancel pressed meanwhile is handled
        # now, while the dialog is still busy, so that it drops this result instead of closing the dialog after.
        QCoreApplication.processEvents()
        self._built(generation, options, path)

    def _built(self, generation: int, options: PdfOptions, path: Path) -> None:
        if self._closed or generation != self._generation:
            return  # cancelled, closed, or overtaken by a newer request
        self._current, self._current_options = path, options
        pages = 0
        if self.document is not None:
            self.document.load(str(path))
            pages = self.document.pageCount()
        self.page_count = pages
        where = f"{pages} page{'s' if pages != 1 else ''} · {options.page_size}" if pages else options.page_size
        self._set_busy(False, where + (" · names hidden" if options.hide_names else ""))
        warning = last_warning()  # a script no installed font has: its names print as empty boxes
        if warning:
            self.error.setText(f"⚠ {warning[0].upper()}{warning[1:]}.")
            self.error.show()
        self.sig_rendered.emit(pages)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if self._closed or generation != self._generation:
            return
        self.last_error = str(exc)
        self._set_busy(False, "")
        self.error.setText(f"⚠ The PDF could not be made: {exc}")
        self.error.show()
        self.sig_rendered.emit(0)

    def cancel(self) -> None:
        """Stop waiting for the preview being built (its result is dropped when it arrives)."""
        if not self._busy:
            return
        self._generation += 1
        self._set_busy(False, "Cancelled. Change an option to build the preview again.")

    # -- saving -----------------------------------------------------------------------------------------

    def choose_and_save(self) -> None:
        """Save…: ask where, then copy the previewed file there."""
        if self._current is None or self._busy:
            return
        folder = str(self._settings.value("export/folder", "")) if self._settings is not None else ""
        start = str(Path(folder) / self._suggested) if folder else self._suggested
        path, _ = get_save_file_name(self, "Save PDF", start, "PDF documents (*.pdf)")
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        if self.save_to(Path(path)) and self._settings is not None:
            self._settings.setValue("export/folder", str(Path(path).parent))

    def save_to(self, path: Path) -> bool:
        """Copy the previewed PDF to ``path``; a failure is shown in words, not as a traceback."""
        if self._current is None:
            return False
        try:
            shutil.copyfile(self._current, path)
        except OSError as exc:
            QMessageBox.warning(
                self,
                "The PDF was not saved",
                f"Could not write {path}: {exc.strerror or exc}. Choose another folder or name.",
            )
            return False
        self.status.setText(f"Saved to {path}")
        self.sig_saved.emit(str(path))
        return True

    def _cleanup(self, *_: object) -> None:
        self._closed = True
        if self.document is not None:
            self.document.close()
        self._tmp.cleanup()


def preview_and_save(
    parent: QWidget | None,
    title: str,
    build: PdfBuild,
    *,
    suggested_name: str | None = None,
    settings: QSettings | None = None,
) -> PdfPreviewDialog:
    """Open the preview of a PDF (window-modal, without blocking the caller) and let the user save it.

    ``build(path, options)`` writes the PDF; it runs on the GUI thread (see :meth:`PdfPreviewDialog.rebuild`).
    Returns the dialog (its ``sig_saved`` carries the path when the user saves).
    """
    dialog = PdfPreviewDialog(title, build, suggested_name=suggested_name, settings=settings, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.open()
    return dialog

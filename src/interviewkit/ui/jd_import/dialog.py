"""The import dialog: where the job description comes from (a "File" tab and a "Paste" tab), then the review
table with its edits, and Save. Reading runs through ``run`` (off the GUI thread in the window); the dialog
never writes: Save emits the reviewed document (:attr:`JDImportDialog.sig_save`) and the command that opened
it runs the write (:mod:`interviewkit.ui.jd_import.command`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from interviewkit.bank.jd import JDError, ParsedJD
from interviewkit.bank.jd_review import ReviewError, delete, merge, move_to_section, propose_split, retag, split
from interviewkit.bank.jd_vocabulary import MUST, NICE
from interviewkit.inputs import one_line
from interviewkit.services.jd import import_jd, read_pasted_jd
from interviewkit.ui.jd_import.model import COL_LINE, COL_PRIORITY, COL_SECTION, COL_SUGGESTED, COL_TEXT, ReviewModel
from interviewkit.ui.widgets.file_dialogs import get_open_file_names
from interviewkit.ui.widgets.shortcuts import key_of, widget_shortcut

__all__ = ["JDImportDialog", "Runner"]

Runner = Callable[..., None]  # Host.run: run(work, done, busy=..., failed=...)
FILE_FILTER = "Job descriptions (*.md *.markdown *.txt *.html *.htm *.pdf *.docx);;All files (*)"


class JDImportDialog(QDialog):
    """Choose or paste a job description, read it, review its requirements, save."""

    sig_save = Signal(object)
    """Save was pressed: the reviewed :class:`ParsedJD` and whether to replace the document already there."""

    sig_read = Signal(object)
    """A document was read (the :class:`ParsedJD`): the command checks the database and suggests questions."""

    def __init__(self, parent: QWidget | None, run: Runner) -> None:
        super().__init__(parent)
        self._run = run
        self.setWindowTitle("Import job description")
        self.setObjectName("jdImportDialog")
        self.resize(1100, 700)
        self.model = ReviewModel(self)
        self.model.sig_edited.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_source())
        layout.addWidget(self._build_table(), 1)
        layout.addLayout(self._build_edits())
        layout.addWidget(self._build_footer())
        self._changed(None)

    # -- building -------------------------------------------------------------------------------------------

    def _build_source(self) -> QWidget:
        self.tabs = QTabWidget()
        self.tabs.setObjectName("jdSource")
        file_tab, paste_tab = QWidget(), QWidget()
        form = QFormLayout(file_tab)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("A Markdown, text, web page (.html), PDF or Word (.docx) file")
        self.path_edit.returnPressed.connect(self.read)
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow("&File:", row)
        paste = QVBoxLayout(paste_tab)
        self.paste_edit = QPlainTextEdit()
        self.paste_edit.setPlaceholderText("Paste the job ad here (Ctrl+V), or use 'Paste from clipboard'")
        self.paste_edit.setAccessibleName("Pasted job description")
        clip = QPushButton("Paste from &clipboard")
        clip.clicked.connect(self.paste_clipboard)
        paste.addWidget(self.paste_edit, 1)
        paste.addWidget(clip, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs.addTab(file_tab, "File")
        self.tabs.addTab(paste_tab, "Paste")
        box = QWidget()
        outer = QVBoxLayout(box)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)
        line = QHBoxLayout()
        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText("from the file's name or the title")
        self.id_edit.setAccessibleName("Document id")
        self.read_button = QPushButton("&Read")
        self.read_button.setDefault(False)
        self.read_button.clicked.connect(self.read)
        label = QLabel("Document &id:")
        label.setBuddy(self.id_edit)
        line.addWidget(label)
        line.addWidget(self.id_edit, 1)
        line.addWidget(self.read_button)
        outer.addLayout(line)
        self.tabs.setMaximumHeight(220)
        return box

    def _build_table(self) -> QWidget:
        self.table = QTableView()
        self.table.setObjectName("jdReview")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for col in (COL_SECTION, COL_PRIORITY, COL_LINE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_SUGGESTED, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_SUGGESTED, 300)
        self.table.verticalHeader().setVisible(False)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        widget_shortcut(self.table, key_of("remove_requirement"), self.delete_selected)
        return self.table

    def _build_edits(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.edit_buttons: dict[str, QPushButton] = {}
        for key, text, tip, slot in (
            ("merge", "&Merge", "Join the selected requirements into one", self.merge_selected),
            ("split", "S&plit…", "Make the selected requirement two or more", self._ask_split),
            ("delete", "&Delete", "Leave the selected requirements out (Del)", self.delete_selected),
            ("must", "Must &have", "Mark the selected requirements must-have", lambda: self.retag_selected(MUST)),
            ("nice", "&Nice to have", "Mark the selected requirements nice to have", lambda: self.retag_selected(NICE)),
            (
                "section",
                "Se&ction…",
                "Move the selected requirements to another section",
                self._ask_section,
            ),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            self.edit_buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _build_footer(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.skipped = QLabel()
        self.skipped.setWordWrap(True)
        self.skipped.setProperty("role", "subtle")
        self.replace_box = QCheckBox()
        self.replace_box.setVisible(False)
        self.replace_box.toggled.connect(lambda _=False: self._enable())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for widget in (self.status, self.skipped, self.replace_box, self.buttons):
            layout.addWidget(widget)
        return box

    # -- reading --------------------------------------------------------------------------------------------

    def _browse(self) -> None:
        names, _ = get_open_file_names(self, "Import job description", "", FILE_FILTER)
        if names:
            self.path_edit.setText(names[0])
            self.read()

    def paste_clipboard(self) -> None:
        self.paste_edit.setPlainText(QGuiApplication.clipboard().text())
        self.tabs.setCurrentIndex(1)

    def read(self) -> None:
        """Read the file of the File tab, or the text of the Paste tab (whichever is shown)."""
        doc_id = self.id_edit.text().strip() or None
        if self.tabs.currentIndex() == 0:
            path = self.path_edit.text().strip()
            if not path:
                self.say("Choose a file first (Browse…), or paste the text in the Paste tab.")
                return
            work = _reader_of_file(Path(path).expanduser(), doc_id)
        else:
            text = self.paste_edit.toPlainText()
            if not text.strip():
                self.say("Paste the job description's text first.")
                return
            work = _reader_of_text(text, doc_id)
        self.read_button.setEnabled(False)
        self._run(work, self._read_done, busy="Reading the job description", failed=self._read_failed)

    def _read_done(self, jd: ParsedJD) -> None:
        self.read_button.setEnabled(True)
        self.model.set_suggestions({})
        self.show_document(jd)
        self.sig_read.emit(jd)

    def _read_failed(self, exc: BaseException) -> None:
        self.read_button.setEnabled(True)
        self.say(f"Not read: {exc}" if isinstance(exc, JDError) else f"Not read: {one_line(str(exc))[:200]}")

    def show_document(self, jd: ParsedJD) -> None:
        self.model.set_document(jd)
        self.replace_box.setChecked(False)
        self.replace_box.setVisible(False)
        self.table.resizeRowsToContents()
        self.skipped.setText(
            "Skipped (no requirements): "
            + "; ".join(f"'{one_line(p.section)[:60]}' (line {p.line}): {p.reason}" for p in jd.skipped)
            if jd.skipped
            else ""
        )
        self._changed(jd)

    def offer_replace(self, message: str) -> None:
        """The document is in the database already: Save only with the box ticked (a new version)."""
        self.replace_box.setText(f"{message[:1].upper()}{message[1:]}".replace("--replace stores", "Tick to store"))
        self.replace_box.setVisible(True)
        self._enable()

    def show_suggestions(self, by_text: dict[str, Any]) -> None:
        self.model.set_suggestions(by_text)
        self.table.resizeRowsToContents()

    # -- edits ----------------------------------------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedRows()})

    def select_rows(self, rows: Sequence[int]) -> None:
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for r in rows:
            self.table.selectRow(r)
        self.table.setSelectionMode(mode)

    def _edit(self, change: Callable[[ParsedJD], ParsedJD], keep: Sequence[int] = ()) -> None:
        jd = self.model.document
        if jd is None:
            return
        try:
            edited = change(jd)
        except ReviewError as exc:
            self.say(str(exc))
            return
        self.model.set_document(edited)
        self.table.resizeRowsToContents()
        self.select_rows([r for r in keep if r < len(edited.requirements)])
        self._changed(edited)

    def delete_selected(self) -> None:
        rows = self.selected_rows()
        self._edit(lambda jd: delete(jd, rows), keep=rows[:1])

    def merge_selected(self) -> None:
        rows = self.selected_rows()
        self._edit(lambda jd: merge(jd, rows), keep=rows[:1])

    def retag_selected(self, priority: str) -> None:
        rows = self.selected_rows()
        self._edit(lambda jd: retag(jd, rows, priority), keep=rows)

    def _ask_split(self) -> None:
        self.split_selected()

    def _ask_section(self) -> None:
        self.move_selected()

    def split_selected(self, parts: Sequence[str] | None = None) -> None:
        """Split the selected requirement into ``parts`` (asked for, one per line, when not given)."""
        rows, jd = self.selected_rows(), self.model.document
        if len(rows) != 1 or jd is None:
            self.say("Choose one requirement to split.")
            return
        if parts is None:
            text, ok = QInputDialog.getMultiLineText(
                self,
                "Split the requirement",
                "One requirement per line:",
                "\n".join(propose_split(jd.requirements[rows[0]].text)),
            )
            if not ok:
                return
            parts = text.splitlines()
        chosen = list(parts)
        self._edit(lambda d: split(d, rows[0], chosen), keep=rows)

    def move_selected(self, section: str | None = None) -> None:
        """Move the selected requirements to ``section`` (asked for, with the document's sections offered)."""
        rows, jd = self.selected_rows(), self.model.document
        if not rows or jd is None:
            self.say("Choose the requirements to move first.")
            return
        if section is None:
            names = list(dict.fromkeys(r.section for r in jd.requirements))
            section, ok = QInputDialog.getItem(self, "Move to section", "Section:", names, 0, True)
            if not ok:
                return
        chosen = section
        self._edit(lambda d: move_to_section(d, rows, chosen), keep=rows)

    # -- saving ---------------------------------------------------------------------------------------------

    def save(self) -> None:
        jd = self.model.document
        if jd is None or not jd.requirements:
            self.say("Nothing to save: read a job description first.")
            return
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.sig_save.emit((jd, self.replace_box.isVisible() and self.replace_box.isChecked()))

    def save_failed(self, message: str) -> None:
        self.say(message)
        self._enable()

    def say(self, text: str) -> None:
        self.status.setText(text)

    def _changed(self, jd: ParsedJD | None) -> None:
        if jd is None:
            self.say("Choose a file or paste the text, then Read.")
        else:
            nice = sum(r.priority == NICE for r in jd.requirements)
            prose = sum(r.from_prose for r in jd.requirements)
            self.say(
                f"'{jd.id}' ({one_line(jd.title)}): {len(jd.requirements)} requirements, {nice} nice to have"
                + (f", {prose} from prose (in italics: check them)" if prose else "")
                + ". Nothing is saved until you press Save."
            )
        self._enable()

    def _enable(self) -> None:
        jd = self.model.document
        has = jd is not None and bool(jd.requirements)
        rows = self.selected_rows() if has else []
        for key, button in self.edit_buttons.items():
            need = 2 if key == "merge" else 1
            button.setEnabled(len(rows) >= need and (key != "split" or len(rows) == 1))
        blocked = self.replace_box.isVisible() and not self.replace_box.isChecked()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(has and not blocked)


def _reader_of_file(path: Path, doc_id: str | None) -> Callable[[], ParsedJD]:
    return lambda: import_jd(None, path, doc_id=doc_id)[0]


def _reader_of_text(text: str, doc_id: str | None) -> Callable[[], ParsedJD]:
    return lambda: read_pasted_jd(text, doc_id=doc_id)

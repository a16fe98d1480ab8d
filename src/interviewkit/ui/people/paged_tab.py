"""A tab of the People screen over a list too long to read whole (the candidates): the table shows a
:class:`~interviewkit.ui.widgets.paged_model.PagedModel`, which reads a page at a time off the GUI thread; the
search box and the column headers ask the database to search and sort, and the next page is read when the
table is scrolled to its end. Otherwise it is a :class:`~interviewkit.ui.people.directory_tab.DirectoryTab`:
New…, Edit…, Enter, the empty states, the count under the table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QWidget

from interviewkit.ui.people.directory_tab import DirectoryTab
from interviewkit.ui.widgets.paged_model import PagedModel

__all__ = ["PagedDirectoryTab"]


class PagedDirectoryTab(DirectoryTab):
    """One tab whose records are read a page at a time: search and sort in the database."""

    def __init__(
        self,
        model: PagedModel[Any],
        *,
        nouns: tuple[str, str],
        search_hint: str,
        new_tip: str,
        widths: dict[int, int],
        stretch: int,
        sort: tuple[int, Qt.SortOrder],
        parent: QWidget | None = None,
    ) -> None:
        self.filtered = False  # a filter besides the search (the candidates' opening) narrows the list
        self._reveal: int | None = None  # a record to show once the rows being read are in, clearing the search
        super().__init__(
            model,
            nouns=nouns,
            search_hint=search_hint,
            new_tip=new_tip,
            widths=widths,
            stretch=stretch,
            sort=sort,
            parent=parent,
        )
        model.track_selection(self.table.selectionModel())
        model.sig_loaded.connect(self._loaded)
        model.sig_busy.connect(self.update_state)
        model.sig_counted.connect(self.update_state)

    def _attach(self, model: QAbstractItemModel) -> QAbstractItemModel:
        assert isinstance(model, PagedModel)
        self.pages: PagedModel[Any] = model
        model.setParent(self)
        return model

    # -- records ----------------------------------------------------------------------------------------

    def set_records(self, rows: Any) -> None:
        raise TypeError("a paged tab reads its records itself: set the model's source")

    def count(self) -> int | None:
        """How many records there are without the search and filters (None: not read yet)."""
        if self.pages.unfiltered is not None:  # counted after the first page
            return self.pages.unfiltered
        page = self.pages.last_page
        unfiltered = getattr(page, "unfiltered", None)  # a source may count them (services.paging does)
        return unfiltered if isinstance(unfiltered, int) else self.pages.total

    def select_record(self, record_id: int, *, reveal: bool = True) -> bool:
        """Select the record if it is among the rows read; with ``reveal``, when the rows being read now (after
        a write) leave it out because of the search, the search is cleared and it is selected."""
        if reveal and self.pages.busy:
            self._reveal = record_id
        row = self.pages.row_of(record_id)
        if row < 0:
            return False
        index = self.pages.index(row, 0)
        self._select(index)
        self.table.scrollTo(index)
        return True

    def _loaded(self) -> None:
        reveal, self._reveal = self._reveal, None
        if reveal is not None and self.pages.row_of(reveal) < 0 and self.search.text():
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.pages.set_search("")
            self.pages.reload(keep_id=reveal)
            return
        if not self.table.currentIndex().isValid():
            self.select_first()
        self.update_state()

    # -- behaviour --------------------------------------------------------------------------------------

    def _on_search(self, text: str) -> None:
        self.pages.set_search(text)

    def counts(self) -> tuple[int, int, bool]:
        shown = self.pages.total or 0
        return self.count() or shown, shown, bool(self.pages.search) or self.filtered

    def update_state(self, *_args: Any) -> None:
        if self.pages.total is None:  # not read or not counted yet: the table, and what is under way
            self.stack.setCurrentWidget(self.table)
            shown = self.pages.rowCount()
            if shown and not self.pages.busy:  # the first rows are in; their count follows
                self.count_label.setText(f"{shown}{'+' if self.pages.more else ''} {self.nouns[1]} · counting…")
            else:
                self.count_label.setText(f"Reading {self.nouns[1]}…" if self.pages.busy else "")
            return
        super().update_state()
        if self.pages.busy or self.pages.counting:
            doing = "reading" if self.pages.busy else "counting"
            self.count_label.setText(f"{self.count_label.text()} · {doing}…".lstrip(" ·"))

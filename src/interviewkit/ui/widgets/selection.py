"""Making a row of a searchable list current, as the lists of loops and debriefs do for links from elsewhere."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

__all__ = ["select_source_index"]


def select_source_index(
    view: QAbstractItemView, proxy: QSortFilterProxyModel, source: QModelIndex, search: QLineEdit
) -> None:
    """Make the row at ``source`` (an index of the proxy's source model) current in ``view`` and scroll to it,
    clearing ``search`` first when the search hides it."""
    index = proxy.mapFromSource(source)
    if not index.isValid():
        search.clear()
        index = proxy.mapFromSource(source)
    view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    view.scrollTo(index)

"""Item models for the Loops section: loops, stages, a stage's question plan, focus competencies, notes.

Each is a thin adapter over plain values from ``interviewkit.services.loops``; none fetches anything.
Two-line rows give their second line through ``SubtitleRole`` and a right-hand figure through
``TrailingRole`` (drawn by :class:`~interviewkit.ui.widgets.delegates.CardDelegate`).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from interviewkit.services.bank_queries import CompetencyInfo
from interviewkit.ui.widgets.formatting import local_text, plural
from interviewkit.ui.widgets.question_model import KIND_LABELS
from interviewkit.ui.widgets.roles import (
    IdRole,
    SearchTextRole,
    StateRole,
    SubtitleRole,
    TrailingRole,
    ValueRole,
    state_icon,
)

if TYPE_CHECKING:
    from interviewkit.services.loops import LoopSummary, PlannedQuestion, StageDetail

__all__ = [
    "PLAN_MIME",
    "CompetencyCheckModel",
    "LoopFilterProxy",
    "LoopListModel",
    "Note",
    "NoteListModel",
    "PlanModel",
    "StageListModel",
]

_Index = QModelIndex | QPersistentModelIndex
PLAN_MIME = "application/x-interviewkit-plan-rows"

SUBMISSION_WORDS = {"draft": "scorecard in progress", "submitted": "scorecard submitted"}


class _RowsModel(QAbstractListModel):
    """A list of frozen values with ids; updates in place when the ids stay the same (keeps selection)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def _key(self, row: Any) -> Any:
        return row.id

    def _replace(self, rows: Sequence[Any]) -> None:
        rows = list(rows)
        if [self._key(r) for r in rows] == [self._key(r) for r in self._rows] and rows:
            self._rows = rows
            self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
        else:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def value(self, row: int) -> Any:
        return self._rows[row]

    def values(self) -> list[Any]:
        return list(self._rows)

    def row_of(self, key: Any) -> int:
        return next((i for i, r in enumerate(self._rows) if self._key(r) == key), -1)


class LoopListModel(_RowsModel):
    """The loops read so far (a page at a time): the candidate, the opening, its stages and how many scorecards
    are in. When the view reaches the last row and more follow, :attr:`sig_fetch_more` asks the screen for the
    next page (from the offset given), which :meth:`add_loops` appends."""

    sig_fetch_more = Signal(int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._search: list[str] = []
        self._more = False
        self._asked = False  # the next page is asked for and not here yet
        self.generation = 0  # of the first page shown: a next page read for an older one is not added

    def set_loops(self, loops: Sequence[LoopSummary], *, more: bool = False) -> None:
        """Replace the rows with a first page (``more``: rows follow it)."""
        self._more, self._asked = more, False
        self.generation += 1
        self._search = [_folded(f"{loop.candidate} {loop.opening} {loop.name}") for loop in loops]
        self._replace(loops)

    def add_loops(self, loops: Sequence[LoopSummary], *, more: bool) -> None:
        """Append the next page (a loop already listed, moved by one since, is not listed twice)."""
        known = {loop.id for loop in self._rows}
        rows = [loop for loop in loops if loop.id not in known]
        self._more, self._asked = more, False
        if rows:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self._search.extend(_folded(f"{x.candidate} {x.opening} {x.name}") for x in rows)
            self.endInsertRows()

    @property
    def more(self) -> bool:
        """Loops follow the rows read so far."""
        return self._more

    def canFetchMore(self, parent: _Index) -> bool:  # noqa: N802 - Qt override
        return not parent.isValid() and self._more and not self._asked

    def fetchMore(self, parent: _Index) -> None:  # noqa: N802 - Qt override
        if self.canFetchMore(parent):
            self._asked = True
            self.sig_fetch_more.emit(len(self._rows))

    def search_text(self, row: int) -> str:
        """The row's candidate, opening and loop name, lower case without accents."""
        return self._search[row] if 0 <= row < len(self._search) else ""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        loop: LoopSummary = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return loop.candidate
        if role == SubtitleRole:
            progress = f"{loop.submitted} of {loop.stages} submitted" if loop.stages else "no stages yet"
            return f"{loop.opening} · {plural(loop.stages, 'stage')}\n{progress} · {local_text(loop.first_at)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{loop.candidate} · {loop.opening}\n{loop.name}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{loop.candidate}, {loop.opening}, {plural(loop.stages, 'stage')}, {loop.submitted} submitted"
        if role == IdRole:
            return loop.id
        if role == ValueRole:
            return loop
        if role == SearchTextRole:
            return f"{loop.candidate} {loop.opening} {loop.name}"
        return None


def _folded(text: str) -> str:
    """Lower case without accents: "Tomás" is found by typing "tomas"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class LoopFilterProxy(QSortFilterProxyModel):
    """Keeps the loops whose candidate, opening or name contains every typed word (accents ignored)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = _folded(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 - Qt override
        if not self._words:
            return True
        source = self.sourceModel()
        if isinstance(source, LoopListModel):
            text = source.search_text(source_row)
        else:
            text = _folded(str(source.index(source_row, 0, source_parent).data(SearchTextRole) or ""))
        return all(w in text for w in self._words)


class StageListModel(_RowsModel):
    """The stages of a loop in order, with who, when, how long and whether the plan fits."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._requirements: dict[int, int] = {}

    def set_stages(self, stages: Sequence[StageDetail], requirement_counts: Mapping[int, int] | None = None) -> None:
        self._requirements = dict(requirement_counts or {})
        self._replace(stages)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        st: StageDetail = self._rows[index.row()]
        over = st.planned_minutes - st.minutes
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{st.position}. {st.name}"
        if role == SubtitleRole:
            who = st.interviewer or "no interviewer yet"
            line = f"{who} · {local_text(st.scheduled_at)}"
            if st.scorecard_status:
                line += f" · {SUBMISSION_WORDS.get(st.scorecard_status, st.scorecard_status)}"
            return line
        if role == TrailingRole:
            return f"{st.planned_minutes}/{st.minutes} min"
        if role == StateRole:
            return "warning" if over > 0 else ""
        if role == Qt.ItemDataRole.DecorationRole:
            return state_icon("warning") if over > 0 else None
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            fit = (
                f"Planned {st.planned_minutes} of {st.minutes} minutes: {plural(over, 'minute')} over"
                if over > 0
                else f"Planned {st.planned_minutes} of {st.minutes} minutes"
            )
            reqs = self._requirements.get(st.id)
            extra = f"\nAssesses {plural(reqs, 'requirement')}" if reqs is not None else ""
            return f"{st.position}. {st.name}\n{fit}{extra}"
        if role == IdRole:
            return st.id
        if role == ValueRole:
            return st
        return None


class PlanModel(_RowsModel):
    """A stage's ordered question plan. Rows move by drag and drop (``moveRows``) or from code."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._competency_names: dict[str, str] = {}

    def _key(self, row: Any) -> Any:
        return row.question_id

    def set_questions(self, questions: Sequence[PlannedQuestion], competency_names: Mapping[str, str]) -> None:
        self._competency_names = dict(competency_names)
        self._replace(questions)

    def question_ids(self) -> list[str]:
        return [q.question_id for q in self._rows]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        q: PlannedQuestion = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{index.row() + 1}. {q.title}"
        if role == SubtitleRole:
            names = ", ".join(self._competency_names.get(c, c) for c in q.competencies)
            line = f"{KIND_LABELS.get(q.kind, q.kind)} · {names}" if names else KIND_LABELS.get(q.kind, q.kind)
            return line + (f"\nPlanned at version {q.version}; the bank has a newer one" if q.outdated else "")
        if role == TrailingRole:
            return f"{q.minutes} min"
        if role == StateRole:
            return "info" if q.outdated else ""
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{q.title} ({q.minutes} minutes)\n{q.question_id}, version {q.version}"
        if role == IdRole:
            return q.question_id
        if role == ValueRole:
            return q
        return None

    # -- drag and drop: rows move within the plan, nothing else is accepted ------------------------------

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # drops land between rows, never on one
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802 - Qt override
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802 - Qt override
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt override
        return [PLAN_MIME]

    def mimeData(self, indexes: Iterable[QModelIndex]) -> QMimeData:  # noqa: N802 - Qt override
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data.setData(PLAN_MIME, QByteArray(json.dumps(rows).encode("ascii")))
        return data

    @staticmethod
    def rows_in(data: QMimeData) -> list[int]:
        """The rows a drag carries, or [] when it is not a drag from a plan."""
        if data is None or not data.hasFormat(PLAN_MIME):
            return []
        try:
            rows = json.loads(bytes(data.data(PLAN_MIME).data()).decode("ascii"))
        except (ValueError, UnicodeDecodeError):
            return []
        return [int(r) for r in rows if isinstance(r, int)]

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index) -> bool:  # noqa: N802 - Qt override
        return action == Qt.DropAction.MoveAction and bool(self.rows_in(data)) and not parent.isValid()

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index) -> bool:  # noqa: N802 - Qt override
        """Move the dragged rows to ``row`` (the end when -1). True when the order changed."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        return self.move_rows_to(self.rows_in(data), len(self._rows) if row < 0 else row)

    def move_rows_to(self, rows: Sequence[int], destination: int) -> bool:
        """Move ``rows`` (keeping their order) so they sit before the row now at ``destination``."""
        rows = sorted(r for r in set(rows) if 0 <= r < len(self._rows))
        if not rows:
            return False
        keys = [self._key(r) for r in self._rows]
        block = [keys[r] for r in rows]
        rest = [k for i, k in enumerate(keys) if i not in rows]
        at = max(0, min(destination, len(keys))) - sum(1 for r in rows if r < destination)
        wanted = rest[:at] + block + rest[at:]
        moved = False
        for i, key in enumerate(wanted):  # bring each row up to its place, top to bottom
            current = [self._key(r) for r in self._rows].index(key)
            if current != i:
                moved |= self.moveRows(QModelIndex(), current, 1, QModelIndex(), i)
        return moved

    def moveRows(  # noqa: N802 - Qt override
        self, source_parent: _Index, source_row: int, count: int, destination_parent: _Index, destination_child: int
    ) -> bool:
        if source_parent.isValid() or destination_parent.isValid() or count < 1:
            return False
        if source_row < 0 or source_row + count > len(self._rows) or not 0 <= destination_child <= len(self._rows):
            return False
        if source_row <= destination_child <= source_row + count:
            return False  # a move onto itself
        if not self.beginMoveRows(QModelIndex(), source_row, source_row + count - 1, QModelIndex(), destination_child):
            return False
        block = self._rows[source_row : source_row + count]
        del self._rows[source_row : source_row + count]
        insert_at = destination_child - count if destination_child > source_row else destination_child
        self._rows[insert_at:insert_at] = block
        self.endMoveRows()
        # the numbers in front of the titles changed for every row between the two places
        self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1), [Qt.ItemDataRole.DisplayRole])
        return True

    def move_row(self, row: int, delta: int) -> bool:
        """Alt+Up / Alt+Down: move one row by ``delta`` places."""
        target = row + delta
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)) or delta == 0:
            return False
        return self.moveRows(QModelIndex(), row, 1, QModelIndex(), target + 1 if delta > 0 else target)


class CompetencyCheckModel(_RowsModel):
    """The competency framework with a check box each: the focus of a stage."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._checked: set[str] = set()

    def set_competencies(self, competencies: Sequence[CompetencyInfo], checked: Iterable[str]) -> None:
        checked = list(checked)
        known = {c.id for c in competencies}
        # a focus competency retired from the framework stays visible, so it is never dropped silently
        extra = [CompetencyInfo(c, f"{c} (retired)", "", "") for c in checked if c not in known]
        self.beginResetModel()
        self._rows = [*competencies, *extra]
        self._checked = set(checked)
        self.endResetModel()

    def checked_ids(self) -> list[str]:
        return [c.id for c in self._rows if c.id in self._checked]

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c: CompetencyInfo = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return c.name
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if c.id in self._checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return c.description or c.name
        if role == IdRole:
            return c.id
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 - Qt override
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        cid = self._rows[index.row()].id
        on = Qt.CheckState(value) == Qt.CheckState.Checked
        if on == (cid in self._checked):
            return False
        (self._checked.add if on else self._checked.discard)(cid)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True


@dataclass(frozen=True)
class Note:
    """A line of the coverage panel: words first, an icon for its state, and what it points at."""

    text: str
    state: str = ""  # "", "ok", "warning", "danger", "info"
    tooltip: str = ""
    stage_id: int | None = None  # the stage to show when the note is activated
    key: str = ""

    @property
    def id(self) -> str:
        return self.key or self.text


class NoteListModel(_RowsModel):
    """Lines of text with an icon for their state (requirements, warnings)."""

    def set_notes(self, notes: Sequence[Note]) -> None:
        self.beginResetModel()
        self._rows = list(notes)
        self.endResetModel()

    def notes(self) -> list[Note]:
        return list(self._rows)

    def texts(self) -> list[str]:
        return [n.text for n in self._rows]

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        note: Note = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return note.text
        if role == Qt.ItemDataRole.DecorationRole:
            return state_icon(note.state)
        if role == Qt.ItemDataRole.ToolTipRole:
            return note.tooltip or note.text
        if role == StateRole:
            return note.state
        if role == IdRole:
            return note.stage_id
        if role == ValueRole:
            return note
        return None

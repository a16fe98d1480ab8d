"""Keys: the registry of every documented key (:data:`KEYMAP`), and keys that belong to one widget (Enter on a
table, Down in a search box)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLineEdit, QWidget

__all__ = [
    "KEYMAP",
    "PLACES",
    "KeyEntry",
    "bind_keys",
    "clear_on_escape",
    "key_entry",
    "key_matches",
    "key_of",
    "key_table",
    "widget_shortcut",
]


def widget_shortcut(widget: QWidget, key: Qt.Key | str, slot: Callable[[], object]) -> QShortcut:
    """A shortcut active only while ``widget`` has the focus (``key``: a Qt key, or a registry key string).

    The context is set after construction on purpose: PySide6 6.12 ignores the ``context`` argument of
    ``QShortcut(key, parent, slot, context=...)`` and leaves it at WindowShortcut, which would make the key
    fire anywhere in the window.
    """
    shortcut = QShortcut(QKeySequence(key), widget)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    shortcut.activated.connect(slot)
    return shortcut


def bind_keys(widget: QWidget, name: str, slot: Callable[[], object]) -> list[QShortcut]:
    """Every key of the registry's entry ``name`` as a shortcut of ``widget`` while it has the focus."""
    return [widget_shortcut(widget, key, slot) for key in key_entry(name).keys]


def key_matches(event: QKeyEvent, name: str) -> bool:
    """Whether ``event`` is a key of the registry's entry ``name``, for a widget's own key handling (the keypad's
    digits and Enter count as the main keyboard's)."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return QKeySequence(QKeyCombination(modifiers, Qt.Key(event.key()))).toString() in key_entry(name).keys


def clear_on_escape(search: QLineEdit, scope: QWidget | None = None) -> QShortcut:
    """The registry's clear_search: Esc in the search box (or anywhere in ``scope``, its list around it) clears
    ``search`` and leaves the cursor in it. While the search is empty the shortcut is off, so Esc does what it
    did without it (a dialog closes)."""
    shortcut = QShortcut(QKeySequence(key_of("clear_search")), scope or search)
    shortcut.setContext(
        Qt.ShortcutContext.WidgetShortcut if scope is None else Qt.ShortcutContext.WidgetWithChildrenShortcut
    )
    shortcut.setEnabled(bool(search.text()))

    def follow(text: str) -> None:
        shortcut.setEnabled(bool(text))

    def clear() -> None:
        search.clear()
        search.setFocus()

    search.textChanged.connect(follow)
    shortcut.activated.connect(clear)
    return shortcut


# -- the registry of documented keys ------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyEntry:
    """One documented key (or family of keys): where it works and what it does.

    ``keys`` are Qt's portable key strings (``QKeySequence(key)``); ``shown`` is how the README and the menus
    write the family ("Alt+1..4"); ``where`` is one of :data:`PLACES`.
    """

    name: str
    keys: tuple[str, ...]
    where: str
    does: str
    shown: str = ""

    @property
    def label(self) -> str:
        return self.shown or " / ".join(_readable(k) for k in self.keys)

    @property
    def key(self) -> str:
        """The first (or only) key, for code that binds one action to it."""
        return self.keys[0]


#: Where a key works, in the words of the README's tables.
PLACES = {
    "window": "anywhere",
    "section": "in that section",
    "cockpit": "in the interview",
    "checklist": "in the evidence checklist",
    "cockpit_picker": "in the interview's Add a question",
    "finish": "on the finish page",
    "screen": "on a screen stage",
    "my_interviews": "on My interviews",
    "resume": "on My interviews' Resume banner",
    "search_box": "in a search box",
    "section_search": "in a section's search box",
    "add_questions": "in a loop's Add questions",
    "exercises": "in Calibration's Exercises",
    "debrief_list": "on Debriefs' candidates",
    "debrief_grid": "on a debrief's grid",
    "decision": "on a debrief's Decision tab",
    "coverage": "on Coverage's lists of questions",
    "people": "in People",
    "people_table": "on a table in People",
    "who": "in Who is using InterviewKit?",
    "loops": "in Loops",
    "loop": "on a loop shown in Loops",
    "plan": "on a stage's question plan",
    "pdf_preview": "in a PDF preview",
    "search": "in a search box or its list",
    "exercise_new": "writing a new exercise",
    "exercise_score": "scoring an exercise",
    "jd_review": "in an imported job description's requirements",
}

_ARROWS = {"Right": "→", "Left": "←", "Up": "↑", "Down": "↓", "Return": "Enter", "Escape": "Esc"}


def _readable(key: str) -> str:
    return "+".join(_ARROWS.get(part, part) for part in key.split("+"))


def _digits(prefix: str, first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{n}" for n in range(first, last + 1))


#: Every key the README documents, in the order of its tables. Menus, tooltips and the cockpit's actions
#: take their keys from here; scripts/key_tables.py writes the README's tables from it, and
#: tests/ui/keyboard presses each one in the place it names.
KEYMAP: tuple[KeyEntry, ...] = (
    KeyEntry("sections", _digits("Ctrl+", 1, 7), "window", "show a section (in the order of the list)", "Ctrl+1..7"),
    KeyEntry("find", ("Ctrl+F",), "window", "search in the section shown (else the question bank)"),
    KeyEntry("export_pdf", ("Ctrl+P",), "window", "export the document of the section shown as a PDF (with a preview)"),
    KeyEntry("open_database", ("Ctrl+O",), "window", "open another database"),
    KeyEntry("switch_user", ("Ctrl+Shift+U",), "window", "switch person"),
    KeyEntry("sync_bank", ("F5",), "window", "load changes in the question bank's files (admins)"),
    KeyEntry("quit", ("Ctrl+Q",), "window", "quit (an open interview is saved first)"),
    KeyEntry(
        "open_interview",
        ("Return", "Enter"),
        "my_interviews",
        "open the selected interview",
        "Enter",
    ),
    KeyEntry(
        "resume_interview",
        ("Return", "Enter"),
        "resume",
        "resume the interrupted interview where it stopped (Tab from the list reaches Resume)",
        "Enter",
    ),
    KeyEntry("to_list", ("Down",), "search_box", "move to the list of hits below, on the first one"),
    KeyEntry(
        "search_to_list",
        ("Return", "Enter"),
        "section_search",
        "move to the list of hits, as ↓ does",
        "Enter",
    ),
    KeyEntry(
        "add_hit",
        ("Return", "Enter"),
        "add_questions",
        "add the current hit to the stage",
        "Enter",
    ),
    KeyEntry(
        "new_exercise", ("Ctrl+N",), "exercises", "write a new exercise: a reference answer and its agreed rating"
    ),
    KeyEntry("open_debrief", ("Return", "Enter"), "debrief_list", "go to the candidate's grid of ratings", "Enter"),
    KeyEntry(
        "open_cell",
        ("Return", "Enter"),
        "debrief_grid",
        "show what lies behind the cell: the rating's evidence, or the Overall row's summaries",
        "Enter",
    ),
    KeyEntry(
        "record_decision",
        ("Ctrl+Return", "Ctrl+Enter"),
        "decision",
        "record the decision (or the reopened one, with its reason); debrief leads",
        "Ctrl+Enter",
    ),
    KeyEntry(
        "open_in_bank", ("Return", "Enter"), "coverage", "open the selected question in the Question bank", "Enter"
    ),
    KeyEntry("new_record", ("Ctrl+N",), "people", "add a person, an opening or a candidate (in the tab shown)"),
    KeyEntry("next_tab", ("Ctrl+PgDown",), "people", "the next tab (from Candidates, back to Interviewers)"),
    KeyEntry("previous_tab", ("Ctrl+PgUp",), "people", "the previous tab"),
    KeyEntry(
        "edit_record",
        ("Return", "Enter"),
        "people_table",
        "edit the selected record (as Edit… does); without the right to, the status bar says who has it",
        "Enter",
    ),
    KeyEntry(
        "choose_person",
        ("Return", "Enter"),
        "who",
        "continue as the selected person; in the search, as the first match (nobody matches: add yourself)",
        "Enter",
    ),
    KeyEntry("new_loop", ("Ctrl+N",), "loops", "plan a loop for a candidate, from a template or empty"),
    KeyEntry("add_stage", ("Ctrl+Shift+N",), "loop", "add a stage at the end of the loop (its name is ready to type)"),
    KeyEntry("stage_earlier", ("Ctrl+Up",), "loop", "hold the selected stage earlier"),
    KeyEntry("stage_later", ("Ctrl+Down",), "loop", "hold the selected stage later"),
    KeyEntry("plan_add_question", ("Ctrl+K",), "loop", "add questions from the bank to the selected stage's plan"),
    KeyEntry("question_earlier", ("Alt+Up",), "plan", "ask the selected question earlier"),
    KeyEntry("question_later", ("Alt+Down",), "plan", "ask the selected question later"),
    KeyEntry("remove_question", ("Del",), "plan", "remove the selected question from the plan", "Delete"),
    KeyEntry("agreed_rating", _digits("Alt+", 1, 9), "exercise_new", "choose the agreed rating", "Alt+1..4"),
    KeyEntry(
        "create_exercise",
        ("Ctrl+Return", "Ctrl+Enter"),
        "exercise_new",
        "create the exercise (it is listed for the others to score)",
        "Ctrl+Enter",
    ),
    KeyEntry("exercise_score", _digits("", 1, 9), "exercise_score", "choose your score (not in the notes)", "1..4"),
    KeyEntry(
        "submit_exercise_score",
        ("Ctrl+Return", "Ctrl+Enter"),
        "exercise_score",
        "submit your score: the agreed rating and everyone's deviation appear",
        "Ctrl+Enter",
    ),
    KeyEntry("remove_requirement", ("Del",), "jd_review", "leave the selected requirements out", "Delete"),
    KeyEntry(
        "clear_search",
        ("Escape",),
        "search",
        "clear the search, with text in it (then Esc does what it did: a dialog closes)",
    ),
    KeyEntry("save_pdf", ("Ctrl+S",), "pdf_preview", "save the PDF as previewed (once the preview is built)"),
    KeyEntry(
        "cancel_pdf",
        ("Escape",),
        "pdf_preview",
        "stop preparing the preview, the dialog stays open (once a preview is shown, Esc closes)",
    ),
    KeyEntry("next_question", ("Ctrl+Right",), "cockpit", "next question"),
    KeyEntry("previous_question", ("Ctrl+Left",), "cockpit", "previous question"),
    KeyEntry("notes", ("Ctrl+J",), "cockpit", "jump to the notes"),
    KeyEntry("evidence", ("Ctrl+E",), "cockpit", "the evidence checklist (↑/↓ move; Ctrl+J back)"),
    KeyEntry(
        "tick_evidence",
        ("Space", *_digits("", 1, 9)),
        "checklist",
        "tick (or untick) the current item; a digit, that item",
        "Space / 1..9",
    ),
    KeyEntry("rate", _digits("Alt+", 1, 9), "cockpit", "rate the focused competency", "Alt+1..4"),
    KeyEntry("not_assessed", ("Alt+0",), "cockpit", "“not assessed” (with a reason)"),
    KeyEntry("next_competency", ("Alt+Down",), "cockpit", "next competency"),
    KeyEntry("previous_competency", ("Alt+Up",), "cockpit", "previous competency"),
    KeyEntry("add_question", ("Ctrl+K",), "cockpit", "add a question from the bank, by search"),
    KeyEntry(
        "picker_move",
        ("Up", "Down"),
        "cockpit_picker",
        "the previous / next hit, the cursor staying in the search (Enter adds it)",
        "↑ / ↓",
    ),
    KeyEntry("swap_variant", ("Ctrl+Shift+V",), "cockpit", "swap the question for a variant (before notes)"),
    KeyEntry("finish", ("F10",), "cockpit", "finish: the ratings, the recommendation and the summary"),
    KeyEntry("export_scorecard", ("Ctrl+P",), "cockpit", "print the scorecard (PDF, with a preview)"),
    KeyEntry("leave", ("Ctrl+W",), "cockpit", "leave the interview (everything is already saved)"),
    KeyEntry(
        "recommend",
        _digits("Ctrl+", 1, 9),
        "finish",
        "choose the recommendation (here Ctrl+1..4 are not sections)",
        "Ctrl+1..4",
    ),
    KeyEntry("submit", ("Ctrl+Return",), "finish", "submit the scorecard (it is locked then)"),
    KeyEntry("back", ("Escape",), "finish", "back to the questions"),
    KeyEntry("amend", ("Ctrl+Shift+A",), "finish", "amend a submitted scorecard, with a reason"),
    KeyEntry(
        "screen_answer", ("1", "2", "3", "Y", "N", "U"), "screen", "answer the item: yes, no, unclear", "1/2/3 or Y/N/U"
    ),
    KeyEntry("screen_move", ("Up", "Down"), "screen", "the previous / next item (from its note too)", "↑ / ↓"),
    KeyEntry("screen_note", ("Return", "Enter"), "screen", "write in the item's note", "Enter"),
    KeyEntry("screen_answer_note", _digits("Alt+", 1, 3), "screen", "answer from the item's note", "Alt+1..3"),
    KeyEntry("screen_finish", ("Ctrl+Return",), "screen", "finish the screen"),
    KeyEntry("screen_amend", ("Ctrl+Shift+A",), "screen", "amend a finished screen's answer, with a reason"),
)

_BY_NAME = {e.name: e for e in KEYMAP}


def key_entry(name: str) -> KeyEntry:
    """The registry's entry ``name`` (KeyError for a name it does not hold)."""
    return _BY_NAME[name]


def key_of(name: str, index: int = 0) -> str:
    """The key string of entry ``name`` (its ``index``-th key for a family such as Ctrl+1..7)."""
    return _BY_NAME[name].keys[index]


def key_table(places: tuple[str, ...]) -> str:
    """The README's Markdown table of the keys that work in ``places``."""
    lines = ["| Key | Where | Action |", "|---|---|---|"]
    lines += [f"| {e.label} | {PLACES[e.where]} | {e.does} |" for e in KEYMAP if e.where in places]
    return "\n".join(lines)

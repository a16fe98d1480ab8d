"""Changing the questions of a draft during the interview: adding one from the bank (Ctrl+K) and swapping the
question shown for a sibling of its variant group (Ctrl+Shift+V), both off the GUI thread while the
interviewer goes on typing; the cockpit moves to the question when it is in, if the interviewer is still
where they asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from interviewkit.services import scorecards as svc
from interviewkit.services import variants
from interviewkit.services.changes import Changes, changes_of
from interviewkit.services.errors import ServiceError
from interviewkit.services.scorecards import ScorecardState
from interviewkit.ui.cockpit.picker import QuestionPicker
from interviewkit.ui.cockpit.screen import CockpitScreen
from interviewkit.ui.cockpit.variant_picker import VariantPicker

__all__ = ["QuestionAdded", "QuestionEditing", "in_words"]


@dataclass(frozen=True)
class QuestionAdded:
    """A question added to a draft (or swapped in): its id, the scorecard as it now is, and what the service
    says changed."""

    question_id: str
    state: ScorecardState
    changes: Changes | None


def in_words(exc: BaseException) -> str:
    """A refusal in words: the service's own, or what a database that did not answer means."""
    if isinstance(exc, ServiceError):
        return str(exc)
    return f"the database did not answer ({exc}). Everything typed is kept; try again in a moment"


class QuestionEditing(CockpitScreen):
    """The cockpit's screen with the writes that change its questions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._adding = False  # a question is being added or swapped

    def _is_shown(self, card: int) -> bool:
        return self._state is not None and self._state.id == card

    # -- adding a question ------------------------------------------------------------------------------------

    def add_question(self) -> None:
        """Ctrl+K: pick a bank question by search and ask it next."""
        if self._ctx is None or self._state is None or self.frozen or self._adding:
            return
        exclude = {q.question_id for q in self._state.questions}
        picker = QuestionPicker(self._ctx, exclude=exclude, parent=self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        picker.sig_chosen.connect(self._insert_question)
        picker.open()

    def _insert_question(self, question_id: str) -> None:
        """Add the question after the current one (off the GUI thread); the notes go on being typed meanwhile,
        and the cockpit moves to it when it is added, if the interviewer is still where they asked."""
        ctx, state, asking = self._ctx, self._state, self.current()
        if ctx is None or state is None or self.frozen:
            return
        card, after = state.id, self._index
        self._adding = True

        def work() -> QuestionAdded:
            result = svc.add_question(ctx.db, card, ctx.instance_id, question_id, after=after, by=ctx.user_id)
            return QuestionAdded(question_id, svc.scorecard_state(ctx.db, card, by=ctx.user_id), changes_of(result))

        self.write(
            work,
            lambda added: self._question_added(added, asking.asked_id if asking else None),
            failed=lambda exc: self._question_refused(card, exc),
            busy="Adding the question",
        )

    def _question_added(self, added: QuestionAdded, asking: int | None) -> None:
        self._adding = False
        if not self._is_shown(added.state.id) or self._state is None or self._state.locked:
            return
        current = self.current()
        still_there = (current.asked_id if current else None) == asking
        if still_there:
            self._record_times()
        self._state = added.state
        for q in added.state.questions:
            self._notes.setdefault(q.asked_id, q.notes)
            self._ticks.setdefault(q.asked_id, q.evidence_ticks)
            self.times.seconds.setdefault(q.asked_id, q.seconds_spent)
        ids = [q.asked_id for q in added.state.questions]
        if still_there:
            self._index = next(i for i, q in enumerate(added.state.questions) if q.question_id == added.question_id)
            self._show_question()
            self.focus_notes()
        else:  # the interviewer moved on meanwhile: they stay where they are, in the new order
            self._index = ids.index(current.asked_id) if current is not None else 0
            self.header.show_position(self._index, len(ids))
        self.header.clear_notice()
        self._push(current_position=self._index)

    def _question_refused(self, card: int, exc: BaseException) -> None:
        self._adding = False
        if self._is_shown(card):
            self.header.show_notice(f"Not added: {in_words(exc)}.")

    # -- swapping for a variant -------------------------------------------------------------------------------

    def swap_variant(self) -> None:
        """Ctrl+Shift+V: offer the siblings of the question shown (its variant group's questions not in this
        loop) to ask instead, before anything is written about it."""
        ctx, state, q = self._ctx, self._state, self.current()
        if ctx is None or state is None or q is None or self.frozen or self._adding:
            return
        if self._notes.get(q.asked_id, "").strip() or self._ticks.get(q.asked_id):
            self.header.show_notice(
                f"Not swapped: “{q.title}” already has notes or ticked evidence. A variant replaces a question "
                "before anything is written about it; add the variant as another question instead (Ctrl+K)."
            )
            return
        try:
            options = variants.variant_options(ctx.db, state.id, q.asked_id, by=ctx.user_id)
        except Exception as exc:  # noqa: BLE001 - a read refused or the database away: said where they look
            self.header.show_notice(f"No variants: {in_words(exc)}.")
            return
        if not options:
            self.header.show_notice(
                f"No variant to swap to: “{q.title}” is in no variant group, or its variants are already in this loop."
            )
            return
        picker = VariantPicker(q.title, options, parent=self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        picker.sig_chosen.connect(lambda question_id: self._swap(q.asked_id, question_id))
        picker.open()

    def _swap(self, asked_id: int, question_id: str) -> None:
        ctx, state = self._ctx, self._state
        if ctx is None or state is None or self.frozen:
            return
        card, me = state.id, ctx.user_id
        self._adding = True

        def work() -> QuestionAdded:
            result = variants.swap_variant(ctx.db, card, ctx.instance_id, asked_id, question_id, by=me)
            return QuestionAdded(question_id, svc.scorecard_state(ctx.db, card, by=me), changes_of(result))

        self.write(
            work,
            lambda swapped: self._swapped(swapped, asked_id),
            failed=lambda exc: self._swap_refused(card, exc),
            busy="Swapping the question",
        )

    def _swapped(self, swapped: QuestionAdded, asked_id: int) -> None:
        self._adding = False
        if not self._is_shown(swapped.state.id) or self._state is None or self._state.locked:
            return
        current = self.current()
        self._state = swapped.state
        new = next(q for q in swapped.state.questions if q.asked_id == asked_id)
        self.header.clear_notice()
        if current is not None and current.asked_id == asked_id:
            self._show_question()
        self.host.notify(f"Now asking “{new.title}” (a variant) in place of the question planned.")

    def _swap_refused(self, card: int, exc: BaseException) -> None:
        self._adding = False
        if self._is_shown(card):
            self.header.show_notice(f"Not swapped: {in_words(exc)}.")

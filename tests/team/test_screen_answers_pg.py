"""A recruiter's screen on a team database, tried with the people's own logins (revision 0009).

The screen's answers live under the same rules as scorecards: the stage's interviewer writes them (or an
admin), the debrief lead reads them, the candidate's panel once their own scorecard is submitted (revision
0013), nobody else sees them; the database says the
same as services/screening.py. A screen stage never has a scorecard, so the lead sees the panel's
scorecards once every INTERVIEW stage has one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from interviewkit.bank.loader import load_settings
from interviewkit.services import scorecards, screening
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.errors import NotFound, PermissionDenied
from interviewkit.services.scorecards import DraftChanges, RatingState
from interviewkit.services.team import init_team
from interviewkit.storage.db import open_database
from tests.second_edition import SCREENED, World, build_world, make_second_edition

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
PASSWORD = "screen-pw"
LOGINS = {  # World field -> login
    "admin": "ik_scr_admin", "recruiter": "ik_scr_recruiter", "interviewer": "ik_scr_interviewer",
    "manager": "ik_scr_manager", "outsider": "ik_scr_outsider",
}


@dataclass
class Team:
    world: World
    server: Any
    name: str

    def login(self, who: str) -> str:
        return LOGINS[who]

    def url(self, who: str) -> str:
        return self.server.url(self.name, user=LOGINS[who], password=PASSWORD)

    def rows(self, who: str, sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(host=str(self.server.socket_dir), port=self.server.port, user=LOGINS[who],
                             password=PASSWORD, dbname=self.name, autocommit=True) as conn:
            cursor = conn.execute(sql)  # type: ignore[arg-type]
            return list(cursor.fetchall()) if cursor.description else []

    def refused(self, who: str, sql: str) -> str:
        with psycopg.connect(host=str(self.server.socket_dir), port=self.server.port, user=LOGINS[who],
                             password=PASSWORD, dbname=self.name, autocommit=True) as conn, \
                pytest.raises(psycopg.Error) as caught:
            conn.execute(sql)  # type: ignore[arg-type]
        return str(caught.value)


@pytest.fixture
def team(pg_server, make_db, mini_bank: Path) -> Iterator[Team]:  # type: ignore[no-untyped-def]
    url = make_db("screens")
    db = open_database(url)
    world = build_world(db, make_second_edition(mini_bank))
    for login in LOGINS.values():
        pg_server.execute(f"DO $$ BEGIN CREATE ROLE {login} LOGIN PASSWORD '{PASSWORD}'; "
                          "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    emails = {
        "admin": "ada.admin@example.com", "recruiter": "rui.recruiter@example.com",
        "interviewer": "ines.interviewer@example.com", "manager": "maria.manager@example.com",
        "outsider": "otto.outsider@example.com",
    }
    init_team(db, by=LOCAL_ADMIN, logins={emails[w]: login for w, login in LOGINS.items()})
    yield Team(world, pg_server, str(make_url(url).database))
    db.dispose()


def _insert(stage: int, requirement: str, answer: str = "yes") -> str:
    return ("INSERT INTO screen_answer (stage_id, requirement_id, answer, note, answered_at) "
            f"VALUES ({stage}, '{requirement}', '{answer}', '', now())")


def _submit_interview(team: Team) -> tuple[Any, dict[str, RatingState]]:
    """The interview stage's scorecard, rated 3 throughout and submitted through the interviewer's own login."""
    w = team.world
    settings = load_settings(Path(__file__).parents[2] / "question_bank")
    mine = open_database(team.url("interviewer"))
    try:
        card = scorecards.open_scorecard(mine, w.interview, w.interviewer, "laptop")
        ratings = {c.id: RatingState(3, evidence="clear") for c in card.focus}
        scorecards.save_draft(mine, card.id, "laptop", DraftChanges(ratings=ratings, recommendation="Yes",
                                                                    summary="Solid."), by=w.interviewer)
        scorecards.submit(mine, card.id, w.interviewer, settings)
    finally:
        mine.dispose()
    return card, ratings


def test_the_screens_interviewer_answers_and_the_panel_and_lead_read_nobody_else(team: Team) -> None:
    w = team.world
    team.rows("recruiter", _insert(w.screen, SCREENED[0]))
    assert team.rows("recruiter", "SELECT requirement_id, answer FROM screen_answer") == [(SCREENED[0], "yes")]
    for reader in ("manager", "admin"):  # the debrief lead, an admin
        assert team.rows(reader, "SELECT count(*) FROM screen_answer") == [(1,)], reader
    # the panel once their own scorecard is in (revision 0013: no anchoring on the screen's notes)
    assert team.rows("interviewer", "SELECT count(*) FROM screen_answer") == [(0,)]
    assert team.rows("outsider", "SELECT count(*) FROM screen_answer") == [(0,)]
    # only the screen's interviewer (or an admin) writes: the panel may read, not answer
    assert "row-level security" in team.refused("interviewer", _insert(w.screen, SCREENED[1]))
    assert "row-level security" in team.refused("outsider", _insert(w.screen, SCREENED[1]))
    with psycopg.connect(host=str(team.server.socket_dir), port=team.server.port, user=LOGINS["interviewer"],
                         password=PASSWORD, dbname=team.name, autocommit=True) as conn:
        assert conn.execute("UPDATE screen_answer SET answer = 'no'").rowcount == 0
    assert "permission denied" in team.refused("recruiter", "DELETE FROM screen_answer")
    team.rows("admin", _insert(w.screen, SCREENED[1], "unclear"))
    _submit_interview(team)
    assert team.rows("interviewer", "SELECT count(*) FROM screen_answer") == [(2,)]
    # the view of progress shows planners how far a screen is, not what it says
    assert team.rows("recruiter", f"SELECT answered FROM screen_progress WHERE stage_id = {w.screen}") == [(2,)]


def test_the_services_on_the_peoples_own_logins_say_what_the_database_says(team: Team) -> None:
    w = team.world
    recruiters = open_database(team.url("recruiter"))
    outsiders = open_database(team.url("outsider"))
    leads = open_database(team.url("manager"))
    try:
        changes = screening.record_screen_answer(recruiters, w.screen, SCREENED[0], "no", "Six years only.",
                                                 by=w.recruiter)
        assert changes.loops == {w.loop}
        seen = screening.screen_checklist(leads, w.screen, by=w.manager)
        assert [(i.answer, i.note, i.answered_by) for i in seen.items] == [
            ("no", "Six years only.", "Rui Recruiter"), (None, "", "")]
        assert not seen.may_answer
        # the outsider's login does not even see the stage (as with a loop: missing, not refused)
        with pytest.raises(NotFound, match=f"No stage with id {w.screen}"):
            screening.screen_checklist(outsiders, w.screen, by=w.outsider)
        with pytest.raises(PermissionDenied, match="only its interviewer"):
            screening.record_screen_answer(leads, w.screen, SCREENED[1], "yes", by=w.manager)
    finally:
        for db in (recruiters, outsiders, leads):
            db.dispose()


def test_the_lead_sees_every_scorecard_once_the_interview_stages_are_in(team: Team) -> None:
    """The screen stage has no scorecard; it does not keep the lead waiting (ik_lead_sees_all counts
    interview stages only)."""
    card, _ = _submit_interview(team)
    assert team.rows("manager", "SELECT id FROM scorecard") == [(card.id,)]
    assert team.rows("outsider", "SELECT id FROM scorecard") == []


def test_screening_a_candidate_does_not_hide_them_from_the_screeners_calibration(team: Team) -> None:
    """Revision 0012: a hiring manager who ran a candidate's screen (and owes no interview) still sees that
    candidate's ratings in calibration through their own login (0008's rule counted the screen as a seat on
    the panel without a submitted scorecard, and hid them)."""
    w = team.world
    _, ratings = _submit_interview(team)
    rated = len(ratings)
    count = "SELECT count(*) FROM calibration_rating"
    assert team.rows("manager", count) == [(rated,)]  # on no stage: every rating
    team.server.execute(f"UPDATE stage SET interviewer_id = {w.manager} WHERE id = {w.screen}", team.name)
    assert team.rows("manager", count) == [(rated,)]  # ran the screen: still every rating


def _stage_finish(team: Team, who: str) -> list[tuple[Any, ...]]:
    return team.rows(who, f"SELECT finished_by, finished_at IS NOT NULL FROM stage WHERE id = {team.world.screen}")


def test_the_panel_sees_through_its_own_login_that_the_screen_was_finished_not_what_it_says(team: Team) -> None:
    """Revision 0013 and the lead's decision: the finish is on the stage row the panel reads; the answers
    and notes are kept from a panel member until their own scorecard is in (ik_may_read_screen)."""
    w = team.world
    recruiters, interviewers = open_database(team.url("recruiter")), open_database(team.url("interviewer"))
    try:
        for rid in SCREENED:
            screening.record_screen_answer(recruiters, w.screen, rid, "yes", "From the call", by=w.recruiter)
        screening.finish_screen(recruiters, w.screen, by=w.recruiter)
        for who in ("interviewer", "manager", "admin", "recruiter"):
            assert _stage_finish(team, who) == [(w.recruiter, True)], who
        assert _stage_finish(team, "outsider") == []
        assert team.rows("interviewer", "SELECT count(*) FROM screen_answer") == [(0,)]
        for who in ("manager", "admin", "recruiter"):
            assert team.rows(who, "SELECT count(*) FROM screen_answer") == [(2,)], who
        early = screening.screen_checklist(interviewers, w.screen, by=w.interviewer)
        assert early.finished_by == "Rui Recruiter" and early.answers_hidden
        assert [i.answer for i in early.items] == [None, None]
        _submit_interview(team)
        assert team.rows("interviewer", "SELECT count(*) FROM screen_answer") == [(2,)]
        late = screening.screen_checklist(interviewers, w.screen, by=w.interviewer)
        assert [(i.answer, i.note) for i in late.items] == [("yes", "From the call")] * 2 and not late.answers_hidden
    finally:
        recruiters.dispose()
        interviewers.dispose()


def test_only_the_screens_interviewer_or_an_admin_finishes_it_once_and_its_answers_change_with_a_reason(
    team: Team,
) -> None:
    """The triggers of revision 0013, tried with the logins: a screen run by someone of the interviewer role
    (who may update only their own stage's interviewer and finish columns)."""
    w = team.world
    team.server.execute(f"UPDATE stage SET interviewer_id = {w.outsider} WHERE id = {w.screen}", team.name)
    for rid in SCREENED:
        team.rows("outsider", _insert(w.screen, rid))
    finish = f"UPDATE stage SET finished_at = now(), finished_by = {{by}} WHERE id = {w.screen}"
    for who, by in (("manager", w.manager), ("recruiter", w.recruiter)):  # they may plan the loop, not finish it
        assert "only the interviewer of the screen" in team.refused(who, finish.format(by=by))
    # the runner finishes it; the database's clock and the login's person, whatever the statement says
    team.rows("outsider", f"UPDATE stage SET finished_at = '2020-01-01', finished_by = {w.manager} "
                          f"WHERE id = {w.screen}")
    assert team.rows("admin", f"SELECT finished_by, finished_at > '2026-01-01' FROM stage WHERE id = {w.screen}"
                     ) == [(w.outsider, True)]
    for who in ("outsider", "admin"):  # never undone, nor its checklist changed
        assert "was finished" in team.refused(who, f"UPDATE stage SET finished_at = NULL WHERE id = {w.screen}")
    assert "was finished" in team.refused("admin", f"UPDATE stage SET checklist = '[]' WHERE id = {w.screen}")
    change = f"UPDATE screen_answer SET answer = 'no' WHERE requirement_id = '{SCREENED[0]}'"
    assert "change only by an amendment with a reason" in team.refused("outsider", change)
    assert "permission denied" in team.refused("outsider", "DELETE FROM screen_answer")
    with psycopg.connect(host=str(team.server.socket_dir), port=team.server.port, user=LOGINS["outsider"],
                         password=PASSWORD, dbname=team.name) as conn:
        conn.execute("SET LOCAL interviewkit.change_reason = 'amendment: rechecked the CV'")
        assert conn.execute(change).rowcount == 1  # type: ignore[arg-type]
    audited = ("SELECT entity_id, reason FROM audit_event WHERE entity = 'db_change' "
               "AND action = 'screen_answer changed'")
    assert team.rows("admin", audited) == [(str(w.screen), "amendment: rechecked the CV")]
    runners = open_database(team.url("outsider"))
    try:  # the service's amendment through the same login
        screening.amend_screen_answer(runners, w.screen, SCREENED[1], "unclear", "Degree abroad",
                                      reason="The diploma is foreign", by=w.outsider)
        seen = screening.screen_checklist(runners, w.screen, by=w.outsider)
        assert [i.answer for i in seen.items] == ["no", "unclear"] and seen.finished_by == "Otto Outsider"
    finally:
        runners.dispose()
    assert len(team.rows("admin", audited)) == 2

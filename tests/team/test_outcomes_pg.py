"""Outcomes of hires on a team database, tried with the people's own logins (revision 0010).

The database says what services/outcomes.py says: an admin and the lead of the candidate's opening record,
correct and delete outcomes; they and every hiring manager read them; interviewers and coordinators see
none and write none. Erasing the candidate, an admin's login deletes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from interviewkit.services import outcomes, people, privacy
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.errors import PermissionDenied
from interviewkit.services.team import init_team
from interviewkit.storage.db import open_database
from tests.second_edition import World, build_world, make_second_edition

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
PASSWORD = "outcome-pw"
LOGINS = {
    "admin": "ik_out_admin", "recruiter": "ik_out_recruiter", "interviewer": "ik_out_interviewer",
    "manager": "ik_out_manager", "outsider": "ik_out_outsider", "other": "ik_out_other",
}
EMAILS = {
    "admin": "ada.admin@example.com", "recruiter": "rui.recruiter@example.com",
    "interviewer": "ines.interviewer@example.com", "manager": "maria.manager@example.com",
    "outsider": "otto.outsider@example.com", "other": "hugo.other@example.com",
}


@dataclass
class Team:
    world: World
    other: int  # a hiring manager of no opening of this candidate
    server: Any
    name: str

    def url(self, who: str) -> str:
        return self.server.url(self.name, user=LOGINS[who], password=PASSWORD)

    def _connect(self, who: str) -> psycopg.Connection[Any]:
        return psycopg.connect(host=str(self.server.socket_dir), port=self.server.port, user=LOGINS[who],
                               password=PASSWORD, dbname=self.name, autocommit=True)

    def rows(self, who: str, sql: str) -> list[tuple[Any, ...]]:
        with self._connect(who) as conn:
            cursor = conn.execute(sql)  # type: ignore[arg-type]
            return list(cursor.fetchall()) if cursor.description else []

    def count(self, who: str, sql: str) -> int:
        with self._connect(who) as conn:
            return conn.execute(sql).rowcount  # type: ignore[arg-type]

    def refused(self, who: str, sql: str) -> str:
        with self._connect(who) as conn, pytest.raises(psycopg.Error) as caught:
            conn.execute(sql)  # type: ignore[arg-type]
        return str(caught.value)


@pytest.fixture
def team(pg_server, make_db, mini_bank: Path) -> Iterator[Team]:  # type: ignore[no-untyped-def]
    url = make_db("outcomes")
    db = open_database(url)
    world = build_world(db, make_second_edition(mini_bank))
    other = people.create_person(db, name="Hugo Other", email=EMAILS["other"], access_role="hiring_manager",
                                 by=LOCAL_ADMIN).id
    for login in LOGINS.values():
        pg_server.execute(f"DO $$ BEGIN CREATE ROLE {login} LOGIN PASSWORD '{PASSWORD}'; "
                          "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    init_team(db, by=LOCAL_ADMIN, logins={EMAILS[w]: login for w, login in LOGINS.items()})
    yield Team(world, other, pg_server, str(make_url(url).database))
    db.dispose()


def _insert(candidate: int, day: str, performance: float = 4) -> str:
    return ("INSERT INTO outcome (candidate_id, reviewed_on, performance, scale_low, scale_high, note, recorded_at) "
            f"VALUES ({candidate}, '{day}', {performance}, 1, 5, '', now())")


def test_the_lead_and_admins_write_hiring_managers_read_nobody_else_sees_a_row(team: Team) -> None:
    c = team.world.candidate
    team.rows("manager", _insert(c, "2027-06-30"))
    team.rows("admin", _insert(c, "2027-12-31", 4.5))
    for reader in ("manager", "admin", "other"):
        assert team.rows(reader, "SELECT count(*) FROM outcome") == [(2,)], reader
    for blind in ("interviewer", "recruiter", "outsider"):
        assert team.rows(blind, "SELECT count(*) FROM outcome") == [(0,)], blind
        assert "row-level security" in team.refused(blind, _insert(c, "2028-06-30")), blind
        assert team.count(blind, "UPDATE outcome SET performance = 1") == 0
        assert team.count(blind, "DELETE FROM outcome") == 0
    # a hiring manager of another opening reads, as calibration lets them, but records nothing
    assert "row-level security" in team.refused("other", _insert(c, "2028-06-30"))
    assert team.count("other", "UPDATE outcome SET performance = 1") == 0
    assert "ck_outcome_performance" in team.refused("manager", _insert(c, "2028-06-30", 7))
    assert team.count("manager", "UPDATE outcome SET performance = 3 WHERE reviewed_on = '2027-06-30'") == 1
    assert team.rows("admin", "SELECT performance FROM outcome ORDER BY reviewed_on") == [(3.0,), (4.5,)]


def test_the_services_on_the_peoples_own_logins_say_what_the_database_says(team: Team) -> None:
    w = team.world
    logins = {who: open_database(team.url(who)) for who in ("manager", "other", "outsider", "admin")}
    try:
        outcomes.record_outcome(logins["manager"], w.candidate, date(2027, 6, 30), 4.0, by=w.manager)
        assert [r.performance for r in outcomes.list_outcomes(logins["other"], by=team.other)] == [4.0]
        with pytest.raises(PermissionDenied):
            outcomes.record_outcome(logins["other"], w.candidate, date(2027, 12, 31), 3.0, by=team.other)
        with pytest.raises(PermissionDenied):
            outcomes.list_outcomes(logins["outsider"], by=w.outsider)
        assert outcomes.outcomes_for_validity(logins["outsider"], by=w.outsider) == []
        privacy.erase_candidate(logins["admin"], w.candidate, by=w.admin, reason="asked", compact_after=False)
        assert outcomes.list_outcomes(logins["admin"], by=w.admin) == ()
    finally:
        for db in logins.values():
            db.dispose()
    assert team.rows("admin", "SELECT count(*) FROM outcome") == [(0,)]

"""A team database on PostgreSQL, attacked with the people's own logins, as psql would.

The demo's panel gets logins; ``db init-team`` sets up the roles; then each person connects with their
own login and tries what issue 12 found possible: reading every scorecard, changing someone else's
ratings, erasing as an interviewer, writing, rewriting, deleting or disabling the audit trail. The rules
answered by the database must be the rules of the services (services/policy.py), row for row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from interviewkit.cli import main
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import people, policy
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.demo import create_demo
from interviewkit.services.team import init_team
from interviewkit.storage.db import Database, open_database

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)

LOGINS = {
    "amara.okafor@example.com": "ik_amara",  # an interviewer, mid-loop candidate not yet submitted
    "jose.nunez@example.com": "ik_jose",  # another interviewer
    "rita.figueiredo@example.com": "ik_rita",  # the hiring manager
    "sofia.marques@example.com": "ik_sofia",  # the admin
}
PASSWORD = "team-pw"


@dataclass
class Team:
    db: Database  # the administrator's (superuser) view
    name: str
    server: Any
    ids: dict[str, int]  # login -> person id

    def connect(self, login: str) -> psycopg.Connection[Any]:
        return psycopg.connect(host=str(self.server.socket_dir), port=self.server.port, user=login,
                               password=PASSWORD, dbname=self.name, autocommit=True)

    def url(self, login: str) -> str:
        return self.server.url(self.name, user=login, password=PASSWORD)

    def rows(self, login: str, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        with self.connect(login) as conn:
            return list(conn.execute(sql, params).fetchall())  # type: ignore[arg-type]

    def refused(self, login: str, sql: str) -> str:
        with self.connect(login) as conn, pytest.raises(psycopg.Error) as caught:
            conn.execute(sql)  # type: ignore[arg-type]
        return str(caught.value)


@pytest.fixture
def team(pg_server, make_db) -> Iterator[Team]:  # type: ignore[no-untyped-def]
    url = make_db("team", "shipped")
    db = open_database(url)
    create_demo(db, shipped_bank_dir(), by=LOCAL_ADMIN)
    for login in (*LOGINS.values(), "ik_stranger"):
        pg_server.execute(f"DO $$ BEGIN CREATE ROLE {login} LOGIN PASSWORD '{PASSWORD}'; "
                          "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    report = init_team(db, by=LOCAL_ADMIN, logins=LOGINS)
    assert {login for _, login, _ in report.logins} == set(LOGINS.values())
    emails = {p.email: p.id for p in people.people(db)}
    name = str(make_url(url).database)
    yield Team(db, name, pg_server, {login: emails[email] for email, login in LOGINS.items()})
    db.dispose()


def _expected_scorecards(team: Team, login: str) -> set[int]:
    """What services/policy.py lets this person read, over every candidate."""
    pid = team.ids[login]
    with team.db.session() as s:
        out: set[int] = set()
        for c in people.candidates(team.db, by=LOCAL_ADMIN):
            vis = policy.visibility(s, pid, c.id)
            out |= set(vis.visible) | set(vis.own)
    return out


def test_an_interviewers_own_login_reads_what_the_app_lets_her_and_nothing_more(team: Team) -> None:
    amara = "ik_amara"
    readable = {r[0] for r in team.rows(amara, "SELECT id FROM scorecard")}
    everything = {r[0] for r in team.server.execute("SELECT id FROM scorecard", team.name)}
    assert readable == _expected_scorecards(team, amara)
    assert readable < everything  # the demo's other candidates' scorecards exist; she reads none of them
    notes = {r[0] for r in team.rows(amara, "SELECT DISTINCT scorecard_id FROM asked_question")}
    ratings = {r[0] for r in team.rows(amara, "SELECT DISTINCT scorecard_id FROM rating")}
    assert notes <= readable and ratings <= readable
    with team.db.session() as s:
        candidates = policy.readable_candidate_ids(s, team.ids[amara])
    assert {r[0] for r in team.rows(amara, "SELECT id FROM candidate")} == set(candidates or ())
    # Decisions (a rationale quotes colleagues' ratings) only where she may read every scorecard.
    for (cid,) in team.rows(amara, "SELECT DISTINCT candidate_id FROM decision"):
        with team.db.session() as s:
            assert policy.visibility(s, team.ids[amara], cid).decision_visible
    # Calibration numbers only of candidates she submitted for; the views name nobody else's text.
    with team.db.session() as s:
        scope = policy.calibration_scope(s, team.ids[amara])
    cal = {r[0] for r in team.rows(amara, "SELECT DISTINCT candidate_id FROM calibration_rating")}
    assert scope.only is not None and cal == set(scope.only)


def test_nobody_changes_what_is_not_theirs(team: Team) -> None:
    theirs = team.server.execute(
        f"SELECT id FROM scorecard WHERE interviewer_id = {team.ids['ik_jose']} AND status = 'submitted' LIMIT 1",
        team.name)[0][0]
    with team.connect("ik_amara") as conn:  # rows she may not see are rows she cannot change
        assert conn.execute(f"UPDATE rating SET score = 1 WHERE scorecard_id = {theirs}").rowcount == 0
        assert conn.execute(f"UPDATE asked_question SET notes = 'x' WHERE scorecard_id = {theirs}").rowcount == 0
    assert "permission denied" in team.refused("ik_amara", "UPDATE candidate SET name = 'x'")
    assert "permission denied" in team.refused("ik_amara", f"DELETE FROM rating WHERE scorecard_id = {theirs}")
    before = team.server.execute(f"SELECT score FROM rating WHERE scorecard_id = {theirs} ORDER BY competency_id",
                                 team.name)
    assert before and all(score is not None for (score,) in before)
    assert "only an admin changes the directory" in team.refused(
        "ik_amara", "UPDATE person SET access_role = 'admin' WHERE db_login = 'ik_amara'")
    assert "row-level security" in team.refused(
        "ik_amara", "INSERT INTO decision (candidate_id, outcome, rationale, decided_by, participants, decided_at, "
        "reopen_reason) VALUES (1, 'hire', 'x', 1, '[]', now(), '')")


def test_no_login_sets_the_calibration_stamp_and_every_logins_write_moves_it(team: Team) -> None:
    """Calibration keeps every rating in memory until the stamp moves (revision 0016): a login that could
    set it back would make every open app show stale numbers. Only the triggers write it."""
    for login in ("ik_amara", "ik_sofia"):
        assert "permission denied" in team.refused(login, "UPDATE calibration_stamp SET n = 0")
        assert "permission denied" in team.refused(login, "DELETE FROM calibration_stamp")
        assert "permission denied" in team.refused(login, "INSERT INTO calibration_stamp (id, n) VALUES (2, 0)")
    (before,) = team.server.execute("SELECT n FROM calibration_stamp", team.name)[0]
    with team.connect("ik_sofia") as conn:  # the admin renames a candidate through her own login
        assert conn.execute("UPDATE candidate SET name = name || '' WHERE id = "
                            "(SELECT min(id) FROM candidate)").rowcount == 1
    (after,) = team.server.execute("SELECT n FROM calibration_stamp", team.name)[0]
    assert after == before + 1


def test_a_submitted_scorecard_changes_only_with_a_reason_and_every_change_is_audited(team: Team) -> None:
    own = team.server.execute(
        f"SELECT id FROM scorecard WHERE interviewer_id = {team.ids['ik_jose']} AND status = 'submitted' LIMIT 1",
        team.name)[0][0]
    assert "changes only by an amendment with a reason" in team.refused(
        "ik_jose", f"UPDATE rating SET score = 1 WHERE scorecard_id = {own}")
    assert "permission denied" in team.refused("ik_jose", f"DELETE FROM rating WHERE scorecard_id = {own}")
    # and even the administrator cannot delete a submitted scorecard's records by accident:
    with pytest.raises(Exception, match="never deleted"):
        team.server.execute(f"DELETE FROM rating WHERE scorecard_id = {own}", team.name)
    with team.connect("ik_jose") as conn, conn.transaction():
        conn.execute("SELECT set_config('interviewkit.change_reason', 'typo in my own rating', true)")
        assert conn.execute(f"UPDATE rating SET score = 2 WHERE scorecard_id = {own}").rowcount > 0
    trail = team.server.execute(
        f"SELECT actor_id, reason, detail::text FROM audit_event WHERE entity = 'db_change' AND entity_id = '{own}'",
        team.name)
    assert trail and trail[-1][0] == team.ids["ik_jose"] and trail[-1][1] == "typo in my own rating"
    assert '"db_login": "ik_jose"' in trail[-1][2]


@pytest.mark.parametrize("sql", [
    "INSERT INTO audit_event (at, entity, entity_id, action, reason, detail) VALUES (now(), 'x', '1', 'y', '', '{}')",
    "UPDATE audit_event SET reason = 'rewritten'",
    "DELETE FROM audit_event",
    "TRUNCATE audit_event",
    "ALTER TABLE audit_event DISABLE TRIGGER USER",
    "ALTER TABLE audit_event DISABLE ROW LEVEL SECURITY",
    "DROP TRIGGER audit_event_append_only ON audit_event",
    "SELECT ik_audit_redact(1, '', '{}')",
    "SET ROLE interviewkit_audit",
    "SET ROLE interviewkit_owner",
])
def test_the_audit_trail_cannot_be_forged_rewritten_deleted_or_disabled(team: Team, sql: str) -> None:
    count = team.server.execute("SELECT count(*) FROM audit_event", team.name)[0][0]
    for login in ("ik_amara", "ik_rita", "ik_sofia"):
        if "ik_audit_redact" in sql and login == "ik_sofia":
            continue  # an admin redacts (an erasure does); tested below
        team.refused(login, sql)
    assert team.server.execute("SELECT count(*) FROM audit_event", team.name)[0][0] == count


def test_the_command_line_acts_as_the_login_never_as_local_admin(team: Team, capsys: pytest.CaptureFixture[str],
                                                                  tmp_path) -> None:  # type: ignore[no-untyped-def]
    amara = team.url("ik_amara")
    candidate = team.server.execute("SELECT id FROM candidate ORDER BY id LIMIT 1", team.name)[0][0]
    assert main(["--db", amara, "erase", str(candidate), "--yes"]) == 2
    assert "Amara Okafor (Interviewer) may not erase" in capsys.readouterr().err
    assert main(["--db", amara, "--as", "sofia.marques@example.com", "erase", str(candidate), "--yes"]) == 2
    assert "cannot act as someone else" in capsys.readouterr().err
    assert main(["--db", amara, "db", "copy", "--from", amara, "--to", str(tmp_path / "c.sqlite")]) == 2
    assert "may not copy the database" in capsys.readouterr().err and not (tmp_path / "c.sqlite").exists()
    assert main(["--db", team.url("ik_stranger"), "export", "debrief", str(candidate), "-o",
                 str(tmp_path / "x.pdf")]) == 2
    assert "no InterviewKit role on the team database" in capsys.readouterr().err
    # The admin's own login erases, and the trail names her and her login, not a "local admin".
    assert main(["--db", team.url("ik_sofia"), "erase", str(candidate), "--yes", "--reason", "asked by them"]) == 0
    capsys.readouterr()
    (actor, detail), = team.server.execute(
        f"SELECT actor_id, detail::text FROM audit_event WHERE entity = 'candidate' AND entity_id = '{candidate}' "
        "AND action = 'erased'", team.name)
    assert actor == team.ids["ik_sofia"] and '"db_login": "ik_sofia"' in detail and "local admin" not in detail


def test_a_login_without_a_person_or_a_deactivated_person_reads_nothing(team: Team) -> None:
    assert "permission denied" in team.refused("ik_stranger", "SELECT id FROM scorecard")
    assert team.rows("ik_amara", "SELECT count(*) FROM scorecard")[0][0] > 0
    with team.connect("ik_sofia") as conn:  # the admin deactivates her in the directory
        conn.execute(f"UPDATE person SET active = false WHERE id = {team.ids['ik_amara']}")
    assert "permission denied" in team.refused("ik_amara", "SELECT id FROM scorecard")


def test_the_app_on_her_login_sees_what_the_rules_say(team: Team) -> None:
    from interviewkit.bank.loader import load_settings
    from interviewkit.services.calibration_report import calibration_report
    from interviewkit.services.debrief import debrief_candidates
    from interviewkit.services.identity import resolve_actor

    mine = open_database(team.url("ik_amara"))
    try:
        me = resolve_actor(mine, None).actor
        assert me == team.ids["ik_amara"]
        seen = {row[0] for row in debrief_candidates(mine, me)}
        assert seen == {row[0] for row in debrief_candidates(team.db, me)}  # same answer through RLS
        d = calibration_report(mine, load_settings(shipped_bank_dir()), viewer=me)
        assert d.restricted_to == "Amara Okafor"
    finally:
        mine.dispose()


def test_an_interviewer_interviews_through_her_own_login(team: Team) -> None:
    """The cockpit's writes (start, autosave, release) pass row-level security on her own login."""
    from interviewkit.services import scorecards

    mine = open_database(team.url("ik_amara"))
    try:
        amara = team.ids["ik_amara"]
        stage = team.server.execute(f"SELECT id FROM stage WHERE interviewer_id = {amara} AND id NOT IN "
                                    "(SELECT stage_id FROM scorecard)", team.name)[0][0]
        card = scorecards.open_scorecard(mine, stage, amara, "amara-laptop")
        first = card.questions[0].asked_id
        scorecards.save_draft(mine, card.id, "amara-laptop", scorecards.DraftChanges(notes={first: "Clear on PSI."}),
                              by=amara)
        scorecards.release(mine, card.id, "amara-laptop")
        assert scorecards.scorecard_state(mine, card.id, by=amara).questions[0].notes == "Clear on PSI."
        trail = team.server.execute(
            f"SELECT actor_id, action FROM audit_event WHERE entity = 'scorecard' AND entity_id = '{card.id}'",
            team.name,
        )
        assert trail == [(amara, "started")]
    finally:
        mine.dispose()


def test_imports_through_the_importers_own_logins(team: Team, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A signed scorecard file imported by the hiring manager's login, and historical ratings by the admin's,
    pass row-level security; a coordinator's CSV import is refused by the service, as the database would."""
    from interviewkit.bank.loader import load_settings
    from interviewkit.services import exchange, scorecards, signing
    from interviewkit.services.calibration import import_ratings_csv
    from interviewkit.services.errors import PermissionDenied
    from interviewkit.services.scorecards import DraftChanges, RatingState

    settings = load_settings(shipped_bank_dir())
    amara, rita, sofia = team.ids["ik_amara"], team.ids["ik_rita"], team.ids["ik_sofia"]
    # Amara's laptop: a copy of the team's database, where she interviews and exports her scorecard.
    laptop = tmp_path / "laptop.sqlite"
    assert main(["--db", team.server.url(team.name), "db", "copy", "--from", team.server.url(team.name),
                 "--to", str(laptop)]) == 0
    local = open_database(laptop)
    try:
        stage = local.engine.connect().exec_driver_sql(
            f"SELECT id FROM stage WHERE interviewer_id = {amara} AND id NOT IN (SELECT stage_id FROM scorecard)"
        ).scalar()
        card = scorecards.open_scorecard(local, stage, amara, "laptop")
        ratings = {c.id: RatingState(3, evidence="clear") for c in card.focus}
        scorecards.save_draft(local, card.id, "laptop", DraftChanges(ratings=ratings, recommendation="Yes",
                                                                     summary="Solid review."), by=amara)
        scorecards.submit(local, card.id, amara, settings)
        key, _ = signing.create_key("amara.okafor@example.com")
        signing.register_own_key(local, signing.public_key_of(key), by=amara)
        file = exchange.write_export(local, card.id, tmp_path / "amara.json", by=amara)
    finally:
        local.dispose()
    # The team's admin registered her key (after checking its fingerprint with her); Rita imports it.
    signing.set_person_key(team.db, "amara.okafor@example.com", signing.public_key_of(key), reason="checked", by=sofia)
    hers = open_database(team.url("ik_rita"))
    try:
        (result,) = exchange.import_files(hers, [file], by=rita, settings=settings)
        assert result.status == "imported", result.message
        (again,) = exchange.import_files(hers, [file], by=rita, settings=settings)
        assert again.status == "unchanged"
    finally:
        hers.dispose()
    assert team.rows("ik_amara", f"SELECT count(*) FROM rating WHERE scorecard_id = {result.scorecard_id}")[0][0] > 0
    # Historical ratings: the admin's own login imports them; a coordinator may not (it adds people).
    history = tmp_path / "history.csv"
    history.write_text("candidate,interviewer,competency,score\nc1,ann,model-serving,3\nc1,bob,model-serving,2\n")
    admins = open_database(team.url("ik_sofia"))
    try:
        assert import_ratings_csv(admins, history, settings, by=sofia).scorecards_added == 2
    finally:
        admins.dispose()
    with pytest.raises(PermissionDenied, match="may not import historical ratings"):
        import_ratings_csv(team.db, history, settings, by=team.ids["ik_rita"])

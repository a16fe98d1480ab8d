"""The rules of services/policy.py in the database itself, for logins that reach it directly (PostgreSQL).

On every backend, four views give what screens and calibration need without handing out the rows they
come from: ``scorecard_status`` (which stage has a scorecard, whose, in what state: no text),
``calibration_rating``, ``calibration_scorecard`` and ``calibration_asked`` (the numbers of submitted
scorecards). On SQLite they are plain views (the file's holder holds everything; the services filter).

On PostgreSQL:

* Functions that say who the session's login is in the directory (``ik_me``, ``ik_role``) and what the
  rules allow (``ik_sees_candidate``, ``ik_may_read_scorecard``, ``ik_decision_visible``,
  ``ik_calibration_allows``...), each SECURITY DEFINER with a fixed search_path, so that policies can ask
  them without recursing through each other's row-level security.
* Row-level security on every table that holds people's work or candidates' data, with one policy per
  command: an interviewer's own login reads and changes only what the app would let them.
  The views above filter by the same functions.
* A submitted scorecard (its row, ratings and notes) changes only inside a transaction that says why
  (``SET LOCAL interviewkit.change_reason``: an amendment, an erasure); every such change is written to
  the audit trail by a trigger, with the database login.
* The audit trail is written only through ``ik_audit_record`` and redacted only through
  ``ik_audit_redact`` (SECURITY DEFINER); ``interviewkit db init-team`` gives the table and these functions
  to a role nobody signs in as, so no app login can insert, rewrite, delete or disable its triggers.

The table owner and superusers are not subject to row-level security (the database administrator, who
migrates and sets up the team roles). ``db init-team`` (interviewkit.storage.team) creates the roles,
hands ownership over and grants each app role what it may do.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_SCORECARD_STATUS = """
CREATE VIEW scorecard_status AS
SELECT sc.id AS id, sc.stage_id AS stage_id, sc.interviewer_id AS interviewer_id, sc.status AS status,
       sc.submitted_at AS submitted_at, st.loop_id AS loop_id, l.candidate_id AS candidate_id
FROM scorecard sc
JOIN stage st ON st.id = sc.stage_id
JOIN interview_loop l ON l.id = st.loop_id
{where}
"""

_CAL_RATING = """
CREATE VIEW calibration_rating AS
SELECT r.scorecard_id AS scorecard_id, r.competency_id AS competency_id, r.score AS score,
       r.not_assessed AS not_assessed, sc.interviewer_id AS interviewer_id, l.candidate_id AS candidate_id,
       c.opening_id AS opening_id, st.scheduled_at AS scheduled_at, sc.submitted_at AS submitted_at
FROM rating r
JOIN scorecard sc ON sc.id = r.scorecard_id
JOIN stage st ON st.id = sc.stage_id
JOIN interview_loop l ON l.id = st.loop_id
JOIN candidate c ON c.id = l.candidate_id
WHERE sc.status = 'submitted' {also}
"""

_CAL_SCORECARD = """
CREATE VIEW calibration_scorecard AS
SELECT sc.id AS scorecard_id, sc.interviewer_id AS interviewer_id, sc.recommendation AS recommendation,
       st.loop_id AS loop_id, l.candidate_id AS candidate_id, c.opening_id AS opening_id,
       st.scheduled_at AS scheduled_at, sc.submitted_at AS submitted_at,
       (SELECT d.outcome FROM decision d WHERE d.candidate_id = l.candidate_id AND d.superseded_by IS NULL
        ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) AS outcome
FROM scorecard sc
JOIN stage st ON st.id = sc.stage_id
JOIN interview_loop l ON l.id = st.loop_id
JOIN candidate c ON c.id = l.candidate_id
WHERE sc.status = 'submitted' {also}
"""

_CAL_ASKED = """
CREATE VIEW calibration_asked AS
SELECT a.scorecard_id AS scorecard_id, a.question_version_id AS question_version_id
FROM asked_question a
JOIN scorecard sc ON sc.id = a.scorecard_id
JOIN stage st ON st.id = sc.stage_id
JOIN interview_loop l ON l.id = st.loop_id
WHERE sc.status = 'submitted' {also}
"""

VIEWS = ("scorecard_status", "calibration_rating", "calibration_scorecard", "calibration_asked")

# --- PostgreSQL: who the login is, and what the rules allow ------------------------------------------------

_DEFINER = "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp"

FUNCTIONS = [
    # A superuser, or a member of the schema's owner role: the database administrator.
    f"""CREATE FUNCTION ik_is_dba() RETURNS boolean {_DEFINER} AS $$
      SELECT COALESCE((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
          OR EXISTS (SELECT 1 FROM pg_roles o WHERE o.rolname = 'interviewkit_owner'
                     AND pg_has_role(session_user, o.oid, 'MEMBER'))
    $$""",
    f"""CREATE FUNCTION ik_me() RETURNS integer {_DEFINER} AS $$
      SELECT id FROM person WHERE lower(db_login) = lower(session_user::text) AND active LIMIT 1
    $$""",
    f"""CREATE FUNCTION ik_role() RETURNS text {_DEFINER} AS $$
      SELECT access_role FROM person WHERE lower(db_login) = lower(session_user::text) AND active LIMIT 1
    $$""",
    f"""CREATE FUNCTION ik_is_admin() RETURNS boolean {_DEFINER} AS $$
      SELECT COALESCE(ik_role() = 'admin', false)
    $$""",
    f"""CREATE FUNCTION ik_may_plan() RETURNS boolean {_DEFINER} AS $$
      SELECT COALESCE(ik_role() IN ('coordinator', 'hiring_manager', 'admin'), false)
    $$""",
    f"""CREATE FUNCTION ik_manages_candidates() RETURNS boolean {_DEFINER} AS $$
      SELECT COALESCE(ik_role() IN ('coordinator', 'admin'), false)
    $$""",
    f"""CREATE FUNCTION ik_imports() RETURNS boolean {_DEFINER} AS $$
      SELECT COALESCE(ik_role() IN ('coordinator', 'hiring_manager', 'admin'), false)
    $$""",
    f"""CREATE FUNCTION ik_int(p_value text) RETURNS integer {_DEFINER.replace('STABLE', 'IMMUTABLE')} AS $$
      SELECT CASE WHEN p_value ~ '^[0-9]{{1,9}}$' THEN p_value::integer END
    $$""",
    f"""CREATE FUNCTION ik_candidate_opening(p_candidate integer) RETURNS integer {_DEFINER} AS $$
      SELECT opening_id FROM candidate WHERE id = p_candidate
    $$""",
    f"""CREATE FUNCTION ik_loop_candidate(p_loop integer) RETURNS integer {_DEFINER} AS $$
      SELECT candidate_id FROM interview_loop WHERE id = p_loop
    $$""",
    f"""CREATE FUNCTION ik_stage_candidate(p_stage integer) RETURNS integer {_DEFINER} AS $$
      SELECT l.candidate_id FROM stage s JOIN interview_loop l ON l.id = s.loop_id WHERE s.id = p_stage
    $$""",
    f"""CREATE FUNCTION ik_scorecard_candidate(p_card integer) RETURNS integer {_DEFINER} AS $$
      SELECT l.candidate_id FROM scorecard sc JOIN stage s ON s.id = sc.stage_id
      JOIN interview_loop l ON l.id = s.loop_id WHERE sc.id = p_card
    $$""",
    # The opening's hiring manager (whatever their role) or an admin leads its debriefs.
    f"""CREATE FUNCTION ik_leads_opening(p_opening integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_me() IS NOT NULL AND (ik_is_admin()
          OR EXISTS (SELECT 1 FROM opening WHERE id = p_opening AND hiring_manager_id = ik_me()))
    $$""",
    f"""CREATE FUNCTION ik_on_panel(p_candidate integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_me() IS NOT NULL AND EXISTS (
          SELECT 1 FROM stage s JOIN interview_loop l ON l.id = s.loop_id
          LEFT JOIN scorecard sc ON sc.stage_id = s.id
          WHERE l.candidate_id = p_candidate AND (s.interviewer_id = ik_me() OR sc.interviewer_id = ik_me()))
    $$""",
    f"""CREATE FUNCTION ik_own_submitted(p_candidate integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_me() IS NOT NULL AND EXISTS (
          SELECT 1 FROM scorecard sc JOIN stage s ON s.id = sc.stage_id JOIN interview_loop l ON l.id = s.loop_id
          WHERE l.candidate_id = p_candidate AND sc.interviewer_id = ik_me() AND sc.status = 'submitted')
    $$""",
    f"""CREATE FUNCTION ik_sees_candidate(p_candidate integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_is_dba() OR (ik_me() IS NOT NULL AND (ik_may_plan() OR ik_manages_candidates()
          OR ik_on_panel(p_candidate) OR ik_leads_opening(ik_candidate_opening(p_candidate))))
    $$""",
    # The debrief lead sees every submitted scorecard once all are in, or after an audited override.
    f"""CREATE FUNCTION ik_lead_sees_all(p_candidate integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_leads_opening(ik_candidate_opening(p_candidate)) AND (
          EXISTS (SELECT 1 FROM audit_event WHERE entity = 'candidate' AND entity_id = p_candidate::text
                  AND action = 'override')
          OR (SELECT count(*) > 0 AND count(*) = count(sc.id) FILTER (WHERE sc.status = 'submitted')
              FROM stage s JOIN interview_loop l ON l.id = s.loop_id LEFT JOIN scorecard sc ON sc.stage_id = s.id
              WHERE l.candidate_id = p_candidate))
    $$""",
    f"""CREATE FUNCTION ik_may_read_scorecard(p_card integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_is_dba() OR EXISTS (
          SELECT 1 FROM scorecard sc WHERE sc.id = p_card AND ik_me() IS NOT NULL AND (
              sc.interviewer_id = ik_me()
              OR (sc.status = 'submitted' AND (ik_own_submitted(ik_scorecard_candidate(p_card))
                                                OR ik_lead_sees_all(ik_scorecard_candidate(p_card))))))
    $$""",
    f"""CREATE FUNCTION ik_may_write_scorecard(p_card integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_is_dba() OR (ik_me() IS NOT NULL AND (ik_is_admin()
          OR EXISTS (SELECT 1 FROM scorecard WHERE id = p_card AND interviewer_id = ik_me())))
    $$""",
    # Importers held the files they import: they may read what they imported.
    f"""CREATE FUNCTION ik_imported_card(p_card integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_imports() AND EXISTS (SELECT 1 FROM scorecard WHERE id = p_card AND imported_hash IS NOT NULL)
    $$""",
    f"""CREATE FUNCTION ik_decision_visible(p_candidate integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_is_dba() OR ik_leads_opening(ik_candidate_opening(p_candidate))
          OR (ik_on_panel(p_candidate) AND ik_own_submitted(p_candidate))
    $$""",
    # Calibration: those who see everyone's calibration get every submitted rating, except of candidates
    # whose panel they sit on without having submitted; everyone else only the candidates they submitted for.
    f"""CREATE FUNCTION ik_calibration_allows(p_candidate integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_is_dba() OR (ik_me() IS NOT NULL AND CASE
          WHEN ik_role() IN ('hiring_manager', 'admin')
              THEN ik_own_submitted(p_candidate) OR NOT ik_on_panel(p_candidate)
          ELSE ik_own_submitted(p_candidate) END)
    $$""",
]

AUDIT_FUNCTIONS = [
    # The only way into the audit trail: the actor is the login's person (the administrator may name one,
    # for history recorded by the demo or an import), and the login is recorded with every entry.
    """CREATE FUNCTION ik_audit_record(p_entity text, p_entity_id text, p_action text, p_reason text,
                                      p_detail json, p_at timestamptz, p_actor integer) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE new_id integer;
      BEGIN
        INSERT INTO audit_event (at, actor_id, entity, entity_id, action, reason, detail)
        VALUES (CASE WHEN ik_is_dba() THEN COALESCE(p_at, now()) ELSE now() END,
                CASE WHEN ik_is_dba() THEN p_actor ELSE ik_me() END,
                p_entity, p_entity_id, p_action, COALESCE(p_reason, ''),
                (COALESCE(p_detail, '{}'::json)::jsonb || jsonb_build_object('db_login', session_user::text))::json)
        RETURNING id INTO new_id;
        RETURN new_id;
      END $$""",
    # Redaction of personal data, which an erasure does: admins only, once per entry.
    """CREATE FUNCTION ik_audit_redact(p_id integer, p_reason text, p_detail json) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        IF NOT (ik_is_dba() OR ik_is_admin()) THEN
          RAISE EXCEPTION 'only an admin redacts the audit trail' USING ERRCODE = '42501';
        END IF;
        UPDATE audit_event SET reason = p_reason, detail = p_detail, redacted_at = now()
        WHERE id = p_id AND redacted_at IS NULL;
      END $$""",
]

# A submitted scorecard changes only with a reason (an amendment, an erasure), and every change is audited.
_GUARD = """
CREATE FUNCTION ik_guard_submitted() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DECLARE
    card integer;
    why text := NULLIF(current_setting('interviewkit.change_reason', true), '');
    row_ jsonb;
  BEGIN
    IF TG_TABLE_NAME = 'scorecard' THEN
      IF OLD.status <> 'submitted' THEN RETURN COALESCE(NEW, OLD); END IF;
      card := OLD.id;
    ELSE
      card := OLD.scorecard_id;
      IF NOT EXISTS (SELECT 1 FROM scorecard WHERE id = card AND status = 'submitted') THEN
        RETURN COALESCE(NEW, OLD);
      END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
      RAISE EXCEPTION 'scorecard % is submitted: its records are never deleted', card USING ERRCODE = '42501';
    END IF;
    IF why IS NULL THEN
      RAISE EXCEPTION 'scorecard % is submitted: it changes only by an amendment with a reason', card
        USING ERRCODE = '42501';
    END IF;
    row_ := to_jsonb(NEW);
    PERFORM ik_audit_record('db_change', card::text, TG_TABLE_NAME || ' changed', why,
        json_build_object('table', TG_TABLE_NAME,
                          'columns', (SELECT json_agg(key) FROM jsonb_each(row_) n
                                      WHERE n.value IS DISTINCT FROM (to_jsonb(OLD) -> n.key))),
        NULL, NULL);
    RETURN NEW;
  END $$
"""

# Who may change a person's record: admins; anyone their own signing key, once (replacing it is an admin's).
_PERSON_GUARD = """
CREATE FUNCTION ik_guard_person() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  BEGIN
    IF ik_is_dba() OR ik_is_admin() THEN RETURN COALESCE(NEW, OLD); END IF;
    IF TG_OP = 'UPDATE' THEN
      IF OLD.id = ik_me() AND OLD.public_key IS NULL
         AND (to_jsonb(NEW) - 'public_key' - 'key_set_at') = (to_jsonb(OLD) - 'public_key' - 'key_set_at') THEN
        RETURN NEW;
      END IF;
    END IF;
    RAISE EXCEPTION 'only an admin changes the directory' USING ERRCODE = '42501';
  END $$
"""

# Keep each login's team role in step with the directory (when the roles exist and may be granted).
_SYNC_LOGIN = """
CREATE FUNCTION ik_sync_login() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DECLARE
    app_role text;
    login text;
    old_login text;
    new_login text;
    new_role text;
    new_active boolean := false;
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'interviewkit_interviewer') THEN
      RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN old_login := OLD.db_login; END IF;
    IF TG_OP <> 'DELETE' THEN
      new_login := NEW.db_login; new_role := NEW.access_role; new_active := NEW.active;
    END IF;
    BEGIN
      FOREACH login IN ARRAY ARRAY[old_login, new_login] LOOP
        CONTINUE WHEN login IS NULL OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login);
        FOREACH app_role IN ARRAY ARRAY['interviewer', 'coordinator', 'hiring_manager', 'admin'] LOOP
          EXECUTE format('REVOKE %I FROM %I', 'interviewkit_' || app_role, login);
        END LOOP;
      END LOOP;
      IF new_login IS NOT NULL AND new_active AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = new_login) THEN
        EXECUTE format('GRANT %I TO %I', 'interviewkit_' || new_role, new_login);
      END IF;
    EXCEPTION WHEN insufficient_privilege OR undefined_object THEN
      RAISE NOTICE 'the database roles of % were not updated (%): run interviewkit db init-team',
        COALESCE(new_login, old_login), SQLERRM;
    END;
    RETURN NULL;
  END $$
"""

# (table, command, using, with check)
_EVERYONE = "true"
POLICIES: list[tuple[str, str, str | None, str | None]] = [
    ("person", "SELECT", _EVERYONE, None),
    ("person", "INSERT", None, "ik_is_admin()"),
    ("person", "UPDATE", "ik_is_admin() OR id = ik_me()", "ik_is_admin() OR id = ik_me()"),
    ("opening", "SELECT", _EVERYONE, None),
    ("opening", "ALL", "ik_is_admin()", "ik_is_admin()"),
    ("opening_jd", "SELECT", _EVERYONE, None),
    ("opening_jd", "ALL", "ik_is_admin()", "ik_is_admin()"),
    ("candidate", "SELECT", "ik_sees_candidate(id)", None),
    ("candidate", "INSERT", None, "ik_manages_candidates()"),
    ("candidate", "UPDATE", "ik_manages_candidates()", "ik_manages_candidates()"),
    ("interview_loop", "SELECT", "ik_sees_candidate(candidate_id)", None),
    ("interview_loop", "INSERT", None, "ik_may_plan()"),
    ("interview_loop", "UPDATE", "ik_may_plan()", "ik_may_plan()"),
    ("interview_loop", "DELETE", "ik_may_plan()", None),
    ("stage", "SELECT", "ik_sees_candidate(ik_loop_candidate(loop_id))", None),
    ("stage", "INSERT", None, "ik_may_plan()"),
    ("stage", "UPDATE", "ik_may_plan()", "ik_may_plan()"),
    ("stage", "DELETE", "ik_may_plan()", None),
    # An interviewer locks their own stage to start its scorecard (FOR UPDATE needs an UPDATE right).
    ("stage", "UPDATE", "interviewer_id = ik_me()", "interviewer_id = ik_me()"),
    ("stage_question", "SELECT", "ik_sees_candidate(ik_stage_candidate(stage_id))", None),
    ("stage_question", "INSERT", None, "ik_may_plan()"),
    ("stage_question", "UPDATE", "ik_may_plan()", "ik_may_plan()"),
    ("stage_question", "DELETE", "ik_may_plan()", None),
    # (the row's own columns first: a row being inserted is not yet there for the functions to look up)
    (
        "scorecard",
        "SELECT",
        (
            "interviewer_id = ik_me() OR (imported_hash IS NOT NULL AND ik_imports()) "
            "OR ik_is_admin() OR ik_may_read_scorecard(id)"
        ),
        None,
    ),
    (
        "scorecard",
        "INSERT",
        None,
        "interviewer_id = ik_me() OR ik_is_admin() OR (ik_imports() AND imported_hash IS NOT NULL)",
    ),
    ("scorecard", "UPDATE", "ik_may_write_scorecard(id)", "ik_may_write_scorecard(id)"),
    (
        "asked_question",
        "SELECT",
        "ik_may_read_scorecard(scorecard_id) OR ik_is_admin() OR ik_imported_card(scorecard_id)",
        None,
    ),
    ("asked_question", "INSERT", None, "ik_may_write_scorecard(scorecard_id) OR ik_imported_card(scorecard_id)"),
    ("asked_question", "UPDATE", "ik_may_write_scorecard(scorecard_id)", "ik_may_write_scorecard(scorecard_id)"),
    (
        "rating",
        "SELECT",
        "ik_may_read_scorecard(scorecard_id) OR ik_is_admin() OR ik_imported_card(scorecard_id)",
        None,
    ),
    ("rating", "INSERT", None, "ik_may_write_scorecard(scorecard_id) OR ik_imported_card(scorecard_id)"),
    ("rating", "UPDATE", "ik_may_write_scorecard(scorecard_id)", "ik_may_write_scorecard(scorecard_id)"),
    ("decision", "SELECT", "ik_decision_visible(candidate_id) OR ik_is_admin()", None),
    ("decision", "INSERT", None, "ik_leads_opening(ik_candidate_opening(candidate_id))"),
    (
        "decision",
        "UPDATE",
        "ik_leads_opening(ik_candidate_opening(candidate_id))",
        "ik_leads_opening(ik_candidate_opening(candidate_id))",
    ),
    (
        "audit_event",
        "SELECT",
        (
            "ik_is_admin() OR actor_id = ik_me()"
            " OR (entity = 'scorecard' AND ik_may_read_scorecard(ik_int(entity_id)))"
            " OR (entity = 'candidate' AND ik_decision_visible(ik_int(entity_id)))"
        ),
        None,
    ),
    ("calibration_exercise", "SELECT", _EVERYONE, None),
    ("calibration_exercise", "INSERT", None, "created_by = ik_me()"),
    (
        "calibration_exercise",
        "UPDATE",
        "created_by = ik_me() OR ik_is_admin()",
        "created_by = ik_me() OR ik_is_admin()",
    ),
    ("exercise_score", "SELECT", _EVERYONE, None),
    ("exercise_score", "INSERT", None, "interviewer_id = ik_me()"),
    ("ik_meta", "SELECT", _EVERYONE, None),
    ("ik_meta", "INSERT", None, "ik_is_admin() AND key IN ('retention_days', 'pending_rewrite')"),
    (
        "ik_meta",
        "UPDATE",
        "ik_is_admin() AND key IN ('retention_days', 'pending_rewrite')",
        "ik_is_admin() AND key IN ('retention_days', 'pending_rewrite')",
    ),
    ("import_receipt", "SELECT", "ik_imports()", None),
    ("import_receipt", "INSERT", None, "ik_imports()"),
]
BANK_TABLES = ("job_description", "requirement", "competency", "question", "question_version", "question_competency",
               "question_requirement", "loop_template", "bank_file", "question_fts")
for _table in BANK_TABLES:
    POLICIES += [(_table, "SELECT", _EVERYONE, None), (_table, "ALL", "ik_is_admin()", "ik_is_admin()")]

RLS_TABLES = tuple(dict.fromkeys(t for t, *_ in POLICIES))


def _policy_sql(table: str, command: str, using: str | None, check: str | None, n: int) -> str:
    name = f"ik_{table}_{command.lower()}_{n}"
    sql = f"CREATE POLICY {name} ON {table} FOR {command}"
    if using is not None:
        sql += f" USING ({using})"
    if check is not None:
        sql += f" WITH CHECK ({check})"
    return sql


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    pg = dialect == "postgresql"
    if pg:
        for sql in [*FUNCTIONS, *AUDIT_FUNCTIONS, _GUARD, _PERSON_GUARD, _SYNC_LOGIN]:
            op.execute(sql)
    op.execute(_SCORECARD_STATUS.format(where="WHERE ik_sees_candidate(l.candidate_id)" if pg else ""))
    also = "AND ik_calibration_allows(l.candidate_id)" if pg else ""
    for view in (_CAL_RATING, _CAL_SCORECARD, _CAL_ASKED):
        op.execute(view.format(also=also))
    if not pg:
        return
    for view in VIEWS:
        op.execute(f"ALTER VIEW {view} SET (security_barrier = true)")
    for n, (table, command, using, check) in enumerate(POLICIES):
        op.execute(_policy_sql(table, command, using, check, n))
    for table in RLS_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for table in ("scorecard", "asked_question", "rating"):
        op.execute(f"CREATE TRIGGER ik_{table}_submitted BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION ik_guard_submitted()")
    op.execute("CREATE TRIGGER ik_person_guard BEFORE UPDATE OR INSERT OR DELETE ON person "
               "FOR EACH ROW EXECUTE FUNCTION ik_guard_person()")
    op.execute("CREATE TRIGGER ik_person_login AFTER INSERT OR UPDATE OF db_login, access_role, active OR DELETE "
               "ON person FOR EACH ROW EXECUTE FUNCTION ik_sync_login()")
    # Nobody but the owner (and the roles db init-team grants) runs these.
    op.execute("REVOKE ALL ON FUNCTION ik_audit_record(text, text, text, text, json, timestamptz, integer), "
               "ik_audit_redact(integer, text, json) FROM PUBLIC")


def downgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    for view in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {view}")
    if not pg:
        return
    op.execute("DROP TRIGGER IF EXISTS ik_person_login ON person")
    op.execute("DROP TRIGGER IF EXISTS ik_person_guard ON person")
    for table in ("scorecard", "asked_question", "rating"):
        op.execute(f"DROP TRIGGER IF EXISTS ik_{table}_submitted ON {table}")
    for n, (table, command, _using, _check) in enumerate(POLICIES):
        op.execute(f"DROP POLICY IF EXISTS ik_{table}_{command.lower()}_{n} ON {table}")
    for table in RLS_TABLES:
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for fn in ("ik_sync_login()", "ik_guard_person()", "ik_guard_submitted()",
               "ik_audit_redact(integer, text, json)",
               "ik_audit_record(text, text, text, text, json, timestamptz, integer)"):
        op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    for sql in reversed(FUNCTIONS):
        name = sql.split("FUNCTION ", 1)[1].split(" RETURNS", 1)[0]
        op.execute(f"DROP FUNCTION IF EXISTS {name}")

"""A demo database: one opening, a panel of interviewers and candidates at every step of the loop.

``interviewkit demo`` calls :func:`create_demo` so that a newcomer sees every screen filled: an opening
for ML Engineering Manager, two candidates through the whole loop (one strong hire, hired; one clear no, not
hired), one with a split panel, sent for more information and then decided after a debrief, one half-way
through (a stage today, a draft in progress) and one scheduled next week. A second opening holds twelve
candidates interviewed and decided over the past months, each loop with its questions varied, a harsh, a
lenient and a drifting interviewer on every one: the history that calibration (leniency, drift, question
analytics against the decisions) needs. Two calibration exercises written by the hiring manager carry the
panel's blind scores, none of them the first interviewer's, who can try them.

Everything is written through the public services, as the app would. The content is generated from the
bank itself (question titles, follow-ups, rubric anchors) with a seeded random generator, so the same seed
and the same day give the same demo. Ratings come from a simple model: a latent ability per candidate and
competency, plus each interviewer's leniency, plus noise, rounded onto the bank's scale.

The services stamp scorecards with the time they are written: submitted scorecards carry the time the
demo ran, while their stages are scheduled in the past weeks.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from interviewkit.bank.loader import load_settings
from interviewkit.bank.model import BankSettings
from interviewkit.services import bank_queries
from interviewkit.services import debrief as debrief_service
from interviewkit.services import exercises as exercise_service
from interviewkit.services import loops as loop_service
from interviewkit.services import people as people_service
from interviewkit.services import scorecards as scorecard_service
from interviewkit.services import screening as screening_service
from interviewkit.services.access import LOCAL_ADMIN, Actor, require
from interviewkit.services.errors import ValidationFailed
from interviewkit.services.loops import StageDetail
from interviewkit.services.scorecards import AskedState, DraftChanges, RatingState
from interviewkit.storage.db import Database

__all__ = ["OPENING_TITLE", "TEMPLATE_ID", "DemoReport", "create_demo"]

OPENING_TITLE = "ML Engineering Manager (Lisbon)"
JD_IDS = ("ml-eng-manager-profile", "ml-lead-lisbon-ad")
TEMPLATE_ID = "ml-em-standard"

STRONG, NO_HIRE, SPLIT, MID_LOOP, NEXT_WEEK = "strong hire", "clear no", "split panel", "mid-loop", "next week"


@dataclass(frozen=True)
class DemoReport:
    """What the demo wrote, for the CLI to print."""

    people: int
    interviewers: int
    openings: int
    candidates: int
    loops: int
    stages: int
    submitted: int
    drafts: int
    amended: int
    scheduled_today: int
    template_id: str | None  # the loop template used, or None when the loops were built stage by stage
    today_interviewer: str  # who has a stage today
    candidate_states: tuple[tuple[str, str], ...] = ()  # (candidate, scenario)
    decisions: int = 0  # decisions recorded (a reopened one counts twice)
    earlier: tuple[int, int] = (0, 0)  # the second opening's earlier candidates: (hired, not hired)
    exercises: int = 0
    exercise_scores: int = 0
    second_template_id: str | None = None  # the second opening's loop template

    def summary(self) -> str:
        used = [t for t in dict.fromkeys((self.template_id, self.second_template_id)) if t]
        how = f"from the loop templates {' and '.join(repr(t) for t in used)}" if used else "built stage by stage"
        return (
            f"Demo created: {self.people} people ({self.interviewers} interviewers, a hiring manager and an admin), "
            f"{self.openings} opening{'s' if self.openings != 1 else ''}, {self.candidates} candidates, {self.loops} loops {how} with {self.stages} "
            f"stages; {self.submitted} scorecards submitted ({self.amended} amended), {self.drafts} draft in progress, "
            f"{self.scheduled_today} stage today for {self.today_interviewer}; {self.decisions} decisions recorded; "
            f"{self.exercises} calibration exercises with {self.exercise_scores} scores."
        )


# --- the cast ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    name: str
    email: str
    title: str
    role: str
    leniency: float | None  # None: a small random leniency
    expertise: tuple[str, ...]  # competencies they usually assess


HIRING_MANAGER = _Person(
    "Rita Figueiredo", "rita.figueiredo@example.com", "Head of Data Science and ML", "hiring_manager", 0.0,
    ("people-leadership", "hiring-team-building", "technical-strategy", "stakeholder-communication", "delivery-management"),
)
# Keeps the directory and openings, and may erase personal data; interviews no one.
ADMIN = _Person("Sofia Marques", "sofia.marques@example.com", "People Operations Lead", "admin", None, ())
INTERVIEWERS = (
    # The first interviewer has the stage scheduled today.
    _Person("Amara Okafor", "amara.okafor@example.com", "Staff ML Engineer", "interviewer", None,
            ("ml-system-design", "model-serving", "distributed-training", "ml-fundamentals", "software-quality")),
    _Person("José Ñúñez", "jose.nunez@example.com", "Principal Data Engineer", "interviewer", -0.5,  # harsh
            ("data-pipelines", "distributed-training", "cloud-infra", "software-quality", "ml-system-design")),
    _Person("王芳", "wang.fang@example.com", "Senior MLOps Engineer", "interviewer", None,
            ("mlops-cicd", "monitoring-drift", "model-governance", "cloud-infra", "model-serving")),
    _Person("Priya Raghunathan", "priya.raghunathan@example.com", "Engineering Manager, ML Platform", "interviewer", None,
            ("people-leadership", "hiring-team-building", "delivery-management", "technical-strategy", "software-quality")),
    _Person("Zoë Ørsted", "zoe.orsted@example.com", "Lead Data Scientist", "interviewer", None,
            ("ml-fundamentals", "monitoring-drift", "model-governance", "stakeholder-communication", "data-pipelines")),
    _Person("Mateus Carvalho", "mateus.carvalho@example.com", "Senior Product Manager, Credit Risk", "interviewer", 0.5,  # lenient
            ("stakeholder-communication", "delivery-management", "technical-strategy", "model-governance")),
    _Person("Kwame Asante", "kwame.asante@example.com", "Senior ML Engineer", "interviewer", None,
            ("model-serving", "mlops-cicd", "cloud-infra", "software-quality", "monitoring-drift")),
)


@dataclass(frozen=True)
class _Candidate:
    name: str
    email: str
    phone: str
    scenario: str
    base: float  # latent ability, on a 1..4 scale
    offsets: dict[str, float] = field(default_factory=dict)  # per competency


_TECHNICAL = ("ml-system-design", "model-serving", "monitoring-drift", "data-pipelines", "distributed-training",
              "cloud-infra", "mlops-cicd", "ml-fundamentals", "software-quality")
CANDIDATES = (
    _Candidate("Helena Vasconcelos", "helena.vasconcelos@example.net", "", STRONG, 3.35,
               {"people-leadership": 0.35, "model-serving": 0.3, "delivery-management": 0.2, "cloud-infra": -0.45}),
    _Candidate("Marcus Lindqvist", "marcus.lindqvist@example.net", "", NO_HIRE, 1.8,
               {"ml-fundamentals": 0.8, "software-quality": 0.4, "people-leadership": -0.3, "stakeholder-communication": -0.2}),
    _Candidate("Aisha Rahman", "aisha.rahman@example.net", "", SPLIT, 2.7,
               {**dict.fromkeys(_TECHNICAL, 0.75), "people-leadership": -0.7, "hiring-team-building": -0.6,
                "stakeholder-communication": -0.35, "delivery-management": -0.4, "model-governance": -0.1}),
    _Candidate("Tomasz Nowak", "tomasz.nowak@example.net", "", MID_LOOP, 2.95,
               {"mlops-cicd": 0.4, "monitoring-drift": 0.3, "hiring-team-building": -0.4}),
    _Candidate("Kenji Watanabe", "kenji.watanabe@example.net", "", NEXT_WEEK, 3.0, {}),
)

# A loop built stage by stage when the bank has no 'ml-em-standard' template. Questions missing from the
# bank are skipped and the stage is topped up with bank questions on its focus.
_HAND_LOOP = (
    ("Hiring manager screen", 45, ("people-leadership", "technical-strategy", "stakeholder-communication"),
     ("formative-experience-in-leading-ml-engineers", "ml-roadmap-with-product-manager",
      "technical-depth-vs-people-management")),
    ("ML system design", 60, ("ml-system-design", "model-serving", "cloud-infra"),
     ("realtime-batch-fraud-scoring-gcp", "model-api-latency-slo-miss")),
    ("MLOps and production quality", 60, ("mlops-cicd", "monitoring-drift", "model-governance", "software-quality"),
     ("ml-cicd-pipeline-you-built", "drift-incident-retraining", "model-rollback-decision", "ml-system-testing-strategy")),
    ("Data and ML foundations", 45, ("ml-fundamentals", "data-pipelines", "distributed-training"),
     ("offline-online-metric-gap", "point-in-time-feature-consistency", "gpu-training-utilisation-improvement")),
    ("People leadership and hiring", 60, ("people-leadership", "hiring-team-building", "technical-strategy"),
     ("hard-feedback-to-strong-engineer", "underperformer-turnaround-ml-engineer", "first-ml-hires-interview-loop",
      "ml-engineer-career-growth")),
    ("Delivery and stakeholders", 45, ("delivery-management", "stakeholder-communication"),
     ("ml-delivery-slip-stakeholder-news", "ml-estimate-before-feasibility-known",
      "explaining-ml-limits-to-business-stakeholder")),
)

# --- words -------------------------------------------------------------------------------------------
# Per competency: concrete details (with numbers), what candidates said (strong and weak answers), and
# evidence sentences (strong and weak). Placeholders are filled by _numbers().

_TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "ml-system-design": {
        "detail_lo": ("Could not size it: guessed '{k}k requests a day, maybe more'",
                      "No latency budget until prompted, then '{ms_hi} ms should be fine'"),
        "detail": ("Sized it at ~{k}k decisions a day with a {ms} ms budget for the online path",
                   "{n} upstream sources; nightly batch path plus an online refresh every {mins} min",
                   "Planned for {pct}% yearly growth and a {hours} h recovery target"),
        "hi": ("Before any boxes, I ask what the decision is worth and how late it can be.",
               "The batch path stays the fallback; the online path is an optimisation, not the source of truth.",
               "I drew the failure modes first: what happens when the feature store is down.",
               "We picked the boring option because the on-call team could actually run it."),
        "lo": ("I'd probably put it all on Kubernetes and see how it behaves.",
               "The architecture was mostly decided before I joined."),
        "ev_hi": ("Started from the decision and its latency budget, compared two designs with numbers and planned the fallback path.",
                  "Clear end-to-end design with explicit trade-offs; covered failure and rollback without prompting."),
        "ev_lo": ("Jumped to components before the requirements; trade-offs were named but not weighed.",
                  "The design stayed at box level: no numbers for volume or latency and no failure handling."),
    },
    "model-serving": {
        "detail_lo": ("Knew only the average latency (~{ms} ms); p99 unknown",
                      "Scaled out to {n} replicas without finding the cause"),
        "detail": ("p99 {ms_hi} ms → {ms} ms at ~{k}0 requests/s",
                   "{n} replicas on two GPU node pools; cost per 1k predictions down {pct}%",
                   "Cold starts added ~{ms} ms; fixed with a minimum of {n} warm replicas"),
        "hi": ("p99 was the number that mattered; the average looked fine the whole time.",
               "Batching bought us throughput but cost us at the tail, and we agreed that with the calling team.",
               "We load-test at twice the peak before every release now."),
        "lo": ("We added more pods and it went away.",
               "I don't remember the latency numbers, the SRE team had them."),
        "ev_hi": ("Owned a serving path in production and quoted tail latency and cost before and after the change.",
                  "Explained why batching and right-sizing helped and what they cost at the tail."),
        "ev_lo": ("Serving knowledge is second-hand: no percentiles, and the fix was more replicas.",
                  "Described the serving stack but not a change they drove or measured."),
    },
    "monitoring-drift": {
        "detail_lo": ("Retrains every {weeks} weeks regardless; no drift metric",
                      "Found out from a business report {days} days later"),
        "detail": ("{k} input features monitored; PSI alert at 0.2",
                   "Alerts cut from ~{big} a week to {n}",
                   "Labels arrive after ~{days} days; retraining is gated on that window"),
        "hi": ("Input drift alone told us nothing; we acted when the delayed labels confirmed it.",
               "We cut the alerts to the few that someone would actually act on.",
               "Retraining has to beat the champion on last month's data or it doesn't ship."),
        "lo": ("We retrained every month anyway, so drift wasn't really an issue.",
               "The dashboards were there, but nobody looked at them."),
        "ev_hi": ("Monitors inputs, outputs and delayed labels with thresholds they chose; retraining is gated.",
                  "Gave a real incident caught by monitoring and what was automated afterwards."),
        "ev_lo": ("Relies on scheduled retraining; could not say what would alert them to drift.",
                  "Dashboards exist but have no thresholds or owner; the incident was found by the business."),
    },
    "data-pipelines": {
        "detail_lo": ("Bad data reached the model for {days} days before anyone noticed",
                      "No validation step: '{pct}% of rows had nulls, we dropped them'"),
        "detail": ("~{n} TB a day through Dataflow into BigQuery",
                   "{n} data contracts with upstream teams; {pct}% fewer data incidents",
                   "Backfill of {weeks} weeks of history took {hours} h"),
        "hi": ("The fix was a data contract with the upstream team, not another check on our side.",
               "Same feature code for training and serving; that was the rule from day one.",
               "We join everything point-in-time now; the leakage we had before cost us a quarter."),
        "lo": ("The data engineers handled the pipelines, so I can't say much about them.",
               "We found the bad data when the business complained."),
        "ev_hi": ("Prevents training/serving skew by design and introduced data contracts upstream.",
                  "Knows the volumes and the tooling, and has stopped bad data with validation."),
        "ev_lo": ("Pipelines were owned by others; little evidence of data-quality practice.",
                  "Aware of skew in principle, with no example of preventing it."),
    },
    "distributed-training": {
        "detail_lo": ("Training takes '{hours_big} hours or so'; never profiled",
                      "Moved to {n} GPUs; utilisation unknown"),
        "detail": ("GPU utilisation {small_pct}% → {big_pct}%",
                   "Training time {hours_big} h → {hours_small} h on {n} GPUs",
                   "Spark job over ~{n} TB with {k}0 executors"),
        "hi": ("Utilisation was low because the input pipeline starved the GPUs, not because of the model.",
               "We went data-parallel because the model fit in memory; sharding would have been complexity for nothing.",
               "I looked at the cost per training run, not only the wall time."),
        "lo": ("We just asked for bigger machines.",
               "Spark was set up by someone else; I mostly used it as it was."),
        "ev_hi": ("Profiled a real bottleneck and fixed the input pipeline; knows the utilisation and cost figures.",
                  "Chose the parallelism strategy from the model and data size, with reasons."),
        "ev_lo": ("Scaling meant bigger machines; no profiling evidence.",
                  "Uses Spark as a user only; could not reason about partitioning or cost."),
    },
    "cloud-infra": {
        "detail_lo": ("{n} environments built by hand in the console",
                      "Could not say what the monthly cloud bill was"),
        "detail": ("{k} Terraform modules across {n} GCP projects",
                   "GKE node pools with {n2} GPU types, autoscaling from 0 to {k}",
                   "Monthly bill ~€{eur}k, {pct}% of it idle GPUs"),
        "hi": ("If it's not in the Terraform repo, it doesn't exist.",
               "Vertex was cheaper for us to run, even though GKE was cheaper on paper.",
               "Resource limits on the inference pods were the first thing I changed."),
        "lo": ("I'm more of a Python person; infrastructure was the platform team's.",
               "We clicked it together in the console at first and never went back."),
        "ev_hi": ("Environments in Terraform, reviewed and reproducible; sensible Kubernetes limits and autoscaling for ML.",
                  "Compared managed and self-run options on cost, lock-in and operability, with examples."),
        "ev_lo": ("Infrastructure belonged to the platform team; limited hands-on depth.",
                  "Knows the services by name; trade-offs between them stayed generic."),
    },
    "mlops-cicd": {
        "detail_lo": ("Releases by hand every ~{weeks} weeks",
                      "Rollback means redeploying the old container: 'a few hours'"),
        "detail": ("Lead time from merge to production {days} days → {hours_small} h",
                   "{k} models in the registry, all with lineage to commit and data snapshot",
                   "Rollback takes ~{mins} min"),
        "hi": ("From merge to production in under an hour, and rollback is one command.",
               "Every model in the registry points back to the commit and the data snapshot.",
               "I stopped automating at the approval gate on purpose; that's where a human should look."),
        "lo": ("Deployments were manual, but they were documented.",
               "We had MLflow, though I'm not sure how much the team used it."),
        "ev_hi": ("Built a pipeline with gates and measured lead time; models are versioned with lineage and roll back in minutes.",
                  "Knows where their automation stops and why; registry and tracking are used, not just installed."),
        "ev_lo": ("Releases were largely manual, with no measured lead time.",
                  "Names the tools (MLflow, Airflow) without evidence of how the team relied on them."),
    },
    "ml-fundamentals": {
        "detail_lo": ("Quoted {big_pct}% accuracy for a fraud model; no recall figure",
                      "An offline/online gap of {pct}% left unexplained"),
        "detail": ("Recall at a fixed review capacity {small_pct}% → {small_pct_up}%",
                   "Ablation over {n} feature groups; only {n2} mattered",
                   "Offline AUC +{auc}, online flat for {weeks} weeks"),
        "hi": ("The offline gain was leakage: the feature was computed after the outcome.",
               "At 1% positives accuracy means nothing; we tuned for recall at the review team's capacity.",
               "The ablation showed the bigger model only won on one segment."),
        "lo": ("We used XGBoost because it usually works best.",
               "The data scientists chose the metric; I trusted them on that."),
        "ev_hi": ("Caught leakage in an offline result and explained it with evidence; sound metric choice for the imbalance.",
                  "Explained a modelling choice with an ablation and error analysis."),
        "ev_lo": ("Model choice by habit; metric reasoning under class imbalance was shaky.",
                  "Defers modelling judgement to the data scientists; little evidence of their own."),
    },
    "software-quality": {
        "detail_lo": ("Tests on ~{pct}% of the code, none on the features",
                      "PRs of {k}00+ lines merged with a quick look"),
        "detail": ("Test suite runs in {mins} min; {big_pct}% coverage on feature code",
                   "PRs kept under ~{k}0 lines as a team norm",
                   "{n} flaky tests quarantined and fixed in one sprint"),
        "hi": ("Tests on the data are worth more than tests on the model code.",
               "I care less about the coverage number than about which paths are covered.",
               "Review is where we teach, so I ask for small PRs that can actually be reviewed."),
        "lo": ("We didn't have time for tests on the ML parts.",
               "Code review was mostly a formality, to be honest."),
        "ev_hi": ("Testing layered by risk (data, model, integration), and a review standard the team follows.",
                  "A concrete refactoring that made the ML code easier to change, with its effect."),
        "ev_lo": ("Testing of ML code is thin and put down to time pressure.",
                  "Describes code review as a formality; no standard they set."),
    },
    "people-leadership": {
        "detail_lo": ("One-to-ones 'every {weeks} weeks or so'",
                      "Feedback given {months} months after the issue"),
        "detail": ("Team of {n}; {n2} promoted in the last 18 months",
                   "Regretted attrition: {n2} in {years} years",
                   "Weekly one-to-ones and a growth plan per engineer, reviewed quarterly"),
        "hi": ("I told them the same week, in private, with the specific review comments in front of us.",
               "My job in one-to-ones is mostly to listen and then remove one blocker.",
               "Both promotions came from stretch projects we planned a year ahead."),
        "lo": ("I waited for the annual review to bring it up.",
               "People mostly managed themselves, which worked well."),
        "ev_hi": ("Grew specific people through planned stretch work, with outcomes; handled under-performance promptly and fairly.",
                  "Timely, specific feedback followed up in one-to-ones; knows the team's engagement and acted on it."),
        "ev_lo": ("Feedback comes late and stays general; under-performance was left to the annual review.",
                  "Little evidence of actively developing people; the examples are about the work, not the team."),
    },
    "hiring-team-building": {
        "detail_lo": ("Hired {n} people without a structured interview",
                      "No onboarding plan; first deploy 'after a couple of months'"),
        "detail": ("Hired {n} engineers in {months} months",
                   "Time from start to first production deploy: {days} days",
                   "{n} interviewers trained on the rubric, calibration every quarter"),
        "hi": ("Every interviewer gets the rubric before the loop, and we calibrate after every few hires.",
               "I hired the second senior before the third junior, on purpose.",
               "Our onboarding target is a production deploy in the first two weeks."),
        "lo": ("I mostly go with my gut in interviews.",
               "HR runs the process; I join for the last round."),
        "ev_hi": ("Built a team from a plan for roles and seniority; runs structured, calibrated interviews.",
                  "Measures time to hire and time to first deploy, and changed onboarding because of it."),
        "ev_lo": ("Hiring by gut feel, without structure or calibration.",
                  "Limited hiring experience; relies on HR for the process."),
    },
    "delivery-management": {
        "detail_lo": ("A {weeks}-week slip surfaced at the deadline",
                      "No estimate given: 'ML takes as long as it takes'"),
        "detail": ("{n} initiatives in parallel, {n2} stopped on purpose",
                   "Slip of {weeks} weeks, flagged {weeks2} weeks ahead of the date",
                   "Feasibility spike time-boxed to {days} days"),
        "hi": ("We time-boxed the feasibility spike, then decided go or no-go with the product lead.",
               "I track lead time and predictability, not story points.",
               "When it slipped, I had a cut-scope option ready the same day."),
        "lo": ("ML is research, so we don't really do estimates.",
               "The project manager kept the plan; I focused on the tech."),
        "ev_hi": ("Estimates uncertain work with time-boxed spikes and stage gates; measures lead time and predictability.",
                  "Saw a slip early, came with options and changed the planning practice afterwards."),
        "ev_lo": ("No approach to estimating ML work beyond 'it's research'.",
                  "Delivery tracking left to a project manager; little ownership of dates."),
    },
    "stakeholder-communication": {
        "detail_lo": ("Stakeholders heard of the {weeks}-week slip from another team",
                      "Explained the threshold in AUC terms to the head of credit"),
        "detail": ("Monthly steering with {n} business owners",
                   "Threshold change explained as ~{k}0 extra manual reviews a day",
                   "{n2} costed options put to the product lead"),
        "hi": ("I put it in their numbers: this threshold means more manual reviews every day.",
               "They heard about the slip from me, weeks before the date, with two options.",
               "I explain the model's limits before I explain its accuracy."),
        "lo": ("The business side didn't really understand the model, so we kept it high level.",
               "Product told us what to build and we built it."),
        "ev_hi": ("Explains ML trade-offs in the stakeholders' own numbers; reports bad news early and with options.",
                  "Resolved a conflict between teams with an agreement that held."),
        "ev_lo": ("Communication stays either technical or vague; stakeholders are informed rather than involved.",
                  "Bad news travelled late, and the examples show little adaptation to the audience."),
    },
    "technical-strategy": {
        "detail_lo": ("Adopted {n} new tools in a year, none with a trial",
                      "No view on build versus buy beyond the licence cost"),
        "detail": ("Build versus buy: ~€{eur}k a year difference",
                   "Six-week trial with {n} exit criteria agreed up front",
                   "Incidents down {pct}% after the debt paydown"),
        "hi": ("We said no to a feature store for a year, and I'd make the same call again.",
               "We trialled it on one model with exit criteria agreed before we started.",
               "The debt paydown was sold as fewer incidents, and we measured the incidents."),
        "lo": ("We adopt new tools when the team is excited about them.",
               "The roadmap came from the business; we executed it."),
        "ev_hi": ("Adopts technology with explicit criteria and small trials; ties the roadmap to business outcomes.",
                  "Paid down technical debt with a measured payoff and said no to work, with reasons."),
        "ev_lo": ("Technology choices follow the team's enthusiasm, without criteria or a trial.",
                  "The roadmap is received rather than shaped."),
    },
    "model-governance": {
        "detail_lo": ("{k} models in production, no inventory",
                      "Could not say which model version made a given decision"),
        "detail": ("{k} models in the inventory, {n2} retired last year",
                   "Approval gate takes ~{days} days from request to sign-off",
                   "Traced a declined application to data, code and model version in under {mins} min"),
        "hi": ("I can trace any decision back to the model version, the code and the data snapshot.",
               "Model cards are part of the pull request, not a document written afterwards.",
               "Retiring a model is a decision, not neglect."),
        "lo": ("Governance was the risk team's job.",
               "We kept the documentation in a wiki, more or less up to date."),
        "ev_hi": ("Governance that teams follow without heavy process: model cards, approval gates and lineage to the prediction.",
                  "Retired or rolled back a model deliberately; understands what regulators expect in lending."),
        "ev_lo": ("Sees governance as another team's job; could not trace a prediction end to end.",
                  "Documentation exists but is not part of the release."),
    },
}
_GENERIC_TOPIC = {
    "detail_lo": ("Could not put a number on the outcome", "'About {pct}%, I think'; no baseline"),
    "detail": ("Team of {n}; the work took about {weeks} weeks", "Roughly {pct}% improvement on the metric they owned"),
    "hi": ("I'd do the same again, but I'd measure it from the first week.", "The hard part was agreeing what success meant."),
    "lo": ("It mostly sorted itself out.", "I wasn't directly involved in that part."),
    "ev_hi": ("Specific, owned examples with measured outcomes.",),
    "ev_lo": ("Examples stayed general, with little of their own part in them.",),
}

# How an answer to a follow-up went, by band of the scale (weak, mixed, good, top).
_FOLLOW_UP_ANSWERS = {
    "weak": ("no real answer; went back to the general story", "could not give an example",
             "said another team handled that part", "'I'd have to check'; no specifics",
             "answered in principles only, nothing they did themselves"),
    "mixed": ("partial: described what the team did, less clear on their own part", "needed a second prompt; stayed general",
              "some substance but no numbers", "answered a slightly different question; brought back, still vague",
              "a real example, but the outcome was never measured"),
    "good": ("good answer with one concrete example", "specific after a moment's thought",
             "named the signal they used and what they did next", "reasonable and specific, mostly from the team's view",
             "clear, with the trade-off stated"),
    "top": ("specific and immediate, with numbers and who owned the fix", "owned it personally and said what they'd change next time",
            "walked through it step by step with the trade-off explicit", "gave a second example, better than the first",
            "answered before I finished asking, then went deeper unprompted"),
}
_FOLLOW_UP_LEADS = ('FU "{fu}" → {a}', 'Asked: {fu} → {a}', 'On "{fu}": {a}', 'Probe: {fu} — {a}')
_QUOTE_LEADS = ('"{q}"', 'Quote: "{q}"', 'In their words: "{q}"', 'Said: "{q}"')
_RUBRIC_LEADS = ("Rubric ≈{L}: {anchor}", "Closest anchor {L}: {anchor}", "Lands at {L} ({label}): {anchor}",
                 "→ {L}: {anchor}", "Against the rubric, a {L}: {anchor}")
_RED_FLAG_LEADS = ("Red flag, partly: {f}", "Watch: {f}", "Possible red flag: {f}")
_VAGUE_DETAIL = ("Only rough figures: {d}, \"give or take\"", "Numbers came late and were approximate ({d})",
                 "Claimed {d}, but could not say how it was measured", "Unsure of the figures: {d}?")
_OVERRUN = ("Ran ~{m} min over; cut the last follow-up", "Took {m} min longer than planned", "Over by {m} min; moved on")
_NOT_ASSESSED = ("Ran out of time before the planned question on this.",
                 "Did not come up: the examples were all about other areas; the rest of the panel covers it.",
                 "Skipped to finish the main question; left for the debrief.",
                 "Not enough signal in this stage to rate it fairly.")
_EVIDENCE_TAILS = {
    "top": ("Best signal in '{t}'.", "Above the bar throughout '{t}'.", ""),
    "good": ("One follow-up answer was thinner.", "Stopped short of the top anchor on measured outcomes.", "", "Mostly from '{t}'."),
    "mixed": ("Some evidence in '{t}', with gaps.", "Better when prompted.", ""),
    "weak": ("Little to go on in '{t}'.", ""),
}
_STRENGTH_LEADS = ("Strongest on {x}.", "Clear strengths in {x}.", "Did well on {x}.", "Best evidence was for {x}.")
_CONCERN_LEADS = ("My concern is {x}: {why}", "The main gap is {x}: {why}", "Less convinced on {x}: {why}",
                  "Weaker on {x}: {why}")
_NO_CONCERN = ("No real concerns; {x} was the least deep but still solid.", "No major gaps; I'd probe {x} a little more.")
_NO_STRENGTH = ("Nothing stood out as a strength; {x} was the best of it.", "No area reached clear evidence; closest was {x}.")
_HIGHLIGHTS = ("The answer to '{t}' was the high point.", "'{t}' gave the most signal.",
               "Most of my evidence comes from '{t}'.", "The discussion of '{t}' went furthest.")
_LOWLIGHTS = ("'{t}' was the weakest part.", "Struggled most with '{t}'.", "'{t}' stayed at the surface.")
_VERDICTS = {  # by the recommendation's place: the weakest first
    0: ("Clear gaps in the core of this stage; I would not move forward.",
        "Below the bar on most of what this stage covers.", "I don't see this working for the role as it is."),
    1: ("Not at the level this role needs yet; the gap would show in the first quarter.",
        "Leaning no: good in parts, but the gaps are in what matters most here.",
        "Close in places, but I'd want to see more before moving forward."),
    2: ("Solid for the role; the gaps are coachable and the rest of the loop can probe them.",
        "Would be a good addition; I'd support an offer.", "Meets the bar for this stage with some room to grow."),
    3: ("Raises the bar for the team; I'd be glad to have them lead it.",
        "One of the strongest I've interviewed for this kind of role.", "Exceptional on this stage; a clear yes from me."),
}
_AMEND_REASONS = (
    "Re-read my notes before the debrief: the answer to '{t}' meets the {L} anchor; I had rated it from the first, weaker part of the answer.",
    "Calibrated against the rubric after the panel sync: '{t}' did not show the evidence the {old} anchor asks for; {L} is fairer.",
)


# --- numbers and dates -------------------------------------------------------------------------------


def _numbers(rng: random.Random) -> dict[str, int | str]:
    n = rng.randint(3, 12)
    ms = rng.randint(40, 160)
    small_pct = rng.randint(30, 55)
    return {
        "big": rng.randint(20, 80), "hours_big": rng.randint(20, 96), "hours_small": rng.randint(4, 12),
        "small_pct_up": small_pct + rng.randint(4, 15), "auc": f"0.0{rng.randint(1, 4)}", "years": rng.randint(2, 5),
        "n": n, "n2": rng.randint(1, max(1, min(3, n - 1))), "k": rng.randint(2, 60), "pct": rng.randint(12, 45),
        "ms": ms, "ms_hi": ms + rng.randint(8, 40) * 10, "days": rng.randint(2, 14), "hours": rng.randint(3, 36),
        "mins": rng.randint(5, 30), "weeks": rng.randint(3, 8), "weeks2": rng.randint(1, 3), "eur": rng.randint(20, 240),
        "small_pct": small_pct, "big_pct": rng.randint(62, 92), "months": rng.randint(3, 12),
    }


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time on ``day`` in the local time zone, as an aware UTC datetime."""
    return datetime.combine(day, time(hour, minute)).astimezone().astimezone(UTC)


def _workday_back(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _workday_forward(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _onsite(day: date, stages: Sequence[StageDetail]) -> list[datetime]:
    """Stages back to back from 09:30 with 15-minute breaks, split over two working days."""
    first_day_count = math.ceil(len(stages) / 2)
    out: list[datetime] = []
    when = _local(day, 9, 30)
    lunch = False
    for i, st in enumerate(stages):
        if i == first_day_count:
            day = _workday_forward(day + timedelta(days=1))
            when, lunch = _local(day, 9, 30), False
        if not lunch and when >= _local(day, 12, 0):
            when, lunch = max(when + timedelta(minutes=45), _local(day, 13, 30)), True
        out.append(when)
        when += timedelta(minutes=st.minutes + loop_service.BREAK_MINUTES)
    return out


def _is_hiring_manager_stage(stage: StageDetail) -> bool:
    return "hiring manager" in stage.name.lower().replace("-", " ")


# --- text helpers ------------------------------------------------------------------------------------


class _Deck:
    """Draws phrases without repeating one until its pool is used up."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.left: dict[tuple[str, ...], list[str]] = {}

    def draw(self, pool: Sequence[str]) -> str:
        key = tuple(pool)
        if not self.left.get(key):
            fresh = list(pool)
            self.rng.shuffle(fresh)
            self.left[key] = fresh
        return self.left[key].pop()


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:(")
    return cut + "…"


def _anchor(text: str, limit: int = 120) -> str:
    """The first clause of a rubric anchor, shortened for a line of notes."""
    text = " ".join(text.split()).split(";")[0].rstrip(". ")
    return _shorten(text, limit)


def _first_question(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    if "?" in text:
        text = text[: text.index("?") + 1]
    return _shorten(text, limit)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


# --- the model of ratings ----------------------------------------------------------------------------


@dataclass
class _Scale:
    settings: BankSettings

    @property
    def lo(self) -> int:
        return self.settings.scale.min

    @property
    def hi(self) -> int:
        return self.settings.scale.max

    def to_scale(self, value: float) -> float:
        """A value on the 1..4 model scale, mapped onto the bank's scale."""
        return self.lo + (value - 1.0) / 3.0 * (self.hi - self.lo)

    def clip(self, value: float) -> int:
        return int(max(self.lo, min(self.hi, round(value))))

    def band(self, level: int) -> str:
        frac = (level - self.lo) / max(1, self.hi - self.lo)
        return "top" if frac >= 0.99 else "good" if frac >= 0.5 else "mixed" if frac >= 0.25 else "weak"

    def recommendation_index(self, mean: float) -> int:
        n = len(self.settings.recommendations)
        frac = (mean - self.lo) / max(1, self.hi - self.lo) - 0.05
        return max(0, min(n - 1, int(frac * n)))

    @property
    def yes_from(self) -> int:
        return len(self.settings.recommendations) // 2


@dataclass
class _Card:
    """One stage's scorecard as the demo plans it."""

    stage: StageDetail
    interviewer: int  # index into the panel
    state: str  # "submitted", "draft" or "planned"
    rated: list[str]
    values: dict[str, float] = field(default_factory=dict)  # continuous perceived ability
    scores: dict[str, int] = field(default_factory=dict)
    not_assessed: dict[str, str] = field(default_factory=dict)
    recommendation: int | None = None
    mean: float = 0.0
    scorecard_id: int = 0
    when: datetime | None = None  # when the interview was held


# --- the demo ----------------------------------------------------------------------------------------


def _check_empty(db: Database) -> None:
    if (
        people_service.people(db, include_inactive=True)
        or people_service.openings(db)
        or people_service.candidates(db, by=LOCAL_ADMIN)
        or loop_service.loops(db, by=LOCAL_ADMIN)
    ):
        raise ValidationFailed(
            [f"{db.describe()} already holds data: the demo only fills an empty database. Use --db demo.sqlite"]
        )


def _hand_plan(
    summaries: dict[str, bank_queries.QuestionSummary], competencies: set[str]
) -> list[tuple[str, int, list[str], list[str]]]:
    """The hand-built loop, adapted to the questions and competencies the bank has."""
    plan = []
    used: set[str] = set()
    for name, minutes, focus, wanted in _HAND_LOOP:
        focus_ok = [c for c in focus if c in competencies]
        if not focus_ok:
            continue
        questions = [q for q in wanted if q in summaries and q not in used]
        planned = sum(summaries[q].minutes for q in questions)
        for q in sorted(summaries.values(), key=lambda s: s.id):
            if planned >= minutes * 0.6:
                break
            if q.id not in used and q.id not in questions and set(q.competencies) & set(focus_ok) and planned + q.minutes <= minutes:
                questions.append(q.id)
                planned += q.minutes
        while questions and planned > minutes:
            planned -= summaries[questions.pop()].minutes
        if questions:
            used.update(questions)
            plan.append((name, minutes, focus_ok, questions))
    if len(plan) < 3:
        raise ValidationFailed(["The bank has too few questions for a demo loop; sync the shipped bank first"])
    return plan


class _Demo:
    def __init__(self, db: Database, bank_dir: Path, today: date, seed: int) -> None:
        self.db = db
        self.settings = load_settings(bank_dir)
        self.scale = _Scale(self.settings)
        self.today = today
        self.rng = random.Random(seed)
        self.deck = _Deck(self.rng)
        self.instance = scorecard_service.new_instance_id()
        self.competency_names = {c.id: c.name for c in bank_queries.competencies(db)}
        jds = {j.id for j in bank_queries.job_descriptions(db)}
        missing = [j for j in JD_IDS if j not in jds]
        if missing or not self.competency_names:
            raise ValidationFailed(
                [f"The database has no job description '{j}': sync the bank first ('interviewkit bank sync')" for j in missing]
                or ["The database has no competencies: sync the bank first ('interviewkit bank sync')"]
            )
        self.template = TEMPLATE_ID if any(t.id == TEMPLATE_ID for t in loop_service.loop_templates(db)) else None
        self.plan = None
        if self.template is None:
            summaries = {q.id: q for q in bank_queries.question_summaries(db)}
            self.plan = _hand_plan(summaries, set(self.competency_names))
        self.panel: list[_Person] = [*INTERVIEWERS, HIRING_MANAGER]
        self.leniency = [
            p.leniency if p.leniency is not None else round(self.rng.uniform(-0.15, 0.15), 2) for p in self.panel
        ]
        self.person_ids: list[int] = []
        self.by: Actor = LOCAL_ADMIN  # who creates the demo (create_demo sets it)
        self.counts: Counter[str] = Counter()
        self.load: Counter[int] = Counter()  # stages per interviewer so far, to spread the work
        self.screens: tuple[StageDetail, ...] = ()  # the screen stages of the loop being made
        self.finished: list[tuple[int, str, list[_Card]]] = []  # candidates through the loop, to decide on
        self.summaries: set[str] = set()  # written so far: no two scorecards say the same

    # -- people, opening, loops --

    def create_people(self) -> int:
        hm = people_service.create_person(
            self.db, name=HIRING_MANAGER.name, email=HIRING_MANAGER.email, title=HIRING_MANAGER.title,
            access_role=HIRING_MANAGER.role, by=self.by,
        )
        for p in INTERVIEWERS:
            self.person_ids.append(
                people_service.create_person(self.db, name=p.name, email=p.email, title=p.title, access_role=p.role,
                                             by=self.by).id
            )
        self.person_ids.append(hm.id)
        people_service.create_person(self.db, name=ADMIN.name, email=ADMIN.email, title=ADMIN.title,
                                     access_role=ADMIN.role, by=self.by)
        opening = people_service.create_opening(self.db, title=OPENING_TITLE, jd_ids=list(JD_IDS), hiring_manager_id=hm.id,
                                                by=self.by)
        return opening.id

    def create_loop(self, candidate_id: int, candidate_name: str) -> tuple[int, tuple[StageDetail, ...]]:
        if self.template is not None:
            loop_id = loop_service.create_loop(self.db, candidate_id, template_id=self.template, by=self.by).id
        else:
            loop_id = loop_service.create_loop(
                self.db, candidate_id, name=f"{OPENING_TITLE}: {candidate_name}", by=self.by
            ).id
            for name, minutes, focus, questions in self.plan or []:
                stage_id = loop_service.add_stage(self.db, loop_id, name=name, minutes=minutes, focus=focus, by=self.by).id
                loop_service.set_stage_plan(self.db, stage_id, questions, by=self.by)
        stages = loop_service.loop_detail(self.db, loop_id, by=self.by).stages
        self.screens = tuple(st for st in stages if st.is_screen)  # the recruiter's screen: answered, not rated
        return loop_id, tuple(st for st in stages if not st.is_screen)

    def run_screens(self, times: Sequence[datetime], states: Sequence[str]) -> None:
        """The hiring manager screened the candidate a week before the first interview; once the loop has
        started, every item of the checklist was answered yes and the screen finished (stage.finished_at)."""
        hm = self.person_ids[-1]
        when = min(times) - timedelta(days=7) if times else None
        for st in self.screens:
            loop_service.update_stage(self.db, st.id, name=st.name, minutes=st.minutes, focus=[], interviewer_id=hm,
                                      scheduled_at=when, by=self.by)
            if any(state != "planned" for state in states):
                for requirement_id in st.checklist:
                    screening_service.record_screen_answer(self.db, st.id, requirement_id, "yes",
                                                           "From the CV, confirmed on the call.", by=hm, now=when)
                finished = when + timedelta(minutes=st.minutes) if when is not None else None
                screening_service.finish_screen(self.db, st.id, by=hm, now=finished)

    def assign(self, stages: Sequence[StageDetail], forced: dict[int, int]) -> list[int]:
        """An interviewer per stage: the hiring manager for a hiring-manager stage, else the best fit."""
        out: list[int | None] = [forced.get(i) for i in range(len(stages))]
        used = {p for p in out if p is not None}
        hm = len(self.panel) - 1
        order = sorted(range(len(stages)), key=lambda i: not _is_hiring_manager_stage(stages[i]))
        for i in order:
            if out[i] is not None:
                continue
            free = [p for p in range(len(self.panel)) if p not in used] or list(range(len(self.panel)))
            if _is_hiring_manager_stage(stages[i]) and hm in free:
                choice = hm
            else:
                focus = set(stages[i].focus)
                choice = max(
                    free,
                    key=lambda p: len(focus & set(self.panel[p].expertise)) - 0.4 * self.load[p] + self.rng.random() * 1.2,
                )
            out[i] = choice
            used.add(choice)
        for p in out:
            self.load[p or 0] += 1
        return [p for p in out if p is not None]

    def today_index(self, stages: Sequence[StageDetail]) -> int:
        """Where the mid-loop candidate's stage of today sits: after two done and one in progress."""
        n = len(stages)
        return min(3, n - 2) if n >= 4 else n - 1

    def reorder_for_today(self, loop_id: int, stages: tuple[StageDetail, ...]) -> tuple[StageDetail, ...]:
        """Move the stage that best fits the first interviewer to today's place, as a coordinator would
        when reshuffling a loop around people's availability."""
        target = self.today_index(stages)
        expertise = set(INTERVIEWERS[0].expertise)
        best = max(range(len(stages)), key=lambda i: (len(expertise & set(stages[i].focus)), -abs(i - target)))
        if best == target:
            return stages
        loop_service.move_stage(self.db, stages[best].id, stages[target].position, by=self.by)
        return tuple(st for st in loop_service.loop_detail(self.db, loop_id, by=self.by).stages if not st.is_screen)

    def schedule(self, scenario: str, stages: Sequence[StageDetail]) -> tuple[list[datetime], list[str], int | None]:
        """When each stage happens and what state its scorecard is in; the index of today's stage."""
        n = len(stages)
        if scenario in (STRONG, NO_HIRE, SPLIT):
            back = {STRONG: 19, NO_HIRE: 12, SPLIT: 6}[scenario]
            return _onsite(_workday_back(self.today - timedelta(days=back)), stages), ["submitted"] * n, None
        if scenario == NEXT_WEEK:
            monday = self.today + timedelta(days=7 - self.today.weekday())
            return _onsite(monday, stages), ["planned"] * n, None
        # Mid-loop: earlier stages submitted, yesterday's still a draft, one today, the rest to come.
        today_index = self.today_index(stages)
        draft_index = today_index - 1
        times: list[datetime] = [_local(self.today, 12, 0)] * n
        states = ["planned"] * n
        times[today_index] = _local(self.today, 15, 0)
        day = self.today
        for i in range(draft_index, -1, -1):
            day = _workday_back(day - timedelta(days=1 if i == draft_index else 2))
            times[i] = _local(day, 10 if i % 2 else 14, 0)
            states[i] = "draft" if i == draft_index else "submitted"
        day = self.today
        for i in range(today_index + 1, n):
            day = _workday_forward(day + timedelta(days=1))
            times[i] = _local(day, 11 if i % 2 else 14, 0)
        return times, states, today_index

    # -- ratings --

    def abilities(self, cand: _Candidate) -> dict[str, float]:
        out = {}
        for cid in self.competency_names:
            raw = cand.base + cand.offsets.get(cid, 0.0) + self.rng.gauss(0, 0.3)
            out[cid] = self.scale.to_scale(max(1.0, min(4.0, raw)))
        return out

    def rated_competencies(self, stages: Sequence[StageDetail]) -> list[list[str]]:
        """Each stage rates its focus; if no competency is rated twice in the loop, a stage also rates a
        competency its questions touch that another stage focuses on, so that the panel can disagree."""
        rated = [list(st.focus) for st in stages]
        counts = Counter(c for st in stages for c in st.focus)
        if not any(n >= 2 for n in counts.values()):
            for i, st in enumerate(stages):
                others = {c for j, o in enumerate(stages) if j != i for c in o.focus}
                extra = [c for q in st.questions for c in q.competencies if c in others and c not in rated[i]]
                if extra:
                    rated[i].append(extra[0])
        return rated

    def rate(self, card: _Card, ability: dict[str, float], *, allow_not_assessed: bool) -> None:
        spread = 0.35 * (self.scale.hi - self.scale.lo) / 3
        lean = self.leniency[card.interviewer] * (self.scale.hi - self.scale.lo) / 3
        for cid in card.rated:
            card.values[cid] = ability[cid] + lean + self.rng.gauss(0, spread)
            card.scores[cid] = self.scale.clip(card.values[cid])
        if allow_not_assessed and len(card.rated) >= 2:
            for cid in card.rated[1:]:
                if self.rng.random() < 0.07:
                    card.not_assessed[cid] = self.deck.draw(_NOT_ASSESSED)
                    break

    def force_split(self, cards: list[_Card]) -> str:
        """Make two interviewers disagree by 2+ points on a competency they both rated; return it."""
        raters: dict[str, list[_Card]] = {}
        for c in cards:
            for cid in c.rated:
                if cid not in c.not_assessed:
                    raters.setdefault(cid, []).append(c)
        shared = [cid for cid, cs in raters.items() if len(cs) >= 2]
        if not shared:
            return ""
        soft = ("stakeholder-communication", "technical-strategy", "people-leadership", "delivery-management")
        contested = next((c for c in soft if c in shared), max(shared, key=lambda c: len(raters[c])))
        group = sorted(raters[contested], key=lambda c: self.leniency[c.interviewer] + c.values[contested])
        low, high = group[0], group[-1]
        gap = max(2, round(0.67 * (self.scale.hi - self.scale.lo)))
        mid = (low.values[contested] + high.values[contested]) / 2
        lo_score = self.scale.clip(mid - gap / 2)
        hi_score = min(self.scale.hi, lo_score + gap)
        lo_score = hi_score - gap
        low.scores[contested], high.scores[contested] = lo_score, hi_score
        low.values[contested], high.values[contested] = float(lo_score), float(hi_score)
        return contested

    def recommend(self, cards: list[_Card], scenario: str) -> None:
        for c in cards:
            scored = [s for cid, s in c.scores.items() if cid not in c.not_assessed]
            c.mean = sum(scored) / len(scored) + self.rng.gauss(0, 0.22 * (self.scale.hi - self.scale.lo) / 3)
            c.recommendation = self.scale.recommendation_index(c.mean)
        yes = self.scale.yes_from
        top = len(self.settings.recommendations) - 1
        for c in cards:
            assert c.recommendation is not None
            if scenario == STRONG:
                c.recommendation = max(c.recommendation, yes)
            elif scenario == NO_HIRE:
                c.recommendation = min(c.recommendation, yes - 1)
        if scenario == SPLIT and cards:
            ordered = sorted(cards, key=lambda c: c.mean)
            half = max(1, len(cards) // 2 - 1)
            for c in ordered[:half]:
                c.recommendation = min(c.recommendation or 0, yes - 1)
            for c in ordered[-half:]:
                c.recommendation = max(c.recommendation or 0, yes)
            ordered[-1].recommendation = max(ordered[-1].recommendation or 0, min(top, yes + 1))

    # -- words --

    def question_level(self, card: _Card, q: AskedState, ability: dict[str, float]) -> int:
        values = [card.values[c] for c in q.competencies if c in card.values and c not in card.not_assessed]
        if not values:
            values = [ability[c] for c in q.competencies if c in ability] or [sum(card.values.values()) / max(1, len(card.values))]
        return self.scale.clip(sum(values) / len(values) + self.rng.gauss(0, 0.3))

    def notes(self, q: AskedState, level: int, seconds: float) -> str:
        band = self.scale.band(level)
        strong = band in ("good", "top")
        comps = [c for c in q.competencies if c in _TOPICS] or [""]
        topic = _TOPICS.get(self.rng.choice(comps), _GENERIC_TOPIC)
        quotes = _TOPICS.get(self.rng.choice(comps), _GENERIC_TOPIC)
        lines: list[tuple[float, str]] = []  # (priority, text), in the order they are written
        numbers = _numbers(self.rng)
        if strong:
            detail = self.deck.draw(topic["detail"]).format(**numbers)
        elif band == "mixed" and self.rng.random() < 0.5:
            detail = self.deck.draw(_VAGUE_DETAIL).format(d=_lower_first(self.deck.draw(topic["detail"]).format(**numbers)))
        else:
            detail = self.deck.draw(topic["detail_lo"]).format(**numbers)
        lines.append((2.5, detail))
        if q.follow_ups:
            fu = _first_question(self.rng.choice(q.follow_ups))
            answer = self.deck.draw(_FOLLOW_UP_ANSWERS[band])
            lines.append((3.0, self.deck.draw(_FOLLOW_UP_LEADS).format(fu=fu, a=answer)))
        lines.append((2.0, self.deck.draw(_QUOTE_LEADS).format(q=self.deck.draw(quotes["hi" if strong else "lo"]))))
        if not strong and q.red_flags and self.rng.random() < (0.6 if band == "weak" else 0.3):
            flag = _lower_first(_shorten(self.rng.choice(q.red_flags), 100))
            lines.append((1.5, self.deck.draw(_RED_FLAG_LEADS).format(f=flag)))
        over = seconds / 60 - q.minutes
        if over >= 2:
            lines.append((0.5, self.deck.draw(_OVERRUN).format(m=round(over))))
        rubric = dict(q.rubric)
        observation = ""
        if level in rubric:
            observation = self.deck.draw(_RUBRIC_LEADS).format(
                L=level, label=self.settings.scale.label(level), anchor=_anchor(rubric[level])
            )
        keep = self.rng.choice((2, 3, 3, 4, 4, 5)) - (1 if observation else 0)
        ranked = sorted(range(len(lines)), key=lambda i: lines[i][0] + self.rng.uniform(0, 1.5), reverse=True)
        text = [lines[i][1] for i in sorted(ranked[:keep])]
        if observation:
            text.append(observation)
        return "\n".join(f"- {line}" for line in text)

    def evidence(self, cid: str, score: int, titles: list[str]) -> str:
        band = self.scale.band(score)
        topic = _TOPICS.get(cid, _GENERIC_TOPIC)
        sentence = self.deck.draw(topic["ev_hi" if band in ("good", "top") else "ev_lo"])
        tail = self.deck.draw(_EVIDENCE_TAILS[band])
        if "{t}" in tail and not titles:
            tail = ""
        return f"{sentence} {tail.format(t=titles[0] if titles else '')}".strip()

    def summary(self, card: _Card, questions: Sequence[AskedState], levels: dict[int, int]) -> str:
        rated = {c: s for c, s in card.scores.items() if c not in card.not_assessed}
        names = {c: _lower_first(self.competency_names.get(c, c)) for c in rated}
        ordered = sorted(rated, key=lambda c: (-rated[c], card.rated.index(c)))
        middle = (self.scale.lo + self.scale.hi) / 2
        strong = [c for c in ordered if rated[c] > middle][:2]
        weak = [c for c in reversed(ordered) if rated[c] < middle][:2]
        sentences = []
        if strong:
            sentences.append(self.deck.draw(_STRENGTH_LEADS).format(x=", as well as ".join(names[c] for c in strong)))
        else:
            sentences.append(self.deck.draw(_NO_STRENGTH).format(x=names[ordered[0]]))
        if weak:
            why = _lower_first(self.deck.draw(_TOPICS.get(weak[0], _GENERIC_TOPIC)["ev_lo"]))
            x = ", as well as ".join(names[c] for c in weak)
            sentences.append(self.deck.draw(_CONCERN_LEADS).format(x=x, why=why))
        else:
            sentences.append(self.deck.draw(_NO_CONCERN).format(x=names[ordered[-1]]))
        if questions and self.rng.random() < 0.6:
            best = max(questions, key=lambda q: levels.get(q.asked_id, 0))
            worst = min(questions, key=lambda q: levels.get(q.asked_id, 0))
            if strong or not weak:
                sentences.append(self.deck.draw(_HIGHLIGHTS).format(t=best.title))
            else:
                sentences.append(self.deck.draw(_LOWLIGHTS).format(t=worst.title))
        rec = self.settings.recommendations[card.recommendation or 0]
        place = self._verdict_place(card.recommendation or 0)
        sentences.append(f"{rec}: {_lower_first(self.deck.draw(_VERDICTS[place]))}")
        return " ".join(sentences)

    def _verdict_place(self, index: int) -> int:
        n = len(self.settings.recommendations)
        yes = self.scale.yes_from
        if index < yes:
            return 0 if index == 0 else 1
        return 3 if index == n - 1 else 2

    # -- writing scorecards --

    def write_card(self, card: _Card, ability: dict[str, float]) -> None:
        person_id = self.person_ids[card.interviewer]
        started = card.when.astimezone(UTC) if card.when is not None else None
        state = scorecard_service.open_scorecard(self.db, card.stage.id, person_id, self.instance, now=started)
        card.scorecard_id = state.id
        questions = list(state.questions)
        draft = card.state == "draft"
        asked = questions[: max(1, len(questions) // 2)] if draft else questions
        changes = DraftChanges()
        levels: dict[int, int] = {}
        elapsed = 120.0
        for q in asked:
            seconds = q.minutes * 60 * self.rng.uniform(0.75, 1.3)
            levels[q.asked_id] = self.question_level(card, q, ability)
            changes.notes[q.asked_id] = self.notes(q, levels[q.asked_id], seconds)
            changes.seconds[q.asked_id] = round(seconds)
            elapsed += seconds
        titles_of = {cid: [q.title for q in asked if cid in q.competencies] for cid in card.rated}
        for i, cid in enumerate(card.rated):
            if draft:
                if i == 0:  # rated while the interview is still fresh, evidence still to write
                    changes.ratings[cid] = RatingState(card.scores[cid])
                continue
            if cid in card.not_assessed:
                changes.ratings[cid] = RatingState(None, True, card.not_assessed[cid])
            else:
                changes.ratings[cid] = RatingState(card.scores[cid], evidence=self.evidence(cid, card.scores[cid], titles_of[cid]))
        changes.current_position = len(asked) if draft else max(0, len(questions) - 1)
        changes.elapsed_seconds = round(elapsed)
        if not draft:
            changes.recommendation = self.settings.recommendations[card.recommendation or 0]
            changes.summary = self.summary(card, asked, levels)
            for _ in range(8):  # drawn again when another scorecard says the same (likelier as the demo grows)
                if changes.summary not in self.summaries:
                    break
                changes.summary = self.summary(card, asked, levels)
            self.summaries.add(changes.summary)
        scorecard_service.save_draft(self.db, card.scorecard_id, self.instance, changes, by=person_id)
        if draft:
            scorecard_service.release(self.db, card.scorecard_id, self.instance)
            self.counts["drafts"] += 1
        else:
            # Submitted an hour or two after the interview ended, as interviewers do.
            done = started + timedelta(minutes=card.stage.minutes + self.rng.randint(20, 180)) if started else None
            scorecard_service.submit(self.db, card.scorecard_id, person_id, self.settings, now=done)
            self.counts["submitted"] += 1

    def amend_one(self, cards: list[_Card]) -> None:
        """Amend one submitted scorecard (preferably the harsh interviewer's) so the audit trail shows."""
        submitted = [c for c in cards if c.state == "submitted" and c.scorecard_id]
        if not submitted:
            return
        harsh = min(range(len(self.panel)), key=lambda p: self.leniency[p])
        card = next((c for c in submitted if c.interviewer == harsh), submitted[len(submitted) // 2])
        state = scorecard_service.scorecard_state(self.db, card.scorecard_id, by=self.person_ids[card.interviewer])
        for cid in card.rated:
            r = state.ratings.get(cid)
            if r is None or r.not_assessed or r.score is None:
                continue
            new = r.score + 1 if r.score < self.scale.hi else r.score - 1
            title = next((q.title for q in state.questions if cid in q.competencies), state.stage_name)
            reason = _AMEND_REASONS[0 if new > r.score else 1].format(t=title, L=new, old=r.score)
            note = "Re-rated after checking the rubric; see the amendment reason."
            amended_at = state.submitted_at + timedelta(days=1) if state.submitted_at else None
            scorecard_service.amend(
                self.db, card.scorecard_id, self.person_ids[card.interviewer], reason=reason,
                ratings={cid: RatingState(new, False, "", f"{r.evidence} {note}".strip())}, settings=self.settings,
                now=amended_at,
            )
            self.counts["amended"] += 1
            return

    # -- candidates --

    def run_candidate(self, cand: _Candidate, opening_id: int) -> tuple[int, int, str | None]:
        info = people_service.create_candidate(self.db, name=cand.name, opening_id=opening_id, email=cand.email,
                                               phone=cand.phone, by=self.by)
        loop_id, stages = self.create_loop(info.id, cand.name)
        if cand.scenario == MID_LOOP:
            stages = self.reorder_for_today(loop_id, stages)
        times, states, today_index = self.schedule(cand.scenario, stages)
        forced = {today_index: 0} if today_index is not None else {}
        interviewers = self.assign(stages, forced)
        for st, person, when in zip(stages, interviewers, times):
            loop_service.update_stage(
                self.db, st.id, name=st.name, minutes=st.minutes, focus=list(st.focus),
                interviewer_id=self.person_ids[person], scheduled_at=when, by=self.by,
            )
        self.run_screens(times, states)
        rated = self.rated_competencies(stages)
        ability = self.abilities(cand)
        cards = [
            _Card(st, p, s, r, when=w) for st, p, s, r, w in zip(stages, interviewers, states, rated, times)
        ]
        active = [c for c in cards if c.state != "planned"]
        for c in active:
            self.rate(c, ability, allow_not_assessed=c.state == "submitted")
        submitted = [c for c in active if c.state == "submitted"]
        if cand.scenario == SPLIT:
            self.force_split(submitted)
        self.recommend(submitted, cand.scenario)
        for c in active:
            self.write_card(c, ability)
        if cand.scenario == STRONG:
            self.amend_one(cards)
        if cand.scenario in (STRONG, NO_HIRE, SPLIT):
            self.finished.append((info.id, cand.scenario, submitted))
        today_name = self.panel[interviewers[today_index]].name if today_index is not None else None
        return len(stages) + len(self.screens), (1 if today_index is not None else 0), today_name


def create_demo(
    db: Database, bank_dir: Path, *, by: Actor, today: date | None = None, seed: int = 7, history: bool = True
) -> DemoReport:
    """Fill an empty database with the demo: openings, panel, candidates, loops, scorecards, decisions, exercises.

    Raises ValidationFailed, writing nothing, if the database already holds people, openings, candidates or
    loops, or if the bank has not been synced into it. ``today`` (default: the local date) anchors the
    schedule: past loops, a stage today, one next week. The same seed and day give the same demo.
    ``history=False`` makes the first opening's round alone, with no decision yet (for tests of deciding).
    """
    require(db, by, "administer_database")
    _check_empty(db)
    demo = _Demo(db, Path(bank_dir), today or datetime.now().astimezone().date(), seed)
    demo.by = by
    opening_id = demo.create_people()
    stages = today_count = 0
    today_interviewer = ""
    for cand in CANDIDATES:
        n, t, who = demo.run_candidate(cand, opening_id)
        stages += n
        today_count += t
        today_interviewer = who or today_interviewer
    decisions = _decide_current(demo, demo.finished) if history else 0
    outcomes: list[str] = []
    if history:
        second = people_service.create_opening(db, title=SECOND_OPENING_TITLE, jd_ids=list(JD_IDS),
                                               hiring_manager_id=demo.person_ids[-1], by=by)
        outcomes = [_past_candidate(demo, second.id, *past) for past in _HISTORY]
    exercises, exercise_scores = _exercises(demo) if history else (0, 0)
    stages += demo.counts["history_stages"]
    return DemoReport(
        people=len(demo.panel) + 1,  # and the admin
        interviewers=len(INTERVIEWERS),
        openings=2 if history else 1,
        candidates=len(CANDIDATES) + len(outcomes),
        loops=len(CANDIDATES) + len(outcomes),
        stages=stages,
        submitted=demo.counts["submitted"],
        drafts=demo.counts["drafts"],
        amended=demo.counts["amended"],
        scheduled_today=today_count,
        template_id=demo.template,
        today_interviewer=today_interviewer,
        candidate_states=tuple((c.name, c.scenario) for c in CANDIDATES),
        decisions=decisions + len(outcomes),
        earlier=(outcomes.count("hire"), len(outcomes) - outcomes.count("hire")),
        exercises=exercises,
        exercise_scores=exercise_scores,
        second_template_id=next((k.split(":", 1)[1] for k in demo.counts if k.startswith("second_template:")), None),
    )


# --- history: a second opening's decided candidates, decisions, calibration exercises ----------------------

SECOND_OPENING_TITLE = "Engineering Manager, ML Platform (Remote)"
SECOND_TEMPLATE_ID = "ml-em-compact"
HISTORY = "decided earlier"

# Candidates of the second opening, interviewed weeks ago and decided: (name, weeks ago, ability 1..4).
_HISTORY = (
    ("Lucía Fernández", 27, 3.3), ("Daniel Okoye", 25, 1.9), ("Ingrid Halvorsen", 24, 2.6),
    ("Rafael Monteiro", 22, 3.1), ("Chloé Martin", 21, 2.2), ("Emeka Nwosu", 19, 3.0),
    ("Sara Lindgren", 17, 1.8), ("Tiago Ribeiro", 15, 2.8), ("Nadia Haddad", 13, 3.4),
    ("Viktor Petrov", 11, 2.4), ("Ana Sousa", 9, 2.9), ("Jonas Weber", 7, 2.1),
)
# An interviewer whose scores drift over the months (leniency from +0.6 to -0.4): the drift chart has a story.
_DRIFTING = "Priya Raghunathan"
_HARSH, _LENIENT = "José Ñúñez", "Mateus Carvalho"
_DRIFT_FROM, _DRIFT_TO = 0.6, -0.4

# Words of the panel's own, never the notes' (an erasure treats six words shared with a candidate's notes as a quote).
_DECISION_WORDS = {
    "hire": "Hire: {yes} of {n} interviewers recommended it and the panel agreed the evidence reached the bar.",
    "no_hire": "No hire: {no} of {n} interviewers recommended against; too far below the bar in more than one area.",
}
_SPLIT_FIRST = ("More information: the panel split on people leadership (two interviewers 2 points apart). "
                "Asked for a reference call with a former report before deciding.")
_SPLIT_REOPEN = "Debrief held after the reference call: it confirmed the concerns about coaching a team through change."
_SPLIT_FINAL = ("No hire: technically the strongest of the round, but the debrief agreed that leading the team is the "
                "job; the reference call confirmed the gap in coaching and stakeholder work.")

# Reference answers for calibration exercises: (question id, agreed level, transcript, rationale).
_EXERCISES = (
    ("drift-incident-retraining", 3,
     ("Our fraud model's precision dropped over two weeks. The population stability index on the top features "
      "flagged it: an upstream team had changed how merchant categories were coded. We rolled back to the "
      "previous feature mapping the same day, then retrained on six weeks of corrected data. Afterwards I "
      "added a schema contract test between the teams and an alert on PSI above 0.2. What I would do "
      "differently: we noticed from the business metric first, the monitoring should have caught it days earlier."),
     ("Clear evidence: a real incident, the signal used, a measured response and a preventive fix; not a 4 "
      "because the retraining decision was not weighed against its cost or risk.")),
    ("struggling-lead-or-manager-in-your-org", 2,
     ("One of my leads was missing deadlines. I talked to him a few times and told him what the team expected. "
      "Eventually HR got involved and he moved to another team, which worked out better for everyone. I think "
      "I should have acted earlier."),
     ("Some evidence: the situation is real but the candidate's own coaching is vague (no plan, no measures, "
      "no follow-up); the outcome was handed to HR.")),
)
# Each exercise's scorers (by name) and their score's offset from the agreed level; Amara scores none, so
# that she can try both blind, as README suggests.
_EXERCISE_SCORES = (
    (("José Ñúñez", -1), ("王芳", 0), ("Priya Raghunathan", 0), ("Zoë Ørsted", 0), ("Mateus Carvalho", 1),
     ("Kwame Asante", 0)),
    (("José Ñúñez", 0), ("Priya Raghunathan", -1), ("Mateus Carvalho", 1), ("Kwame Asante", 1)),
)


def _varied_plan(demo: _Demo, stage: StageDetail, summaries: Sequence[bank_queries.QuestionSummary]) -> list[str]:
    """Another set of questions on the stage's focus, as interviewers vary them between candidates (so that no
    question is asked in most loops)."""
    focus = set(stage.focus)
    pool = [q for q in summaries if focus & set(q.competencies) and q.minutes <= stage.minutes * 0.7]
    demo.rng.shuffle(pool)
    plan: list[str] = []
    minutes = 0
    for q in pool:
        if minutes + q.minutes <= stage.minutes * 0.85 and q.variant_of is None:
            plan.append(q.id)
            minutes += q.minutes
        if len(plan) >= 3:
            break
    return plan or [q.question_id for q in stage.questions]


def _history_loop(demo: _Demo, candidate_id: int, name: str) -> tuple[StageDetail, ...]:
    """The candidate's loop from the compact template (else the standard one), each stage's questions varied."""
    template = demo.template
    if any(t.id == SECOND_TEMPLATE_ID for t in loop_service.loop_templates(demo.db)):
        template = SECOND_TEMPLATE_ID
    saved, demo.template = demo.template, template
    demo.counts["second_template:" + str(template)] = 1
    loop_id, stages = demo.create_loop(candidate_id, name)
    demo.template = saved
    summaries = bank_queries.question_summaries(demo.db)
    for st in stages:
        loop_service.set_stage_plan(demo.db, st.id, _varied_plan(demo, st, summaries), by=demo.by)
    return tuple(st for st in loop_service.loop_detail(demo.db, loop_id, by=demo.by).stages if not st.is_screen)


def _regulars(demo: _Demo, stages: Sequence[StageDetail]) -> dict[int, int]:
    """The harsh and the lenient interviewer sit on every earlier loop (the first and the last interview), and
    the drifting one in between, so that each has rated enough candidates for the leniency chart to flag them
    and for the drift chart to draw a trend."""
    names = [p.name for p in demo.panel]
    if len(stages) < 3 or not {_HARSH, _LENIENT, _DRIFTING} <= set(names):
        return {}
    return {0: names.index(_HARSH), 1: names.index(_DRIFTING), len(stages) - 1: names.index(_LENIENT)}


def _history_rated(stages: Sequence[StageDetail]) -> list[list[str]]:
    """Each stage rates its focus and up to two competencies of its questions that other stages focus on, so
    that most competencies of a candidate are rated by two interviewers (agreement needs pairs)."""
    rated = []
    for i, st in enumerate(stages):
        others = {c for j, o in enumerate(stages) if j != i for c in o.focus}
        extra = [c for q in st.questions for c in q.competencies if c in others and c not in st.focus]
        rated.append([*st.focus, *list(dict.fromkeys(extra))[:2]])
    return rated


def _decide(demo: _Demo, candidate_id: int, cards: list[_Card], when: datetime) -> str:
    """The hiring manager records the panel's decision: hire when most recommended yes."""
    yes = sum(1 for c in cards if (c.recommendation or 0) >= demo.scale.yes_from)
    outcome = "hire" if yes * 2 > len(cards) else "no_hire"
    panel = sorted({demo.person_ids[c.interviewer] for c in cards} | {demo.person_ids[-1]})
    debrief_service.record_decision(
        demo.db, candidate_id, demo.person_ids[-1], outcome=outcome,
        rationale=_DECISION_WORDS[outcome].format(yes=yes, no=len(cards) - yes, n=len(cards)), participants=panel,
        now=when,
    )
    return outcome


def _past_candidate(demo: _Demo, opening_id: int, name: str, weeks: int, ability: float) -> str:
    """A candidate interviewed ``weeks`` ago in the second opening, scored and decided."""
    email = name.lower().replace(" ", ".").encode("ascii", "ignore").decode() + "@example.net"
    info = people_service.create_candidate(demo.db, name=name, opening_id=opening_id, email=email, by=demo.by)
    stages = _history_loop(demo, info.id, name)
    demo.counts["history_stages"] += len(stages) + len(demo.screens)
    times = _onsite(_workday_back(demo.today - timedelta(weeks=weeks)), stages)
    states = ["submitted"] * len(stages)
    interviewers = demo.assign(stages, _regulars(demo, stages))
    for st, person, when in zip(stages, interviewers, times):
        loop_service.update_stage(demo.db, st.id, name=st.name, minutes=st.minutes, focus=list(st.focus),
                                  interviewer_id=demo.person_ids[person], scheduled_at=when, by=demo.by)
    demo.run_screens(times, states)
    ability_of = demo.abilities(_Candidate(name, email, "", HISTORY, ability))
    cards = [_Card(st, p, "submitted", r, when=w)
             for st, p, r, w in zip(stages, interviewers, _history_rated(stages), times)]
    drifting = next((i for i, p in enumerate(demo.panel) if p.name == _DRIFTING), None)
    saved = list(demo.leniency)
    if drifting is not None:  # weeks ago 27 -> _DRIFT_FROM, now -> _DRIFT_TO
        share = 1 - weeks / _HISTORY[0][1]
        demo.leniency[drifting] = round(_DRIFT_FROM + (_DRIFT_TO - _DRIFT_FROM) * share, 2)
    for c in cards:
        demo.rate(c, ability_of, allow_not_assessed=True)
    demo.leniency = saved
    demo.recommend(cards, HISTORY)
    for c in cards:
        demo.write_card(c, ability_of)
    return _decide(demo, info.id, cards, max(times) + timedelta(days=2))


def _decide_current(demo: _Demo, decided: list[tuple[int, str, list[_Card]]]) -> int:
    """Decisions on the current opening's finished candidates: the strong hire hired, the clear no not, and the
    split panel first sent for more information, then decided after a debrief (a reopened decision)."""
    count = 0
    for candidate_id, scenario, cards in decided:
        when = max(c.when for c in cards if c.when is not None) + timedelta(days=1)
        panel = sorted({demo.person_ids[c.interviewer] for c in cards} | {demo.person_ids[-1]})
        if scenario == SPLIT:
            debrief_service.record_decision(demo.db, candidate_id, demo.person_ids[-1], outcome="more_information",
                                            rationale=_SPLIT_FIRST, participants=panel, now=when)
            debrief_service.record_decision(demo.db, candidate_id, demo.person_ids[-1], outcome="no_hire",
                                            rationale=_SPLIT_FINAL, participants=panel, reopen_reason=_SPLIT_REOPEN,
                                            now=when + timedelta(days=2))
            count += 2
        else:
            _decide(demo, candidate_id, cards, when)
            count += 1
    return count


def _exercises(demo: _Demo) -> tuple[int, int]:
    """Calibration exercises written by the hiring manager and scored blind by the panel: (exercises, scores)."""
    known = {q.id for q in bank_queries.question_summaries(demo.db)}
    names = {p.name: demo.person_ids[i] for i, p in enumerate(demo.panel)}
    made = scored = 0
    for (qid, level, transcript, why), scorers in zip(_EXERCISES, _EXERCISE_SCORES):
        if qid not in known:
            continue
        agreed = demo.scale.clip(level)
        ex = exercise_service.create_exercise(demo.db, question_id=qid, transcript=transcript, agreed_score=agreed,
                                              rationale=why, created_by=demo.person_ids[-1], settings=demo.settings)
        made += 1
        for name, offset in scorers:
            exercise_service.submit_exercise_score(demo.db, ex.id, names[name], demo.scale.clip(agreed + offset),
                                                   settings=demo.settings)
            scored += 1
    return made, scored

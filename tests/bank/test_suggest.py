"""The suggestion ranker (bank/suggest.py): stems, the thesaurus and its errors, field weights, the
competency classifier learned from curated links, scores with reasons, and abstention."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from interviewkit.bank.loader import load_bank
from interviewkit.bank.model import Bank
from interviewkit.bank.suggest import (
    NO_MATCH,
    SCREEN_FACT,
    CompetencyText,
    Example,
    ExamplesError,
    Ranker,
    ThesaurusError,
    Weights,
    bank_inputs,
    load_examples,
    load_thesaurus,
    parse_thesaurus,
    question_text,
    states_cv_fact,
    stem,
    terms,
)
from interviewkit.paths import shipped_bank_dir


def test_stems_join_the_forms_of_a_word() -> None:
    for forms in (
        ("deploy", "deploys", "deployed", "deploying", "deployment"),
        ("monitor", "monitors", "monitoring", "monitored"),
        ("latency", "latencies"),
        ("optimize", "optimizing", "optimization"),
        ("ship", "shipped", "shipping"),
    ):
        assert len({stem(w) for w in forms}) == 1, forms
    assert stem("business") != stem("bus")
    assert stem("status") == "status" and stem("analysis") == "analysis"


def test_the_thesaurus_joins_synonyms_and_phrases() -> None:
    th = parse_thesaurus("- [deploy, serve, ship]\n- [machine learning, ML]\n")
    assert terms("Serving models", th)[0] == terms("deployed", th)[0] == terms("ships", th)[0]
    # A phrase is one term: its words no longer match on their own ("several machines").
    assert terms("machine learning systems", th) == [terms("ML", th)[0], "system"]
    assert terms("several machines", th) == [stem("several"), "machin"]


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("- [deploy, serve]\n- [ship, serve]\n", 2, "already in the group of line 1"),
        ("- [deploy]\n", 1, "at least two"),
        ("- [deploy, serve]\n- just text\n", 2, "at least two"),
        ("- [deploy, [a, b]]\n", 1, "a word or a phrase"),
        ("groups: 1\n", 1, "a list of groups"),
        ("- [a, b\n", 2, "not YAML"),
        ("- [deploy, '!!!']\n", 1, "has no word"),
    ],
)
def test_a_broken_thesaurus_names_file_and_line(text: str, line: int, says: str) -> None:
    with pytest.raises(ThesaurusError) as info:
        parse_thesaurus(text, "thesaurus.yaml")
    assert str(info.value).startswith(f"thesaurus.yaml:{line}: ") and says in str(info.value)


def test_the_shipped_thesaurus_loads_and_a_missing_one_is_empty(tmp_path: Path) -> None:
    th = load_thesaurus(shipped_bank_dir() / "thesaurus.yaml")
    assert len(th.words) > 100 and len(th.phrases) > 100
    assert not load_thesaurus(tmp_path / "none.yaml").words


def _shipped_ranker(bank: Bank) -> Ranker:
    """The shipped bank's ranker as ``jd suggest`` builds it: with its thesaurus and labelled examples."""
    questions, competencies, texts, screen = bank_inputs(bank)
    thesaurus = load_thesaurus(bank.root / "thesaurus.yaml")
    examples = load_examples(bank.root / "competency_examples.yaml")
    return Ranker(questions, competencies, texts, thesaurus, screen=screen, examples=examples)


def _toy_ranker() -> Ranker:
    qs = [
        question_text(
            "serve",
            "Cutting the latency of a model service",
            "Tell me about a model API whose p99 latency you reduced.",
            rubric=["Quotes latency before and after", "Explains batching"],
            competencies=["model-serving"],
            requirements=["jd.serving"],
        ),
        question_text(
            "coach",
            "Growing an engineer",
            "Tell me about an engineer you coached to the next level.",
            rubric=["Gives goals and feedback"],
            competencies=["people-leadership"],
            requirements=["jd.coaching"],
        ),
        question_text(
            "gpus",
            "A training job across several machines",
            "Tell me about distributed training on GPUs.",
            competencies=["distributed-training"],
        ),
    ]
    comps = [
        CompetencyText("model-serving", "Model deployment and serving", "Serving models with low latency."),
        CompetencyText("people-leadership", "People leadership and coaching", "Grows engineers with feedback."),
        CompetencyText("distributed-training", "Distributed training", "Training across GPUs and machines."),
    ]
    reqs = {"jd.serving": "Reduce inference latency of model serving", "jd.coaching": "Mentor and coach engineers"}
    th = parse_thesaurus("- [machine learning, ML]\n- [mentor, coach, grow]\n- [deploy, serve]\n")
    return Ranker(qs, comps, reqs, th, screen=["8+ years of experience", "A degree in computer science"])


def test_ranks_on_meaning_with_score_and_reason() -> None:
    ranker = _toy_ranker()
    ranking = ranker.rank("Mentor engineers and help them grow")
    assert [m.question_id for m in ranking.matches][:1] == ["coach"]
    best = ranking.matches[0]
    assert 0.0 < best.score <= 1.0
    assert best.reason.startswith("asks for people leadership and coaching") and "'mentor'" in best.reason
    assert ranker.rank("Own the serving path: latency of deployed models").matches[0].question_id == "serve"


def test_machine_learning_does_not_match_several_machines() -> None:
    ranking = _toy_ranker().rank("Machine learning experience")
    assert "gpus" not in [m.question_id for m in ranking.matches]


def test_abstains_when_nothing_fits() -> None:
    ranker = _toy_ranker()
    for text in ("Fluency in Spanish", "Salary 100,000", ""):
        ranking = ranker.rank(text)
        assert ranking.no_match and ranking.reason.startswith(NO_MATCH)
    screen = ranker.rank("10+ years of experience")
    assert screen.no_match and "recruiter's screen" in screen.reason


def test_the_shipped_bank_ranks_and_abstains() -> None:
    bank = load_bank(shipped_bank_dir())
    ranker = _shipped_ranker(bank)
    drift = ranker.rank("Detect data drift in production models and trigger retraining")
    assert drift.matches and {m.question_id for m in drift.matches} & {
        "drift-incident-retraining",
        "retraining-with-delayed-labels",
    }
    assert all(m.reason for m in drift.matches) and len(drift.matches) <= 3
    assert ranker.rank("Fluency in Spanish").no_match
    # the word match of before put a multi-GPU question first for "machine learning" (issue 20)
    ml = ranker.rank("Experience with machine learning in production")
    assert "multi-gpu-training-job-deep-dive" not in [m.question_id for m in ml.matches]


def test_cv_facts_go_to_the_screen_and_skills_do_not() -> None:
    """Years, degrees, certifications and spoken languages are for the recruiter's screen; a skill named in
    a screen item's words (statistics, Python, publications) is not (issue 20: both seen in the benchmark)."""
    bank = load_bank(shipped_bank_dir())
    ranker = _shipped_ranker(bank)
    for fact in (
        "A Kubernetes or cloud certification (CKA, AWS, GCP)",
        "PhD or Master's in statistics or a related field",
        "5+ years of experience in machine learning",
        "Fluency in Spanish",
    ):
        ranking = ranker.rank(fact)
        assert ranking.no_match and SCREEN_FACT in ranking.reason, fact
    for skill in ("Strong Python and either Scala or Java", "Open-source contributions or publications"):
        assert SCREEN_FACT not in ranker.rank(skill).reason, skill
    assert not states_cv_fact("Certify models for release with the model risk team")
    # the company's certification is work (round four's blind set); the candidate's is a CV fact
    assert not states_cv_fact("Work with our safety and certification team on the evidence auditors ask for")
    assert states_cv_fact("AWS certification preferred")


def test_the_bank_gaps_of_round_three_are_answered() -> None:
    """Recommender systems, forecasting and patient-data privacy got "no good match" on the benchmark's tuned-on
    job descriptions (issue 20): the bank now has questions on the first two and the thesaurus knows HIPAA
    and de-identification."""
    bank = load_bank(shipped_bank_dir())
    ranker = _shipped_ranker(bank)
    wanted = {
        "Deep expertise in recommender systems, embeddings and learning-to-rank": {
            "home-feed-recommender-design",
            "recommender-or-search-ranking-deep-dive",
            "ranking-model-offline-evaluation-bias",
        },
        "Strong foundation in statistics, time-series forecasting and machine learning": {
            "forecast-owned-in-production",
            "demand-forecast-backtest-review",
        },
        "Keep patient data safe: de-identification, access controls and HIPAA and GDPR compliance": {
            "gdpr-erasure-reuse-and-sandbox-week",
            "ml-security-threat-review-fraud-and-email-assistant",
        },
    }
    for text, fitting in wanted.items():
        ids = {m.question_id for m in ranker.rank(text).matches}
        assert ids & fitting, (text, ids)


@pytest.mark.parametrize(
    "text",
    [
        "You bring ten years of experience in data science",
        "Five or more years in ML engineering",
        "Three to five years building models in production",
        "Twenty-five years in industry",
        "Ten+ years of software engineering",
        "Two-plus years of Python",
        "A dozen years leading teams",
        "Several years of experience with Spark",
        "3-5 years of MLOps",
        "8+ years of software engineering",
    ],
)
def test_years_of_experience_in_words_or_digits_are_for_the_screen(text: str) -> None:
    """Round four: "ten years of experience" in words was not a CV fact (only digits were), so a research
    question was proposed for it (issue 20)."""
    assert states_cv_fact(text)
    ranker = _toy_ranker()  # the years rule off: the whole requirement is the screen's
    chosen, why = ranker.choose(text, weights=replace(ranker.weights, years_sure=2.0))
    assert not chosen and SCREEN_FACT in why


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("French is a plus but not required", True),
        ("Speaks German", True),
        ("Proficiency in Japanese", True),
        ("Mandarin language skills", True),
        ("Build NER models for Japanese text", False),
        ("English-language search ranking", False),
        ("Own our French and German language models", False),
    ],
)
def test_a_language_the_candidate_speaks_is_for_the_screen_a_language_the_work_handles_is_not(
    text: str, fact: bool
) -> None:
    """Round six's blind set: "French is a plus but not required" got three delivery questions (issue 20)."""
    assert states_cv_fact(text) is fact


@pytest.mark.parametrize(
    "text",
    ["Cut serving cost in half within two years", "Grow the team in the next three years", "The ten best models"],
)
def test_a_plans_time_span_or_a_count_is_not_a_cv_fact(text: str) -> None:
    assert not states_cv_fact(text)


def test_round_four_vocabulary_of_the_field() -> None:
    """Candidate retrieval and re-ranking are recommender work, feedback loops are not feedback to people,
    observational data is statistics rather than observability, model risk management is governance."""
    bank = load_bank(shipped_bank_dir())
    ranker = _shipped_ranker(bank)
    first = {q.id: q.competencies[0] for q in bank.questions}
    th = ranker.thesaurus
    assert terms("feedback loops", th) != terms("feedback", th)
    loops = ranker.rank("Keep popularity bias and feedback loops of the recommender in check")
    assert loops.matches and all(first[m.question_id] != "people-leadership" for m in loops.matches)
    retrieval = ranker.rank("Set the modelling direction for candidate retrieval and re-ranking")
    assert {m.question_id for m in retrieval.matches} & {
        "home-feed-recommender-design",
        "recommender-or-search-ranking-deep-dive",
        "ranking-model-offline-evaluation-bias",
    }
    causal = ranker.rank("Causal inference on observational data")
    assert all(first[m.question_id] != "monitoring-drift" for m in causal.matches)
    risk = ranker.rank("Model risk management in banking (SR 11-7)")
    assert risk.matches and first[risk.matches[0].question_id] == "model-governance"


def test_choose_weighs_the_same_evidence_with_any_weights() -> None:
    """The benchmark's weight search (benchmarks/suggestions.py --cross-validate) weighs each text's field
    closenesses many times over: what :meth:`Ranker.choose` picks with the ranker's own weights is what
    :meth:`Ranker.rank` shows, a higher threshold makes it abstain, and a lower relative cut shows more."""
    ranker = _toy_ranker()
    text = "Mentor engineers and help them grow"
    chosen, why = ranker.choose(text)
    assert [ranker.questions[i].id for i in chosen] == [m.question_id for m in ranker.rank(text).matches]
    assert not why
    top = float(ranker.scores(text).max())
    none, why = ranker.choose(text, weights=replace(ranker.weights, threshold=top + 0.01))
    assert none == [] and why.startswith(NO_MATCH)
    wide, _ = ranker.choose(text, weights=replace(ranker.weights, threshold=0.0, relative=0.0))
    assert len(wide) == 3 and wide[0] == chosen[0]


def test_labelled_examples_teach_the_competency_classifier() -> None:
    """A requirement of another job description labelled with its competency pulls that competency's
    centroid towards its words (round four: the benchmark's labelled requirements, competency_examples.yaml)."""
    text = "Review the latency of engineers' coaching"  # words of both serving and coaching
    toy = _toy_ranker()
    example = Example("Coaching engineers to cut latency", ("people-leadership",), "other-jd")
    after = Ranker(toy.questions, toy.competencies, {}, toy.thesaurus, examples=[example]).competency_fit(text)
    without = Ranker(toy.questions, toy.competencies, {}, toy.thesaurus).competency_fit(text)
    assert after["people-leadership"] > without["people-leadership"]
    # an example naming only competencies the bank does not have is ignored
    unknown = Example("Coaching engineers", ("no-such-competency",))
    odd = Ranker(toy.questions, toy.competencies, {}, toy.thesaurus, examples=[unknown]).competency_fit(text)
    assert odd == without


def test_examples_file_loads_and_a_broken_one_names_the_file(tmp_path: Path) -> None:
    assert load_examples(tmp_path / "none.yaml") == []
    good = tmp_path / "competency_examples.yaml"
    good.write_text("- text: Coach engineers\n  competencies: [people-leadership]\n  source: a-jd\n", encoding="utf-8")
    assert load_examples(good) == [Example("Coach engineers", ("people-leadership",), "a-jd")]
    shipped = load_examples(shipped_bank_dir() / "competency_examples.yaml")
    assert len(shipped) > 100 and len([e for e in shipped if e.competencies]) > 300
    for text, says in (
        ("- [a, b\n", "cannot be read as YAML"),
        ("text: x\n", "must be a list"),
        ("- competencies: [x]\n", "example 1: needs a text"),
        ("- text: Coach engineers\n  competencies: people-leadership\n", "example 1: needs a list of competency ids"),
        ("- text: A\n  competencies: [x]\n- text: B\n  competencies: []\n", "example 2:"),
    ):
        good.write_text(text, encoding="utf-8")
        with pytest.raises(ThesaurusError) as info:  # reported as a thesaurus problem is (jd suggest: exit 2)
            load_examples(good)
        assert isinstance(info.value, ExamplesError)
        assert str(info.value).startswith("competency_examples.yaml:") and says in str(info.value)


def test_an_unsure_match_on_generic_words_only_is_no_match() -> None:
    """Round five: when the classifier is unsure what a requirement asks for, a question that shares with it
    only words most job descriptions use (here 'build', in every labelled requirement) is not proposed."""
    qs = [
        question_text("svc", "Build a model service", "Cut its latency.", competencies=["model-serving"]),
        question_text("coach", "Coach an engineer", "Grow them.", competencies=["people-leadership"]),
    ]
    comps = [
        CompetencyText("model-serving", "Model serving", "Serving models with low latency."),
        CompetencyText("people-leadership", "People leadership", "Coaching engineers."),
    ]
    examples = [
        Example("Build and coach the team", ("people-leadership",)),
        Example("Build the serving stack", ("model-serving",)),
        Example("Build low latency services", ("model-serving",)),
    ]
    th = parse_thesaurus("- [deploy, serve]\n")
    always_unsure = replace(Weights(), threshold=0.0, relative=0.0, unsure=1.0, generic=0.5)
    ranker = Ranker(qs, comps, {}, th, weights=always_unsure, examples=examples)
    generic = ranker.rank("Build a garden shed")
    assert generic.no_match and "only generic words" in generic.reason
    assert ranker.rank("Build a low latency model service").matches[0].question_id == "svc"
    never_unsure = replace(always_unsure, unsure=0.0)
    assert Ranker(qs, comps, {}, th, weights=never_unsure, examples=examples).rank("Build a garden shed").matches


def test_round_five_model_families_are_modelling_not_infrastructure() -> None:
    """A named model family asks how the candidate chooses models (ML fundamentals), and a point cloud is
    no cloud platform."""
    bank = load_bank(shipped_bank_dir())
    ranker = _shipped_ranker(bank)
    first = {q.id: q.competencies[0] for q in bank.questions}
    th = ranker.thesaurus
    assert terms("gradient boosting", th) == terms("random forest", th) == terms("model family", th)
    points = ranker.rank("Experience with LiDAR point cloud segmentation")
    assert all(first[m.question_id] != "cloud-infra" for m in points.matches)
    families = ranker.rank("Deep knowledge of gradient boosting, random forests and logistic regression")
    assert families.matches and first[families.matches[0].question_id] == "ml-fundamentals"


def test_the_reason_names_the_same_shared_words_in_every_process() -> None:
    """The words a suggestion "shares" came from a set: with equal weights their order followed Python's
    string hashing, so the same command gave a different reason from run to run."""
    script = (
        "from interviewkit.bank.loader import load_bank; from interviewkit.paths import shipped_bank_dir; "
        "from tests.bank.test_suggest import _shipped_ranker; r = _shipped_ranker(load_bank(shipped_bank_dir())); "
        "print([m.reason for t in ('Run Kubernetes clusters with GPU scheduling and autoscaling for training', "
        "'Define infrastructure as code with Terraform and keep environments reproducible', "
        "'Set up monitoring for feature drift and model quality, with retraining that is triggered and validated') "
        "for m in r.rank(t).matches])"
    )
    root = Path(__file__).resolve().parents[2]
    outs = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outs) == 1 and "shares" in next(iter(outs))


def test_label_transfer_votes_for_the_questions_of_similar_labelled_requirements() -> None:
    """Issue 20, label transfer: the labelled requirements nearest to a text (the bank's own and the examples of
    other job descriptions) vote for the questions on topic for them: their competencies' questions and those an
    example names in ``questions``. The vote is a field of the score (:attr:`Weights.transfer`), and the reason
    says which labelled requirement it comes from."""
    toy = _toy_ranker()
    labelled = Example(
        "Coach engineers who run training on several machines", ("people-leadership",), "other-jd", questions=("gpus",)
    )
    text = "Coach the engineers who run training on several machines"
    gpus = [q.id for q in toy.questions].index("gpus")

    def ranker(weight: float, examples: list[Example]) -> Ranker:
        w = replace(Weights(), transfer=weight, threshold=0.0, relative=0.0)
        return Ranker(toy.questions, toy.competencies, {}, toy.thesaurus, weights=w, examples=examples)

    voted = ranker(0.5, [labelled])
    assert voted.evidence(text).fields[5, gpus] > 0.5  # the example is the nearest and names the question
    assert ranker(0.5, [replace(labelled, questions=())]).evidence(text).fields[5, gpus] == 0.0
    assert voted.scores(text)[gpus] > ranker(0.0, [labelled]).scores(text)[gpus]
    match = next(m for m in voted.rank(text).matches if m.question_id == "gpus")
    assert match.reason.endswith(
        "like 'Coach engineers who run training on several machines' in another job description"
    )
    # without the weight, the vote changes no score and the reason does not mention it
    plain = next(m for m in ranker(0.0, [labelled]).rank(text).matches if m.question_id == "gpus")
    assert "another job description" not in plain.reason
    # a text that shares no word with any labelled requirement gets no vote
    assert voted.evidence("p99 latency").known and not voted.evidence("p99 latency").fields[5].any()


def test_examples_name_their_on_topic_questions(tmp_path: Path) -> None:
    """competency_examples.yaml's optional ``questions:`` (labels.yaml's); an entry with no competency needs one
    (an empty list says that no question of the bank fits it). The bank's loader names an unknown id's line."""
    path = tmp_path / "competency_examples.yaml"
    path.write_text(
        "- text: Coach engineers\n  competencies: [people-leadership]\n  source: a\n  questions: [coach]\n"
        "- text: Fluency in Spanish\n  competencies: []\n  source: a\n  questions: []\n",
        encoding="utf-8",
    )
    assert load_examples(path) == [
        Example("Coach engineers", ("people-leadership",), "a", ("coach",)),
        Example("Fluency in Spanish", (), "a", ()),
    ]
    for text, says in (
        ("- text: A\n  competencies: [x]\n  questions: coach\n", "example 1: questions must be a list of question ids"),
        ("- text: A\n  competencies: []\n", "example 1: needs a list of competency ids"),
    ):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ExamplesError) as info:
            load_examples(path)
        assert says in str(info.value)


def test_the_bank_loader_names_an_unknown_question_of_the_examples_with_its_line(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(shipped_bank_dir(), bank)
    assert not [p for p in load_bank(bank).problems if p.path == "competency_examples.yaml"]
    shipped = (bank / "competency_examples.yaml").read_text(encoding="utf-8")
    lines = shipped.count("\n") + (not shipped.endswith("\n"))
    (bank / "competency_examples.yaml").write_text(
        shipped.rstrip("\n") + "\n- text: Coach engineers\n  competencies: [people-leadership]\n  source: x\n"
        "  questions: [ml-engineer-career-growth, no-such-question]\n",
        encoding="utf-8",
    )
    problems = [str(p) for p in load_bank(bank).problems if p.path == "competency_examples.yaml"]
    assert problems == [
        f"competency_examples.yaml:{lines + 4}: error: questions: no question 'no-such-question' in the bank"
    ]

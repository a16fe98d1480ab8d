"""The ranker kept on disk between runs (bank/ranker_cache.py): used again, never stale, never an error."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from interviewkit.bank import ranker_cache
from interviewkit.bank.loader import load_bank
from interviewkit.bank.ranker_cache import CACHE_FILE, cached_ranker
from interviewkit.bank.suggest import Example, Ranker, bank_inputs, load_examples, load_thesaurus
from interviewkit.paths import shipped_bank_dir
from interviewkit.services.jd import ranker_cache_dir

_TEXTS = [
    "Lead and grow a team of machine learning engineers",
    "Deploy models to production with low latency",
    "Design experiments and read A/B test results",
    "5+ years of experience with Python",
]


@pytest.fixture(scope="module")
def inputs() -> dict[str, object]:
    bank = load_bank(shipped_bank_dir())
    questions, competencies, texts, screen = bank_inputs(bank)
    return {
        "questions": questions,
        "competencies": competencies,
        "requirements": texts,
        "thesaurus": load_thesaurus(bank.root / "thesaurus.yaml"),
        "screen": screen,
        "examples": load_examples(bank.root / "competency_examples.yaml"),
    }


def _build(inputs: dict[str, object], cache_dir: Path | None, **changed: object) -> Ranker:
    given = {**inputs, **changed}
    return cached_ranker(
        given["questions"],  # type: ignore[arg-type]
        given["competencies"],  # type: ignore[arg-type]
        given["requirements"],  # type: ignore[arg-type]
        given["thesaurus"],  # type: ignore[arg-type]
        screen=given["screen"],  # type: ignore[arg-type]
        examples=given["examples"],  # type: ignore[arg-type]
        cache_dir=cache_dir,
    )


def _count_training(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    train = Ranker._train

    def counted(self: Ranker, *args: object, **kwargs: object) -> object:
        calls.append(1)
        return train(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Ranker, "_train", counted)
    return calls


def _rankings(ranker: Ranker) -> list[object]:
    return [ranker.rank(t, limit=5) for t in _TEXTS]


def test_a_second_run_reads_the_ranker_and_ranks_the_same(
    inputs: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_training(monkeypatch)
    first = _build(inputs, tmp_path)
    assert calls == [1] and (tmp_path / CACHE_FILE).is_file()
    second = _build(inputs, tmp_path)
    assert calls == [1]  # the classifier was not trained again
    assert _rankings(second) == _rankings(first) == _rankings(_build(inputs, None))


def test_a_changed_example_or_bank_is_learned_again(
    inputs: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_training(monkeypatch)
    _build(inputs, tmp_path)
    examples = list(inputs["examples"])  # type: ignore[call-overload]
    examples[0] = Example(examples[0].text + " and Kubernetes", examples[0].competencies)
    changed = _build(inputs, tmp_path, examples=examples)
    assert len(calls) == 2
    assert _rankings(changed) == _rankings(_build(inputs, None, examples=examples))  # built once more, not stored
    assert len(calls) == 3
    questions = list(inputs["questions"])  # type: ignore[call-overload]
    questions[0] = replace(questions[0], prompt=questions[0].prompt + " Tell me about the rollout.")
    _build(inputs, tmp_path, questions=questions)
    assert len(calls) == 4
    _build(inputs, tmp_path, questions=questions)
    assert len(calls) == 4


def test_a_changed_code_is_learned_again(
    inputs: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_training(monkeypatch)
    _build(inputs, tmp_path)
    monkeypatch.setattr(ranker_cache, "_code_version", lambda: b"another version of suggest.py")
    _build(inputs, tmp_path)
    assert len(calls) == 2


@pytest.mark.parametrize(
    "damage", [b"", b"garbage", b"interviewkit-ranker 1\n", "cut short", "another object", "a folder"]
)
def test_a_damaged_cache_file_is_ignored_and_written_again(
    inputs: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    path = tmp_path / CACHE_FILE
    good = _build(inputs, tmp_path)
    if damage == "cut short":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "another object":
        magic, key, _ = path.read_bytes().split(b"\n", 2)
        path.write_bytes(magic + b"\n" + key + b"\n" + pickle.dumps(7))  # the right key, not a ranker
    elif damage == "a folder":
        path.unlink()
        path.mkdir()
    else:
        path.write_bytes(damage)  # type: ignore[arg-type]
    calls = _count_training(monkeypatch)
    again = _build(inputs, tmp_path)
    assert calls == [1]
    assert _rankings(again) == _rankings(good)
    if damage != "a folder":
        assert _build(inputs, tmp_path) is not None and calls == [1]  # written again, read on the next run


def test_an_unwritable_cache_folder_still_ranks(inputs: dict[str, object], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    ranker = _build(inputs, blocker / "cache")
    assert _rankings(ranker) == _rankings(_build(inputs, None))
    assert list(tmp_path.iterdir()) == [blocker]


def test_the_cache_folder_is_the_users_or_the_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWKIT_CACHE_DIR", str(tmp_path))
    assert ranker_cache_dir() == tmp_path
    monkeypatch.delenv("INTERVIEWKIT_CACHE_DIR")
    assert "InterviewKit" in str(ranker_cache_dir())


@pytest.mark.skipif(not hasattr(__import__("os"), "getuid"), reason="file owners and modes are POSIX's")
@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_cache_file_others_could_have_written_is_never_unpickled(
    inputs: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    folder = tmp_path / "cache"
    _build(inputs, folder)
    path = folder / CACHE_FILE
    # a forged file with the right key and a payload that would run code when unpickled
    key = path.read_bytes().split(b"\n", 2)[:2]
    path.write_bytes(b"\n".join(key) + b"\n" + pickle.dumps(_Boom()))
    (path if where == "file" else folder).chmod(0o666 if where == "file" else 0o777)
    calls = _count_training(monkeypatch)
    ran.clear()
    ranker = _build(inputs, folder)  # the payload does not run: the ranker is built again
    assert ran == [] and calls == [1] and isinstance(ranker, Ranker)


ran: list[str] = []


class _Boom:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (_record, ("unpickled a file another account could write",))


def _record(message: str) -> None:
    ran.append(message)

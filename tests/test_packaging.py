"""The question bank and the resources (QSS and icons) live at the top of the repository and are found from
a wheel installed outside it, from an editable install and from a plain source checkout alike."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
import tarfile
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "question_bank"
RESOURCES = ROOT / "resources"

PROBE = (
    "import interviewkit, json; from interviewkit.paths import shipped_bank_dir, resources_dir;"
    "print(json.dumps([interviewkit.__file__, str(shipped_bank_dir()), str(resources_dir())]))"
)


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "INTERVIEWKIT_DB"}}


def _hatchling(target: str, out: Path) -> Path:
    """Builds one artifact of the repository with hatchling's own command, as pip and build do."""
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", target, "-d", str(out)],
        cwd=ROOT, check=True, capture_output=True,
    )
    (artifact,) = out.iterdir()
    return artifact


def _install_outside(wheel: Path, tmp_path: Path) -> Path:
    """Installs ``wheel`` alone into a fresh virtual environment and returns its Python."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    target = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    # Install the wheel itself (no dependencies: this machine may be offline) ...
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", target, str(wheel)],
        check=True, capture_output=True,
    )
    # ... and reach the dependencies through the test environment's site-packages, added as plain
    # paths: a .pth line does not run the editable-install hooks, so the repository stays invisible.
    deps = list({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()})
    Path(target, "zz_deps.pth").write_text("\n".join(deps) + "\n")
    return py


def _probe(py: Path | list[str], cwd: Path, env: dict[str, str]) -> tuple[Path, Path, Path]:
    """Where the interpreter ``py`` (a path, or a command line) imports interviewkit and finds its folders."""
    command = [str(py)] if isinstance(py, Path) else py
    out = subprocess.run([*command, "-c", PROBE], cwd=cwd, env=env, check=True, capture_output=True, text=True)
    module, bank, resources = json.loads(out.stdout)
    return Path(module), Path(bank), Path(resources)


def _bank_check(py: Path, cwd: Path, env: dict[str, str]) -> None:
    check = subprocess.run(
        [str(py), "-m", "interviewkit", "bank", "check"], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "of 112 requirements covered" in check.stdout and "0 error(s)" in check.stdout


def test_the_bank_and_resources_are_at_the_top_of_the_repository() -> None:
    assert (BANK / "competencies.yaml").is_file() and (RESOURCES / "styles" / "00_base.qss").is_file()
    assert not (ROOT / "src" / "interviewkit" / "question_bank").exists()
    assert not (ROOT / "src" / "interviewkit" / "resources").exists()


def test_a_source_checkout_finds_the_top_level_folders(tmp_path: Path) -> None:
    # -S: no site-packages, so no editable install's .pth either: only PYTHONPATH=src, as in a bare checkout.
    env = {**_clean_env(), "PYTHONPATH": str(ROOT / "src")}
    module, bank, resources = _probe([sys.executable, "-S"], tmp_path, env)
    assert module == ROOT / "src" / "interviewkit" / "__init__.py"
    assert (bank, resources) == (BANK, RESOURCES)


@pytest.mark.slow
def test_the_wheel_ships_the_bank_and_resources(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("interviewkit-*.whl")
    py = _install_outside(wheel, tmp_path)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = _clean_env()
    module, bank, resources = _probe(py, work, env)
    assert not module.is_relative_to(ROOT)
    # Inside the installed package, mapped there at build time; every file of the repository's folders.
    assert bank == module.parent / "question_bank" and resources == module.parent / "resources"
    assert _files(bank) == _files(BANK)
    assert len(list(bank.joinpath("questions").rglob("*.md"))) >= 90
    assert _files(resources) == _files(RESOURCES)
    assert (resources / "styles" / "00_base.qss").is_file() and (resources / "icons" / "interviewkit.svg").is_file()
    assert module.parent.joinpath("storage", "migrations", "versions", "0001_bank.py").is_file()
    assert module.parent.joinpath("services", "schemas", "scorecard-exchange-v2.json").is_file()
    _bank_check(py, work, env)
    sync = subprocess.run(
        [str(py), "-m", "interviewkit", "--db", str(work / "ik.sqlite"), "bank", "sync"],
        cwd=work, env=env, capture_output=True, text=True, check=False,
    )
    assert sync.returncode == 0, sync.stderr
    assert "added" in sync.stdout
    # The style sheet and the icon load from the wheel's copy, in the installed app's own theme code.
    theme = subprocess.run(
        [str(py), "-c", (
            "from PySide6.QtWidgets import QApplication; from PySide6.QtGui import QIcon;"
            "from interviewkit.paths import resources_dir; app = QApplication([]);"
            "icon = QIcon(str(resources_dir() / 'icons' / 'interviewkit.svg'));"
            "print(not icon.pixmap(32).isNull(), len(list((resources_dir() / 'styles').glob('*.qss'))))"
        )],
        cwd=work, env={**env, "QT_QPA_PLATFORM": "offscreen"}, check=True, capture_output=True, text=True,
    )
    assert theme.stdout.split() == ["True", str(len(list((RESOURCES / "styles").glob("*.qss"))))]


@pytest.mark.slow
def test_the_sdist_carries_the_folders_and_builds_the_same_wheel(tmp_path: Path) -> None:
    sdist = _hatchling("sdist", tmp_path / "sdist")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
        tar.extractall(tmp_path / "unpacked", filter="data")
    assert {f"question_bank/{f}" for f in _files(BANK)} <= names
    assert {f"resources/{f}" for f in _files(RESOURCES)} <= names
    (source,) = (tmp_path / "unpacked").iterdir()
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(source)],
        check=True, capture_output=True,
    )
    py = _install_outside(next(dist.glob("interviewkit-*.whl")), tmp_path)
    module, bank, resources = _probe(py, tmp_path, _clean_env())
    assert bank == module.parent / "question_bank" and _files(bank) == _files(BANK)
    assert resources == module.parent / "resources" and _files(resources) == _files(RESOURCES)


@pytest.mark.slow
def test_an_editable_install_reads_the_checkouts_folders(tmp_path: Path) -> None:
    # The editable wheel pip builds for `pip install -e .` (hatch: a .pth line naming src/).
    wheel = _hatchling("wheel:editable", tmp_path / "dist")
    py = _install_outside(wheel, tmp_path)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = _clean_env()
    module, bank, resources = _probe(py, work, env)
    assert module == ROOT / "src" / "interviewkit" / "__init__.py"
    assert (bank, resources) == (BANK, RESOURCES)
    _bank_check(py, work, env)

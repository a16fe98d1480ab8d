"""A wheel installed into a fresh virtual environment, outside the repository, finds its bank."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_wheel_ships_the_bank_and_resources(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("interviewkit-*.whl")
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
    deps = [p for p in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}]
    Path(target, "zz_deps.pth").write_text("\n".join(deps) + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "INTERVIEWKIT_DB"}}
    probe = subprocess.run(
        [str(py), "-c", "import interviewkit, json; from interviewkit.paths import shipped_bank_dir, resources_dir;"
         "print(json.dumps([interviewkit.__file__, str(shipped_bank_dir()), str(resources_dir())]))"],
        cwd=work, env=env, check=True, capture_output=True, text=True,
    )
    module, bank, resources = json.loads(probe.stdout)
    assert module.startswith(target) and not module.startswith(str(ROOT))
    assert Path(bank, "competencies.yaml").is_file()
    assert len(list(Path(bank, "questions").rglob("*.md"))) >= 90
    assert Path(resources, "styles", "00_base.qss").is_file()
    assert Path(resources, "icons", "interviewkit.svg").is_file()
    assert Path(module).parent.joinpath("storage", "migrations", "versions", "0001_bank.py").is_file()
    assert Path(module).parent.joinpath("services", "schemas", "scorecard-exchange-v2.json").is_file()
    check = subprocess.run(
        [str(py), "-m", "interviewkit", "bank", "check"], cwd=work, env=env, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "112 of 112 requirements covered" in check.stdout
    sync = subprocess.run(
        [str(py), "-m", "interviewkit", "--db", str(work / "ik.sqlite"), "bank", "sync"],
        cwd=work, env=env, capture_output=True, text=True,
    )
    assert sync.returncode == 0, sync.stderr
    assert "added" in sync.stdout

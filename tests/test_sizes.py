"""Sizes the architecture promises (docs/architecture.md): the window only assembles, screens stay readable,
and no function grows past what one reading takes in."""

from __future__ import annotations

import ast
from pathlib import Path

import interviewkit

PACKAGE = Path(interviewkit.__file__).parent
MAX_UI_FILE_LINES = 500
MAX_FUNCTION_LINES = 80
MAX_WINDOW_LINES = 300


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_file_of_the_desktop_is_over_500_lines() -> None:
    big = {str(p.relative_to(PACKAGE)): _lines(p) for p in (PACKAGE / "ui").rglob("*.py")}
    assert {p: n for p, n in big.items() if n > MAX_UI_FILE_LINES} == {}


def test_the_main_window_only_assembles() -> None:
    assert _lines(PACKAGE / "ui" / "shell" / "window.py") < MAX_WINDOW_LINES


def test_no_function_is_over_80_lines() -> None:
    long: dict[str, int] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}"] = length
    assert long == {}

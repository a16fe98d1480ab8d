"""Imports point down: ui, cli -> services -> storage, bank, export -> domain. Qt stays out of the core."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import interviewkit

PACKAGE = Path(interviewkit.__file__).parent
LAYERS = {
    "domain": set(),
    "bank": {"domain"},
    "storage": {"domain"},
    "export": {"domain"},
    "services": {"domain", "bank", "storage", "export"},
    "ui": {"services", "domain"},
}


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # annotations only
            wanted = top or not top_level_only
            if isinstance(child, ast.Import) and wanted:
                found.update(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0 and wanted:
                found.add(child.module)
            is_scope = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            visit(child, top and not is_scope)

    visit(tree, True)
    return found


@pytest.mark.parametrize("layer", ["domain", "bank", "storage", "services"])
def test_the_core_never_imports_qt(layer: str) -> None:
    for path in _modules(layer):
        qt = {m for m in _imports(path) if m.split(".")[0] in {"PySide6", "shiboken6"}}
        assert not qt, f"{path.relative_to(PACKAGE)} imports {qt}"


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_imports_point_down(layer: str) -> None:
    allowed = LAYERS[layer] | {layer}
    for path in _modules(layer):
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] != "interviewkit" or len(parts) < 2 or parts[1] not in LAYERS:
                continue
            assert parts[1] in allowed, f"{path.relative_to(PACKAGE)} imports {module}"


def test_the_ui_never_touches_the_database_directly() -> None:
    for path in _modules("ui"):
        bad = {m for m in _imports(path) if m.split(".")[0] in {"sqlalchemy", "sqlmodel", "sqlite3", "alembic"}}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_the_window_shows_before_the_database_layer_is_imported() -> None:
    """Importing SQLAlchemy costs more than a bare window: what the app imports to show its window (the
    shell, the window and what they import) leaves it out; the screens, built after the first paint, may
    import the services that load it."""
    code = (
        "import sys, interviewkit.ui.shell.app, interviewkit.ui.shell.window, interviewkit.cli; "
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"

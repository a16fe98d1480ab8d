"""Where the app finds its shipped data and the user's database.

The question bank (``question_bank/``) and the resources (``resources/``: style sheets and icons) are
data reviewed like code, so they live at the top of the repository, beside ``src/``, ``tests/`` and
``pyproject.toml``, not inside the package. Where they are at run time depends on how InterviewKit was
installed, so each is looked for in two places, in this order:

1. **Inside the package** (``interviewkit/question_bank``): an installed wheel. The wheel build maps both
   folders into the package (``[tool.hatch.build.targets.wheel.force-include]`` in pyproject.toml), since
   an installed package has no repository around it.
2. **At the repository root**, two levels above this file (``src/interviewkit/`` -> the root): a plain
   source checkout (``PYTHONPATH=src``) or an editable install (``pip install -e .``, which hatch
   implements with a ``.pth`` line naming ``src/``, so the package is imported from the checkout). Hatch's
   editable wheel also copies the force-included folders into ``site-packages/interviewkit/``, but that
   folder has no ``__init__.py``: Python imports the package from ``src/``, this file is the checkout's,
   and the copy is never read, so an edit to the bank shows at once. Only a package that sits in a folder
   named ``src`` looks at the root, so an installed package never picks up a stray folder two levels up.

The package comes first: a wheel carries the copy it was built with, and that is the one it must use; the
repository root is only the fallback for code run from the checkout itself. When neither place has the
folder, the package's path is returned, and whatever reads it says that it is missing there.
tests/test_packaging.py checks both: a wheel installed outside the repository, and the checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DB_ENV", "database_location", "resources_dir", "shipped_bank_dir"]

DB_ENV = "INTERVIEWKIT_DB"
_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    """The shipped data folder ``name``: inside the package (a wheel), else at the checkout's root."""
    packaged = _PACKAGE / name
    if packaged.is_dir():
        return packaged
    if _PACKAGE.parent.name == "src":
        checkout = _PACKAGE.parent.parent / name
        if checkout.is_dir():
            return checkout
    return packaged


def shipped_bank_dir() -> Path:
    """The question bank that ships with the app."""
    return _shipped("question_bank")


def resources_dir() -> Path:
    """Style sheets, icons and templates."""
    return _shipped("resources")


def database_location(cli_value: str | None) -> tuple[str, bool]:
    """The database to open and whether it is the default location.

    Order: the ``--db`` option, then the ``INTERVIEWKIT_DB`` environment variable, then a file in the
    per-user data directory.
    """
    if cli_value:
        return cli_value, False
    env = os.environ.get(DB_ENV, "").strip()
    if env:
        return env, False
    from interviewkit.storage.db import default_db_path

    return str(default_db_path()), True

"""Write README.md's key tables from the registry of keys (interviewkit.ui.widgets.shortcuts.KEYMAP).

    python scripts/key_tables.py            # print the tables
    python scripts/key_tables.py --write    # put them in README.md, between their markers
    python scripts/key_tables.py --check    # exit 1 when README.md's tables differ from the registry

Each table sits between ``<!-- keys: NAME -->`` and ``<!-- /keys -->`` in README.md; the text between
is replaced. tests/ui/keyboard/test_key_tables.py fails when README.md differs.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from interviewkit.ui.widgets.shortcuts import key_table

README = Path(__file__).resolve().parent.parent / "README.md"

#: Each table of the README: its marker name and the places whose keys it lists.
TABLES: dict[str, tuple[str, ...]] = {
    "window": ("window",),
    "cockpit": ("cockpit", "checklist", "cockpit_picker", "finish", "screen"),
    "sections": (
        "my_interviews",
        "resume",
        "search_box",
        "section_search",
        "add_questions",
        "exercises",
        "debrief_list",
        "debrief_grid",
        "decision",
        "coverage",
        "people",
        "people_table",
        "who",
        "loops",
        "loop",
        "plan",
        "pdf_preview",
        "search",
        "exercise_new",
        "exercise_score",
        "jd_review",
    ),
}

_BLOCK = re.compile(r"(<!-- keys: (\w+) -->\n)(.*?)(<!-- /keys -->)", re.DOTALL)


def with_tables(text: str) -> str:
    """``text`` (README.md) with every marked table made from the registry."""

    def table(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in TABLES:
            raise SystemExit(f"key_tables: error: README.md marks an unknown table '{name}'")
        return f"{match.group(1)}{key_table(TABLES[name])}\n{match.group(4)}"

    return _BLOCK.sub(table, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the tables into README.md")
    parser.add_argument("--check", action="store_true", help="exit 1 when README.md's tables differ")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    new = with_tables(text)
    if args.check:
        if new != text:
            print("key_tables: README.md's key tables differ from the registry; run scripts/key_tables.py --write")
            return 1
        return 0
    if args.write:
        README.write_text(new, encoding="utf-8")
        return 0
    for name, places in TABLES.items():
        print(f"<!-- keys: {name} -->\n{key_table(places)}\n<!-- /keys -->\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m interviewkit``: the same as the ``interviewkit`` command."""

from interviewkit.cli import main

raise SystemExit(main())

"""The frozen app's entry point: the same as the ``interviewkit`` command (no subcommand opens the window)."""

from interviewkit.cli import main

if __name__ == "__main__":
    raise SystemExit(main())

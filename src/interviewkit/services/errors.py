"""Errors that services raise for the UI and the CLI to show as they are: each message is for people."""

from __future__ import annotations

__all__ = [
    "NotFound",
    "PermissionDenied",
    "ScorecardLocked",
    "ServiceError",
    "SubmitRejected",
    "ValidationFailed",
]


class ServiceError(Exception):
    """Base class: something the user asked for cannot be done; the message says why."""


class NotFound(ServiceError):
    """The thing asked for does not exist (or no longer does)."""


class ValidationFailed(ServiceError):
    """Input that breaks a rule; ``problems`` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class SubmitRejected(ValidationFailed):
    """A scorecard that is not complete enough to submit."""


class PermissionDenied(ServiceError):
    """The person acting may not do this."""


class ScorecardLocked(ServiceError):
    """The scorecard is open in another copy of the app (or was submitted)."""

    def __init__(self, message: str, *, owner: str | None = None) -> None:
        super().__init__(message)
        self.owner = owner

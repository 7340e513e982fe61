"""The one error tree of certprep.

    CertprepError (code, status, data)
    ├── InvalidInput          400  a value from a user is malformed (date, id, flag)
    │   └── UnknownReference  404  an id or exam code that the catalog does not know
    ├── NotSignedIn           401  the request carries no valid session or access token
    ├── Throttled             429  too many failed logins from this name or address: wait
    ├── NotFound              404  a stored thing does not exist
    ├── Forbidden             403  the account asking lacks the right (an accommodation set by a learner)
    ├── PolicyViolation       409  a rule forbids the action now (retake wait, locked section)
    ├── PackInvalid           422  a content pack failed validation (data holds every problem)
    ├── ConfigError           500  a setting is wrong; raised at start, names the setting
    └── DatabaseUnavailable   503  the database cannot be reached or migrated

Each face maps these once: JSON {"error": {"code", "message", "data"}}, an HTML error page, or
`error: ...` on stderr with a non-zero exit code. Anything else is a bug.
"""

from __future__ import annotations

from typing import Any, ClassVar


class CertprepError(Exception):
    """Root of every error certprep reports to a user."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400

    def __init__(self, message: str, **data: Any) -> None:
        super().__init__(message)
        self.message = message
        self.data: dict[str, Any] = data

    def to_json(self) -> dict[str, Any]:
        """The error as the JSON API shows it."""
        return {"error": {"code": self.code, "message": self.message, "data": self.data}}


class NotSignedIn(CertprepError):
    code = "not_signed_in"
    status = 401


class Throttled(CertprepError):
    code = "too_many_attempts"
    status = 429


class Forbidden(CertprepError):
    code = "forbidden"
    status = 403


class InvalidInput(CertprepError):
    code = "invalid_input"
    status = 400


class UnknownReference(InvalidInput):
    code = "unknown_reference"
    status = 404


class NotFound(CertprepError):
    code = "not_found"
    status = 404


class PolicyViolation(CertprepError):
    code = "policy_violation"
    status = 409


class PackInvalid(CertprepError):
    code = "pack_invalid"
    status = 422

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message, problems=problems)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join([self.message, *self.problems])


class ConfigError(CertprepError):
    code = "config_error"
    status = 500


class DatabaseUnavailable(CertprepError):
    code = "database_unavailable"
    status = 503

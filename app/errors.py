"""API-facing errors: each SerialwatchError subclass here carries the HTTP status it maps to,
so the service layer can refuse a request without knowing about HTTP, and the Dash UI can show
the same message."""

from __future__ import annotations

from graph.errors import SerialwatchError


class ApiError(SerialwatchError):
    """An error whose message is safe to show to the caller, with its HTTP status."""

    status = 400


class BadRequest(ApiError):
    status = 400


class PurposeRequired(BadRequest):
    """The caller stated no purpose (DPA 2018 s.62 logs must say why data was consulted)."""


class NotAuthenticated(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


class TooLarge(ApiError):
    status = 413


class Invalid(ApiError):
    status = 422


class TooManyAttempts(ApiError):
    """Too many failed logins for one user from one client: wait, then try again."""

    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(ApiError):
    status = 503

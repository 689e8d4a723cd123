"""Typed errors mapped from LLMLab's wire format ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

from typing import Any, Optional


class LLMLabError(Exception):
    """An error about LLMLab itself; ``status`` is 0 when LLMLab could not be reached."""

    def __init__(self, code: str, message: str, status: int = 0, details: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details


class AuthenticationError(LLMLabError):
    pass


class PermissionDeniedError(LLMLabError):
    pass


class NotFoundError(LLMLabError):
    pass


class ValidationError(LLMLabError):
    pass


class ConflictError(LLMLabError):
    pass


class RateLimitError(LLMLabError):
    pass


class BudgetExceededError(LLMLabError):
    pass


class UnavailableError(LLMLabError):
    pass


class ConnectionError(LLMLabError):  # noqa: A001 - the SDK's own, exported as llmlab.ConnectionError
    pass


_BY_CODE = {
    "unauthorized": AuthenticationError,
    "forbidden": PermissionDeniedError,
    "not_found": NotFoundError,
    "bad_request": ValidationError,
    "validation_failed": ValidationError,
    "payload_too_large": ValidationError,
    "conflict": ConflictError,
    "rate_limited": RateLimitError,
    "budget_exceeded": BudgetExceededError,
    "unavailable": UnavailableError,
}

_BY_STATUS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict",
              413: "payload_too_large", 429: "rate_limited", 503: "unavailable"}


def error_from_response(status: int, body: Optional[Any]) -> LLMLabError:
    """The typed error for a non-2xx answer."""
    wire = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else {}
    code = wire.get("code") if isinstance(wire.get("code"), str) else _BY_STATUS.get(status, "internal")
    message = wire.get("message") if isinstance(wire.get("message"), str) else "LLMLab answered HTTP %d" % status
    return _BY_CODE.get(code, LLMLabError)(code, message, status, wire.get("details"))

"""The LLMLab client: records LLM calls in the background and reads costs back."""

from __future__ import annotations

import atexit
import datetime
import logging
import re
import time
import urllib.parse
from typing import Any, Dict, List, Optional, Union

from . import _context
from ._config import env_defaults
from ._ids import new_event_id
from ._sender import Sender
from ._transport import exchange, request_json
from .errors import LLMLabError, ValidationError

logger = logging.getLogger("llmlab")

_EVENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
_SERVICE_TIERS = ("standard", "batch", "flex", "priority")
_TOKEN_FIELDS = ("input_tokens", "output_tokens", "cached_input_tokens", "cache_write_tokens", "reasoning_tokens")
Timestamp = Union[int, float, str, datetime.datetime, None]


def _fail(field: str, message: str) -> None:
    raise ValidationError("validation_failed", "%s %s" % (field, message), 0, [{"path": field, "message": message}])


def _timestamp(value: Timestamp) -> Union[int, str]:
    if value is None:
        return int(time.time() * 1000)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return int(value.timestamp() * 1000)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return int(value)
    if isinstance(value, str) and value:
        return value
    _fail("timestamp", "must be a datetime, epoch milliseconds or an ISO 8601 string")
    return 0


class Client:
    """``Client(api_key, base_url=...)``; the module functions in ``llmlab.sdk`` use one shared instance."""

    def __init__(self, api_key: Optional[str] = None, base_url: Optional[str] = None, environment: Optional[str] = None,
                 disabled: Optional[bool] = None, batch_size: int = 100, flush_interval: float = 1.0,
                 max_queue_size: int = 10000, retry_base: float = 0.5, retry_max: float = 30.0,
                 timeout: float = 10.0, flush_at_exit: bool = True) -> None:
        env = env_defaults()
        self.api_key = api_key or env["api_key"]
        self.base_url = str(base_url or env["base_url"]).rstrip("/")
        self.environment = environment or env["environment"]
        off = env["disabled"] if disabled is None else disabled
        self.enabled = bool(self.api_key) and not off
        self.timeout = timeout
        if not off and not self.api_key:
            logger.warning("no API key (pass one to init() or set LLMLAB_API_KEY): calls are not recorded")
        self._sender: Optional[Sender] = None
        if self.enabled:
            self._sender = Sender(self._post, max(1, min(1000, batch_size)), flush_interval, max(1, max_queue_size),
                                  retry_base, retry_max, logger.warning)
            if flush_at_exit:
                atexit.register(self._flush_at_exit)

    def track_call(self, provider: str, model: str, input_tokens: int, output_tokens: int,
                   cached_input_tokens: int = 0, cache_write_tokens: int = 0, reasoning_tokens: int = 0,
                   latency_ms: Optional[float] = None, status: Optional[str] = None, error_type: Optional[str] = None,
                   feature: Optional[str] = None, user_id: Optional[str] = None, environment: Optional[str] = None,
                   tags: Optional[Dict[str, Any]] = None, metadata: Optional[Dict[str, Any]] = None,
                   request_hash: Optional[str] = None, event_id: Optional[str] = None,
                   timestamp: Timestamp = None, usage_missing: bool = False, service_tier: Optional[str] = None,
                   session_id: Optional[str] = None) -> str:
        """Records one LLM call and returns its event id at once; it is sent in the background.
        Input tokens include cached reads and cache writes; output tokens include reasoning.
        ``usage_missing=True``: the call happened but its usage never arrived (a stream cut short);
        it is stored unpriced (cost None, counted in ``unpriced_calls``), never as a $0 call.
        ``service_tier``: how the provider processed the call (standard, batch, flex, priority);
        it is priced by its tier (docs/pricing.md, "Service tiers"); None is standard.
        ``session_id``: the conversation or agent run the call belongs to (1-200 characters)."""
        counts = dict(zip(_TOKEN_FIELDS, (input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens)))
        for field, value in counts.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                _fail(field, "must be a whole, non-negative number of tokens")
        if cached_input_tokens + cache_write_tokens > input_tokens:
            _fail("cached_input_tokens", "plus cache_write_tokens cannot exceed input_tokens (input includes them)")
        if reasoning_tokens > output_tokens:
            _fail("reasoning_tokens", "cannot exceed output_tokens (output includes them)")
        for field, value in (("provider", provider), ("model", model)):
            if not isinstance(value, str) or not value.strip():
                _fail(field, "must be a non-empty string")
        if not isinstance(usage_missing, bool):
            _fail("usage_missing", "must be True or False")
        if service_tier is not None and service_tier not in _SERVICE_TIERS:
            _fail("service_tier", "must be one of " + ", ".join(_SERVICE_TIERS))
        if session_id is not None and (not isinstance(session_id, str) or not 1 <= len(session_id.strip()) <= 200):
            _fail("session_id", "must be a string of 1-200 characters")
        if event_id is not None and not _EVENT_ID.match(event_id):
            _fail("event_id", "must be 1-128 characters of letters, digits, _ . : -")
        ctx = _context.current()
        event: Dict[str, Any] = {"event_id": event_id or new_event_id(), "provider": provider.strip(),
                                 "model": model.strip(), "timestamp": _timestamp(timestamp)}
        event.update({k: v for k, v in counts.items() if v or k in ("input_tokens", "output_tokens")})
        if usage_missing:
            event["usage_missing"] = True
        if service_tier is not None:
            event["service_tier"] = service_tier
        optional = {
            "latency_ms": None if latency_ms is None else int(round(latency_ms)),
            "status": status, "error_type": error_type, "request_hash": request_hash,
            "feature": feature or ctx.get("feature"),
            "user_id": user_id or ctx.get("user_id"),
            "session_id": (session_id.strip() if session_id is not None else None) or ctx.get("session_id"),
            "environment": environment or ctx.get("environment") or self.environment,
            "tags": {**(ctx.get("tags") or {}), **(tags or {})} or None,
            "metadata": {**(ctx.get("metadata") or {}), **(metadata or {})} or None,
        }
        event.update({k: v for k, v in optional.items() if v is not None})
        if self._sender is not None:
            self._sender.enqueue(event)
        return event["event_id"]

    def flush(self, timeout: float = 30.0) -> bool:
        """Sends what is queued; True when all of it was delivered within ``timeout`` seconds."""
        return True if self._sender is None else self._sender.flush(timeout)

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Flushes, then stops the background thread."""
        return True if self._sender is None else self._sender.close(timeout)

    def stats(self) -> Dict[str, int]:
        """pending, sent, dropped (buffer full), rejected (4xx), retries."""
        if self._sender is None:
            return {"pending": 0, "sent": 0, "dropped": 0, "rejected": 0, "retries": 0}
        return self._sender.stats()

    def get_recommendations(self) -> List[Dict[str, Any]]:
        """Ways to spend less, from this project's own usage (GET /api/recommendations)."""
        body = self._get("/api/recommendations")
        return body if isinstance(body, list) else body.get("recommendations", [])

    def get_summary(self, days: int = 30, tz: Optional[str] = None) -> Dict[str, Any]:
        """GET /api/costs/summary."""
        query = {"days": days, **({"tz": tz} if tz else {})}
        return self._get("/api/costs/summary?" + urllib.parse.urlencode(query))

    def get_budgets(self) -> List[Dict[str, Any]]:
        """GET /api/budgets, each with its current status."""
        return self._get("/api/budgets")["budgets"]

    def _get(self, path: str) -> Any:
        if not self.api_key:
            raise LLMLabError("unauthorized", "no API key: pass one to init() or set LLMLAB_API_KEY")
        return request_json(self.base_url, self.api_key, "GET", path, timeout=self.timeout)

    def _post(self, events: List[Dict[str, Any]]) -> Any:
        return exchange(self.base_url, str(self.api_key), "POST", "/api/events/batch", {"events": events}, self.timeout)

    def _flush_at_exit(self) -> None:
        if self._sender is not None and self._sender.stats()["pending"]:
            self._sender.close(5.0)

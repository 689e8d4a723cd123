"""HTTP to LLMLab with urllib, and the retry policy shared with the TypeScript SDK."""

from __future__ import annotations

import email.utils
import json
import random
import time
import urllib.error
import urllib.request
from typing import Any, Dict, Optional, Tuple

from .errors import ConnectionError, error_from_response

USER_AGENT = "llmlab-sdk-python/0.1.0"
MAX_RETRY_AFTER_S = 300.0


def exchange(base_url: str, api_key: str, method: str, path: str, body: Any = None,
             timeout: float = 10.0) -> Tuple[int, Optional[str], Any]:
    """One request; returns (status, Retry-After header, parsed body). Raises ConnectionError when unreachable."""
    headers: Dict[str, str] = {"Authorization": "Bearer " + api_key, "Accept": "application/json", "User-Agent": USER_AGENT}
    data = None
    if method == "POST":
        headers["Content-Type"] = "application/json"
        headers["x-llmlab-source"] = "sdk"
        data = json.dumps(body, separators=(",", ":")).encode("utf-8")
    request = urllib.request.Request(base_url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get("Retry-After"), _parse(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After") if error.headers else None, _parse(error.read())
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ConnectionError("connection_error", "LLMLab at %s could not be reached: %s" % (base_url, reason)) from None


def _parse(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError:
        return {"raw": raw[:500].decode("utf-8", "replace")}


def request_json(base_url: str, api_key: str, method: str, path: str, body: Any = None, timeout: float = 10.0) -> Any:
    """A read or write whose non-2xx answer is raised as its typed error."""
    status, _, parsed = exchange(base_url, api_key, method, path, body, timeout)
    if status < 200 or status >= 300:
        raise error_from_response(status, parsed)
    return parsed


def is_retryable(status: int) -> bool:
    """5xx and 429 are worth retrying; another 4xx would fail the same way again."""
    return status == 429 or status >= 500


def backoff_delay(attempt: int, base_s: float, max_s: float, rand: "Any" = random.random) -> float:
    """Full-jitter exponential backoff, floored at a tenth of the base."""
    ceiling = min(max_s, base_s * (2 ** min(attempt, 30)))
    return max(base_s / 10.0, rand() * ceiling)


def parse_retry_after(header: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date), or None."""
    if not header:
        return None
    value = header.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return min(MAX_RETRY_AFTER_S, max(0.0, seconds))

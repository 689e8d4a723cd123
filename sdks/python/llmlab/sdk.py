"""Module-level API: ``from llmlab import sdk; sdk.init("llmlab_..."); sdk.track_call(...)``."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ._context import context, track
from .client import Client

__all__ = ["init", "track_call", "track", "context", "flush", "shutdown", "stats",
           "get_recommendations", "get_summary", "get_budgets", "get_client"]

_client: Optional[Client] = None


def init(api_key: Optional[str] = None, base_url: Optional[str] = None, **options: Any) -> Client:
    """Sets up the shared client (defaults from LLMLAB_API_KEY / LLMLAB_BASE_URL); a second call replaces it."""
    global _client
    previous = _client
    _client = Client(api_key, base_url=base_url, **options)
    if previous is not None:
        previous.shutdown()
    return _client


def get_client() -> Client:
    """The shared client, created from the environment on first use."""
    global _client
    if _client is None:
        _client = Client()
    return _client


def track_call(provider: str, model: str, input_tokens: int, output_tokens: int, **fields: Any) -> str:
    """``sdk.track_call(provider="openai", model="gpt-4", input_tokens=1000, output_tokens=500, metadata={...})``."""
    return get_client().track_call(provider, model, input_tokens, output_tokens, **fields)


def flush(timeout: float = 30.0) -> bool:
    return get_client().flush(timeout)


def shutdown(timeout: float = 10.0) -> bool:
    return get_client().shutdown(timeout)


def stats() -> Dict[str, int]:
    return get_client().stats()


def get_recommendations() -> List[Dict[str, Any]]:
    return get_client().get_recommendations()


def get_summary(days: int = 30, tz: Optional[str] = None) -> Dict[str, Any]:
    return get_client().get_summary(days, tz)


def get_budgets() -> List[Dict[str, Any]]:
    return get_client().get_budgets()

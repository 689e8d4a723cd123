"""Attribution (feature, user, session, tags) that applies to every call made inside it, via contextvars."""

from __future__ import annotations

import contextvars
import functools
import inspect
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, Optional

_current: "contextvars.ContextVar[Dict[str, Any]]" = contextvars.ContextVar("llmlab_attribution", default={})


def current() -> Dict[str, Any]:
    return _current.get()


def _merge(outer: Dict[str, Any], inner: Dict[str, Any]) -> Dict[str, Any]:
    merged = dict(outer)
    for key, value in inner.items():
        if value is None:
            continue
        if key in ("tags", "metadata"):
            merged[key] = {**(outer.get(key) or {}), **value}
        else:
            merged[key] = value
    return merged


@contextmanager
def context(feature: Optional[str] = None, user_id: Optional[str] = None, environment: Optional[str] = None,
            tags: Optional[Dict[str, Any]] = None, metadata: Optional[Dict[str, Any]] = None,
            session_id: Optional[str] = None) -> Iterator[Dict[str, Any]]:
    """``with sdk.context(feature="search"):`` tags every call inside; nested contexts merge, inner wins.
    ``session_id`` groups the calls of one conversation or agent run (GET /api/sessions)."""
    attribution = _merge(current(), {"feature": feature, "user_id": user_id, "environment": environment,
                                     "tags": tags, "metadata": metadata, "session_id": session_id})
    token = _current.set(attribution)
    try:
        yield attribution
    finally:
        _current.reset(token)


def track(feature: Optional[str] = None, user_id: Optional[str] = None, environment: Optional[str] = None,
          tags: Optional[Dict[str, Any]] = None, metadata: Optional[Dict[str, Any]] = None,
          session_id: Optional[str] = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``@sdk.track(feature="summarize")``: the decorated function (sync or async) runs inside that context."""
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with context(feature, user_id, environment, tags, metadata, session_id):
                    return await fn(*args, **kwargs)
            return run_async

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            with context(feature, user_id, environment, tags, metadata, session_id):
                return fn(*args, **kwargs)
        return run
    return decorate

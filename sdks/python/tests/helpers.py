"""Test helpers: the real server's address and key come from LLMLAB_BASE_URL / LLMLAB_API_KEY."""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

# Importable without installing: the package sits next to the tests folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BASE_URL = os.environ.get("LLMLAB_BASE_URL", "")
API_KEY = os.environ.get("LLMLAB_API_KEY", "")


def require_server() -> None:
    if not BASE_URL or not API_KEY:
        raise RuntimeError("LLMLAB_BASE_URL and LLMLAB_API_KEY must point at a running LLMLab server (npm test sets them)")


def unique(prefix: str) -> str:
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


def get(path: str) -> Any:
    request = urllib.request.Request(BASE_URL + path, headers={"Authorization": "Bearer " + API_KEY})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


def events(**filters: str) -> List[Dict[str, Any]]:
    return get("/api/events?" + urllib.parse.urlencode({"limit": "500", **filters}))["events"]


def wait_for(check: Callable[[], Optional[Any]], timeout: float = 10.0) -> Any:
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value is not None:
            return value
        if time.monotonic() > end:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)

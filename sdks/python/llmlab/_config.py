"""The only place the SDK reads the environment; explicit arguments always win over it."""

from __future__ import annotations

import os
from typing import Dict, Mapping, Optional

DEFAULT_BASE_URL = "http://localhost:8787"


def env_defaults(env: Optional[Mapping[str, str]] = None) -> Dict[str, object]:
    """LLMLAB_API_KEY, LLMLAB_BASE_URL, LLMLAB_ENVIRONMENT, LLMLAB_DISABLED."""
    source = os.environ if env is None else env

    def get(name: str) -> Optional[str]:
        value = source.get(name, "").strip()
        return value or None

    disabled = get("LLMLAB_DISABLED")
    return {
        "api_key": get("LLMLAB_API_KEY"),
        "base_url": get("LLMLAB_BASE_URL") or DEFAULT_BASE_URL,
        "environment": get("LLMLAB_ENVIRONMENT"),
        "disabled": disabled is not None and disabled.lower() not in ("0", "false", "no"),
    }

"""LLMLab: know what every LLM call costs. Standard library only.

    from llmlab import sdk
    sdk.init("llmlab_...", base_url="http://localhost:8787")
    sdk.track_call(provider="openai", model="gpt-4o", input_tokens=1000, output_tokens=500)
"""

from . import sdk
from .client import Client
from .errors import (
    AuthenticationError,
    BudgetExceededError,
    ConnectionError,
    LLMLabError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnavailableError,
    ValidationError,
)

__all__ = [
    "sdk",
    "Client",
    "LLMLabError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ValidationError",
    "RateLimitError",
    "BudgetExceededError",
    "UnavailableError",
    "ConnectionError",
]
__version__ = "0.1.0"

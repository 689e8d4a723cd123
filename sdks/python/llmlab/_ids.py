"""Time-ordered event ids (UUIDv7, RFC 9562) so retried batches are idempotent on the server."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = -1
_seq = 0


def new_event_id(now_ms: "int | None" = None) -> str:
    """A UUIDv7: 48-bit Unix ms, a 12-bit per-ms counter (so ids sort in creation order), random bits."""
    global _last_ms, _seq
    rnd = os.urandom(10)
    with _lock:
        ms = int(time.time() * 1000) if now_ms is None else now_ms
        if ms > _last_ms:
            _last_ms = ms
            _seq = ((rnd[0] << 8) | rnd[1]) & 0x7FF
        else:
            _seq += 1
            if _seq > 0xFFF:
                _last_ms += 1
                _seq = 0
        ms, seq = _last_ms, _seq
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= seq << 64
    value |= 0b10 << 62
    value |= int.from_bytes(rnd[2:], "big") & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))

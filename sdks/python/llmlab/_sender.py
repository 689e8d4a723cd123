"""Background delivery: a bounded queue drained in batches by one daemon thread."""

from __future__ import annotations

import collections
import threading
import time
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

from ._transport import backoff_delay, is_retryable, parse_retry_after

Post = Callable[[List[Dict[str, Any]]], Tuple[int, Optional[str], Any]]


class Sender:
    """Events go out when a batch is full or the interval passes; network errors, 5xx and 429 are
    retried with backoff (or after Retry-After) while new events keep queueing up to the bound;
    any other 4xx drops the batch, since sending it again would fail the same way."""

    def __init__(self, post: Post, batch_size: int, flush_interval: float, max_queue_size: int,
                 retry_base: float, retry_max: float, warn: Callable[[str], None]) -> None:
        self._post = post
        self._batch_size = batch_size
        self._interval = flush_interval
        self._max = max_queue_size
        self._retry_base = retry_base
        self._retry_max = retry_max
        self._warn = warn
        self._queue: Deque[Dict[str, Any]] = collections.deque()
        self._cond = threading.Condition()
        self._wake = threading.Event()
        self._in_flight = 0
        self._urgent = 0
        self._stopped = False
        self._outage = False
        self._warned: set = set()
        self.sent = 0
        self.dropped = 0
        self.rejected = 0
        self.retries = 0
        self._thread = threading.Thread(target=self._run, name="llmlab-sender", daemon=True)
        self._thread.start()

    def enqueue(self, event: Dict[str, Any]) -> None:
        with self._cond:
            if self._stopped:
                self._warn_once("stopped", "an event was tracked after shutdown() and is not sent")
                return
            if len(self._queue) >= self._max:
                self._queue.popleft()
                self.dropped += 1
                self._warn_once("full", "buffer full (%d events): dropping the oldest; stats()['dropped'] counts them" % self._max)
            self._queue.append(event)
            if len(self._queue) == 1 or len(self._queue) >= self._batch_size:
                self._cond.notify_all()

    def stats(self) -> Dict[str, int]:
        with self._cond:
            return {"pending": len(self._queue) + self._in_flight, "sent": self.sent, "dropped": self.dropped,
                    "rejected": self.rejected, "retries": self.retries}

    def flush(self, timeout: float = 30.0) -> bool:
        """Sends everything queued now; True once delivered (or refused), False if the timeout passed first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._urgent += 1
            self._wake.set()
            self._cond.notify_all()
            try:
                while self._queue or self._in_flight:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    self._cond.wait(left)
                return True
            finally:
                self._urgent -= 1

    def close(self, timeout: float = 10.0) -> bool:
        done = self.flush(timeout)
        with self._cond:
            self._stopped = True
            left = len(self._queue) + self._in_flight
            self._wake.set()
            self._cond.notify_all()
        if left:
            self._warn("shutdown: %d events could not be delivered within %g s and are lost" % (left, timeout))
        return done

    def _run(self) -> None:
        due = time.monotonic() + self._interval
        while True:
            with self._cond:
                while True:
                    if self._stopped:
                        return
                    now = time.monotonic()
                    if self._queue and (len(self._queue) >= self._batch_size or self._urgent or now >= due):
                        break
                    if not self._queue:
                        due = now + self._interval
                    self._cond.wait(due - now if self._queue else None)
                batch = self._take_batch()
                self._in_flight = len(batch)
            try:
                self._deliver(batch)
            finally:
                with self._cond:
                    self._in_flight = 0
                    self._cond.notify_all()

    def _take_batch(self) -> List[Dict[str, Any]]:
        """The oldest events, each event_id once: LLMLab refuses a batch that repeats one, and a
        repeat is the same call tracked twice, which the idempotency key already makes a no-op."""
        batch: List[Dict[str, Any]] = []
        seen = set()
        while self._queue and len(batch) < self._batch_size:
            event = self._queue.popleft()
            if event["event_id"] not in seen:
                seen.add(event["event_id"])
                batch.append(event)
        return batch

    def _deliver(self, batch: List[Dict[str, Any]]) -> None:
        attempt = 0
        split = False
        while True:
            with self._cond:
                if self._stopped:
                    return
            status, retry_after, body, failure = 0, None, None, ""
            try:
                status, retry_after, body = self._post(batch)
            except Exception as error:  # noqa: BLE001 - any transport failure is retried
                failure = str(error)
            if 200 <= status < 300:
                with self._cond:
                    self.sent += len(batch)
                if self._outage:
                    self._warn("LLMLab reachable again; delivered %d buffered events" % len(batch))
                self._outage = False
                return
            if status and not is_retryable(status):
                rest = [] if split else self._without_invalid(batch, body)
                split = True
                if not rest or len(rest) == len(batch):
                    self._reject(len(batch), status, body)
                    return
                self._reject(len(batch) - len(rest), status, body)
                batch, attempt = rest, 0
                continue
            with self._cond:
                self.retries += 1
            if not self._outage:
                self._outage = True
                self._warn("could not deliver %d events (%s); buffering and retrying in the background"
                           % (len(batch), ("HTTP %d" % status) if status else failure))
            wait = parse_retry_after(retry_after)
            if wait is None:
                wait = backoff_delay(attempt, self._retry_base, self._retry_max)
            attempt += 1
            # A flush() or shutdown sets the event so that this tries again (or stops) at once.
            self._wake.wait(wait)
            self._wake.clear()

    @staticmethod
    def _without_invalid(batch: List[Dict[str, Any]], body: Any) -> List[Dict[str, Any]]:
        details = body.get("error", {}).get("details") if isinstance(body, dict) and isinstance(body.get("error"), dict) else None
        if not isinstance(details, list):
            return []
        bad = set()
        for detail in details:
            path = str(detail.get("path", "")) if isinstance(detail, dict) else ""
            parts = path.split(".")
            if len(parts) > 1 and parts[0] == "events" and parts[1].isdigit():
                bad.add(int(parts[1]))
        return [e for i, e in enumerate(batch) if i not in bad] if bad else []

    def _reject(self, count: int, status: int, body: Any) -> None:
        with self._cond:
            self.rejected += count
        error = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else {}
        code = error.get("code") or "http_%d" % status
        self._warn_once("reject:" + code, "LLMLab refused %d events (HTTP %d %s: %s); they are not retried"
                        % (count, status, code, error.get("message", "no message")))

    def _warn_once(self, key: str, message: str) -> None:
        if key in self._warned:
            return
        self._warned.add(key)
        self._warn(message)

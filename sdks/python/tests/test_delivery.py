"""Retry, backoff, Retry-After, 4xx and the buffer bound, against a local HTTP endpoint that
answers as scripted (the behaviour under test is the client's, so the answers are chosen here)."""

from __future__ import annotations

import json
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Tuple

import helpers  # noqa: F401 - puts the package on sys.path
from llmlab import Client
from llmlab._transport import backoff_delay, parse_retry_after


class ScriptedLLMLab:
    def __init__(self, answers: List[Tuple[int, Dict[str, str], Any]]) -> None:
        self.answers = answers
        self.batches: List[List[Dict[str, Any]]] = []
        self.times: List[float] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.batches.append(body["events"])
                outer.times.append(time.monotonic())
                status, headers, payload = outer.answers.pop(0) if outer.answers else (200, {}, {"success": True})
                raw = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def client_for(url: str, **options: Any) -> Client:
    settings = {"flush_interval": 0.05, "retry_base": 0.02, "retry_max": 0.1, "flush_at_exit": False}
    settings.update(options)
    return Client("llmlab_test", base_url=url, **settings)


class Delivery(unittest.TestCase):
    def test_retries_5xx_and_429_honouring_retry_after_then_delivers_once(self) -> None:
        fake = ScriptedLLMLab([(503, {}, {"error": {"code": "unavailable", "message": "down"}}),
                               (429, {"Retry-After": "0.3"}, {"error": {"code": "rate_limited", "message": "slow"}})])
        client = client_for(fake.url)
        event_id = client.track_call(provider="openai", model="gpt-4", input_tokens=1, output_tokens=1)
        self.assertTrue(client.flush(5))
        self.assertEqual([[e["event_id"] for e in b] for b in fake.batches], [[event_id]] * 3)
        self.assertGreaterEqual(fake.times[2] - fake.times[1], 0.29)
        self.assertEqual(client.stats()["retries"], 2)
        client.shutdown()
        fake.close()

    def test_network_errors_are_retried_until_the_server_answers(self) -> None:
        client = client_for("http://127.0.0.1:9")
        client.track_call(provider="openai", model="gpt-4", input_tokens=1, output_tokens=1)
        self.assertFalse(client.flush(0.3))
        self.assertGreater(client.stats()["retries"], 1)
        self.assertEqual(client.stats()["pending"], 1)
        client.shutdown(0.1)

    def test_4xx_is_not_retried_but_valid_events_of_a_batch_are_resent(self) -> None:
        details = [{"path": "events.1.provider", "message": "unknown provider"}]
        fake = ScriptedLLMLab([(400, {}, {"error": {"code": "validation_failed", "message": "bad", "details": details}}),
                               (403, {}, {"error": {"code": "forbidden", "message": "no ingest scope"}})])
        client = client_for(fake.url, batch_size=3)
        for provider in ("openai", "nope", "openai"):
            client.track_call(provider=provider, model="gpt-4", input_tokens=1, output_tokens=1)
        self.assertTrue(client.flush(5))
        self.assertEqual([len(b) for b in fake.batches], [3, 2])
        self.assertEqual(client.stats()["rejected"], 3)
        self.assertEqual(client.stats()["retries"], 0)
        client.shutdown()
        fake.close()

    def test_the_buffer_drops_the_oldest_and_says_so_once(self) -> None:
        client = client_for("http://127.0.0.1:9", max_queue_size=5, batch_size=100, flush_interval=60)
        with self.assertLogs("llmlab", level="WARNING") as logs:
            ids = [client.track_call(provider="openai", model="gpt-4", input_tokens=i, output_tokens=1) for i in range(12)]
        self.assertEqual(client.stats()["dropped"], 7)
        self.assertEqual(sum("dropping the oldest" in line for line in logs.output), 1)
        self.assertEqual(len(ids), 12)
        client.shutdown(0.1)

    def test_retry_policy_helpers(self) -> None:
        self.assertEqual(parse_retry_after("2"), 2.0)
        self.assertAlmostEqual(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0), 10.0)
        self.assertIsNone(parse_retry_after("later"))
        self.assertEqual(backoff_delay(3, 0.5, 30.0, rand=lambda: 1.0), 4.0)
        self.assertEqual(backoff_delay(30, 0.5, 30.0, rand=lambda: 1.0), 30.0)


if __name__ == "__main__":
    unittest.main()

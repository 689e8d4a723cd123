"""The Python SDK against the real LLMLab server."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import unittest
from pathlib import Path

from helpers import API_KEY, BASE_URL, events, get, require_server, unique

from llmlab import AuthenticationError, Client, sdk


class SdkAgainstServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        require_server()
        sdk.init(API_KEY, base_url=BASE_URL, flush_interval=0.05)

    @classmethod
    def tearDownClass(cls) -> None:
        sdk.shutdown()

    def test_track_call_is_stored_with_its_cost_to_the_nanodollar(self) -> None:
        feature = unique("py-track")
        event_id = sdk.track_call(provider="openai", model="gpt-4", input_tokens=1000, output_tokens=500,
                                  metadata={"feature": feature, "request": "r-1"})
        self.assertTrue(sdk.flush())
        stored = events(feature=feature)
        self.assertEqual(len(stored), 1)
        event = stored[0]
        self.assertEqual(event["event_id"], event_id)
        self.assertEqual(event["source"], "sdk")
        self.assertEqual((event["input_tokens"], event["output_tokens"]), (1000, 500))
        # gpt-4: 1000 x $30/M + 500 x $60/M = $0.06
        self.assertEqual(event["cost_nanos"], 60_000_000)
        self.assertEqual(event["cost"], 0.06)
        self.assertEqual(event["metadata"]["request"], "r-1")

    def test_cached_and_reasoning_tokens_are_priced_at_their_own_rates(self) -> None:
        feature = unique("py-parts")
        sdk.track_call(provider="openai", model="gpt-4o", input_tokens=1200, cached_input_tokens=1024,
                       output_tokens=300, reasoning_tokens=64, feature=feature, latency_ms=812.4)
        sdk.flush()
        event = events(feature=feature)[0]
        self.assertEqual((event["cached_input_tokens"], event["reasoning_tokens"], event["latency_ms"]), (1024, 64, 812))
        # gpt-4o: 176 x $2.50/M + 1024 x $1.25/M + 300 x $10/M = $0.00472
        self.assertEqual(event["cost_nanos"], 4_720_000)

    def test_context_and_decorator_attribute_every_call_inside(self) -> None:
        feature = unique("py-ctx")

        @sdk.track(feature=feature, tags={"via": "decorator"})
        def answer(question: str) -> str:
            return sdk.track_call(provider="anthropic", model="claude-sonnet-4-20250514",
                                  input_tokens=len(question), output_tokens=1)

        with sdk.context(user_id="cust-3", tags={"team": "support"}):
            first = answer("why?")
            with sdk.context(user_id="cust-4"):
                second = answer("how?")

        @sdk.track(feature=feature)
        async def answer_async() -> str:
            await asyncio.sleep(0)
            return sdk.track_call(provider="openai", model="gpt-4o-mini", input_tokens=3, output_tokens=1)

        third = asyncio.run(answer_async())
        sdk.flush()
        stored = {e["event_id"]: e for e in events(feature=feature)}
        self.assertEqual(stored[first]["user_id"], "cust-3")
        self.assertEqual(stored[first]["tags"], {"team": "support", "via": "decorator"})
        self.assertEqual(stored[second]["user_id"], "cust-4")
        self.assertEqual(stored[third]["feature"], feature)
        self.assertIsNone(stored[third]["user_id"])

    def test_a_call_whose_usage_never_arrived_is_unpriced_not_free(self) -> None:
        feature = unique("py-missing")
        before = sdk.get_summary(days=7)["unpriced_calls"]
        sdk.track_call(provider="openai", model="gpt-4", input_tokens=1000, output_tokens=500, feature=feature)
        missing = sdk.track_call(provider="openai", model="gpt-4", input_tokens=0, output_tokens=0, feature=feature,
                                 usage_missing=True, metadata={"stream_aborted": True})
        sdk.flush()
        event = next(e for e in events(feature=feature) if e["event_id"] == missing)
        self.assertEqual((event["usage_missing"], event["cost"], event["priced"]), (True, None, False))
        summary = sdk.get_summary(days=7)
        self.assertEqual(summary["unpriced_calls"], before + 1)
        # The feature's spend is the priced call's alone: the call without usage adds nothing, not $0 of "known" cost.
        self.assertEqual(summary["by_feature"][feature], 0.06)
        with self.assertRaisesRegex(Exception, "usage_missing must be True or False"):
            sdk.track_call(provider="openai", model="gpt-4", input_tokens=0, output_tokens=0, usage_missing="yes")  # type: ignore[arg-type]

    def test_a_batch_call_is_priced_at_the_batch_rates(self) -> None:
        feature = unique("py-tier")
        batch = sdk.track_call(provider="openai", model="gpt-4", input_tokens=1000, output_tokens=500, feature=feature,
                               service_tier="batch")
        sdk.flush()
        event = next(e for e in events(feature=feature) if e["event_id"] == batch)
        # gpt-4 at half of $30 / $60 per million: 1,000 x $15 + 500 x $30.
        self.assertEqual((event["service_tier"], event["cost_nanos"]), ("batch", 30_000_000))
        with self.assertRaisesRegex(Exception, "service_tier must be one of standard, batch, flex, priority"):
            sdk.track_call(provider="openai", model="gpt-4", input_tokens=1, output_tokens=1, service_tier="default")

    def test_calls_of_one_agent_run_share_its_session(self) -> None:
        feature = unique("py-session")
        run = unique("run")
        with sdk.context(session_id=run, user_id="acme"):
            first = sdk.track_call(provider="openai", model="gpt-4", input_tokens=1000, output_tokens=500, feature=feature)
            second = sdk.track_call(provider="openai", model="gpt-4", input_tokens=100, output_tokens=50, feature=feature)
        outside = sdk.track_call(provider="openai", model="gpt-4", input_tokens=1, output_tokens=1, feature=feature)
        sdk.flush()
        sessions = {e["event_id"]: e.get("session_id") for e in events(feature=feature)}
        self.assertEqual(sessions, {first: run, second: run, outside: None})
        # gpt-4 at $30 / $60 per million: (1,000 x 30 + 500 x 60) + (100 x 30 + 50 x 60) thousand nanodollars.
        self.assertEqual(get(f"/api/sessions/{run}")["cost_nanos"], 66_000_000)
        with self.assertRaisesRegex(Exception, "session_id must be a string of 1-200 characters"):
            sdk.track_call(provider="openai", model="gpt-4", input_tokens=1, output_tokens=1, session_id="x" * 201)

    def test_resending_an_event_id_does_not_double_count(self) -> None:
        feature = unique("py-idem")
        event_id = sdk.track_call(provider="openai", model="gpt-4", input_tokens=10, output_tokens=5, feature=feature)
        sdk.track_call(provider="openai", model="gpt-4", input_tokens=10, output_tokens=5, feature=feature, event_id=event_id)
        sdk.flush()
        self.assertEqual([e["event_id"] for e in events(feature=feature)], [event_id])
        self.assertRegex(event_id, r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]")

    def test_reads_recommendations_summary_and_budgets(self) -> None:
        feature = unique("py-reads")
        sdk.track_call(provider="openai", model="gpt-4", input_tokens=1000, output_tokens=500, feature=feature)
        sdk.flush()
        self.assertIsInstance(sdk.get_recommendations(), list)
        summary = sdk.get_summary(days=7)
        self.assertGreaterEqual(summary["calls"], 1)
        self.assertGreaterEqual(summary["by_model"]["openai/gpt-4"], 0.06)
        self.assertEqual(summary["by_feature"][feature], 0.06)
        self.assertIsInstance(sdk.get_budgets(), list)

    def test_a_4xx_is_not_retried(self) -> None:
        client = Client("llmlab_not_a_real_key", base_url=BASE_URL, flush_at_exit=False, retry_base=0.01)
        client.track_call(provider="openai", model="gpt-4", input_tokens=1, output_tokens=1)
        self.assertTrue(client.flush(5))
        self.assertEqual(client.stats(), {"pending": 0, "sent": 0, "dropped": 0, "rejected": 1, "retries": 0})
        with self.assertRaises(AuthenticationError) as caught:
            client.get_recommendations()
        self.assertEqual((caught.exception.code, caught.exception.status), ("unauthorized", 401))
        client.shutdown()

    def test_queued_events_are_flushed_at_exit(self) -> None:
        feature = unique("py-exit")
        script = ("from llmlab import sdk\n"
                  "sdk.init(flush_interval=60)\n"
                  "print(sdk.track_call(provider='openai', model='gpt-4', input_tokens=1000, output_tokens=500, feature=%r))\n"
                  % feature)
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=30)
        self.assertEqual(done.returncode, 0, done.stderr)
        stored = events(feature=feature)
        self.assertEqual([e["event_id"] for e in stored], [done.stdout.strip()])
        self.assertEqual(stored[0]["cost_nanos"], 60_000_000)

    def test_bad_input_is_refused_at_once_with_the_field_named(self) -> None:
        with self.assertRaisesRegex(Exception, "reasoning_tokens cannot exceed output_tokens"):
            sdk.track_call(provider="openai", model="o3", input_tokens=10, output_tokens=5, reasoning_tokens=6)


if __name__ == "__main__":
    unittest.main()

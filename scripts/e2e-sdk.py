"""Drives one whole Realtime session against `realtime-harness serve` through
the official `openai` Python SDK (`client.realtime.connect()`), and checks
every server event against the SDK's own `RealtimeServerEvent` pydantic
union. Run by `scripts/e2e-sdk`, which starts the server; usage:

    python e2e-sdk.py ws://127.0.0.1:PORT/v1

Prints a short transcript (audio elided; runs of one delta type folded)
and ends with `N passed, N failed`; exits non-zero on any failure.
"""

import base64
import json
import math
import signal
import sys

import openai
import pydantic
from openai.types.realtime.realtime_server_event import RealtimeServerEvent

ADAPTER = pydantic.TypeAdapter(RealtimeServerEvent)
TIMEOUT_SECONDS = 120


class Session:
    """The connection, the checks, and the transcript."""

    def __init__(self, conn):
        self.conn = conn
        self.passed = 0
        self.failed = 0
        self.invalid = 0
        self.events = 0
        self.run_type = None
        self.run_count = 0
        self.run_bytes = 0

    # -- transcript ---------------------------------------------------------

    def _flush_run(self):
        if self.run_type is None:
            return
        audio = f", {self.run_bytes} bytes of audio" if self.run_bytes else ""
        times = f" x{self.run_count}" if self.run_count > 1 else ""
        print(f"  <- {self.run_type}{times}{audio}")
        self.run_type, self.run_count, self.run_bytes = None, 0, 0

    def note(self, line):
        self._flush_run()
        print(line)

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            self.note(f"ok   {name}")
        else:
            self.failed += 1
            self.note(f"FAIL {name} {detail}")

    # -- wire ---------------------------------------------------------------

    def send(self, event):
        brief = {k: v for k, v in event.items() if k != "audio"}
        if "audio" in event:
            brief["audio"] = f"<{len(base64.b64decode(event['audio']))} bytes>"
        kind = event["type"]
        if kind == "input_audio_buffer.append":
            # Folded like deltas: one line per run of appends.
            if self.run_type != "-> input_audio_buffer.append":
                self._flush_run()
                self.run_type = "-> input_audio_buffer.append"
            self.run_count += 1
            self.run_bytes += len(base64.b64decode(event["audio"]))
        else:
            self.note(f"  -> {json.dumps(brief)[:110]}")
        self.conn.send(event)

    def recv(self):
        raw = self.conn.recv_bytes()
        self.events += 1
        try:
            ADAPTER.validate_json(raw)
        except pydantic.ValidationError as err:
            self.invalid += 1
            self.note(f"FAIL not a valid RealtimeServerEvent: {str(err)[:300]}: {raw[:200]!r}")
        event = json.loads(raw)
        kind = event["type"]
        audio = len(base64.b64decode(event["delta"])) if kind == "response.output_audio.delta" else 0
        if kind.endswith(".delta"):
            if self.run_type != kind:
                self._flush_run()
                self.run_type = kind
            self.run_count += 1
            self.run_bytes += audio
        else:
            self.note(f"  <- {summary(event)}")
        return event

    def until(self, kind):
        """Events up to and including the first of `kind`."""
        seen = []
        while True:
            event = self.recv()
            seen.append(event)
            if event["type"] == kind:
                return seen


def summary(event):
    """One line for a server event: its type and what matters in it."""
    kind = event["type"]
    if kind == "error":
        e = event["error"]
        return f"error {e.get('code')} param={e.get('param')} event_id={e.get('event_id')}"
    if kind in ("response.created", "response.done"):
        r = event["response"]
        return f"{kind} {r['id']} status={r['status']}"
    if "item" in event:
        item = event["item"]
        return f"{kind} {item.get('id')} {item.get('type')} {item.get('role', item.get('name', ''))}".rstrip()
    for key in ("transcript", "text", "arguments", "item_id"):
        if key in event:
            return f"{kind} {key}={json.dumps(event[key])[:60]}"
    return kind


def tone(ms, level=0.2):
    """`ms` of 16-bit PCM at 24 kHz: a 440 Hz tone."""
    samples = bytearray()
    for i in range(ms * 24):
        value = int(level * 32767 * math.sin(2 * math.pi * 440 * i / 24000))
        samples += value.to_bytes(2, "little", signed=True)
    return bytes(samples)


def text_of(done):
    """The text or transcript of a `response.done`'s first output."""
    part = done["response"]["output"][0]["content"][0]
    return part.get("text") or part.get("transcript") or ""


def user(text):
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


def main():
    base_url = sys.argv[1]
    signal.alarm(TIMEOUT_SECONDS)
    print(f"openai {openai.__version__}, pydantic {pydantic.VERSION}, server {base_url}")
    client = openai.OpenAI(api_key="sk-e2e-test", websocket_base_url=base_url)
    with client.realtime.connect(model="gpt-realtime") as conn:
        s = Session(conn)
        first = s.recv()
        s.check("session.created comes first", first["type"] == "session.created")

        weather = {
            "type": "function",
            "name": "get_weather",
            "description": "The weather in a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
                "required": ["city"],
            },
        }
        s.send({"type": "session.update", "event_id": "evt_update", "session": {
            "type": "realtime",
            "instructions": "Answer briefly.",
            "tools": [weather],
            "tool_choice": "auto",
            "audio": {
                "input": {"format": {"type": "audio/pcm", "rate": 24000}, "turn_detection": None},
                "output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "marin"},
            },
        }})
        updated = s.until("session.updated")[-1]["session"]
        s.check("session.updated echoes tools and formats",
                updated["tools"][0]["name"] == "get_weather"
                and updated["audio"]["input"]["turn_detection"] is None
                and updated["audio"]["output"]["format"]["type"] == "audio/pcm")

        # A text turn.
        s.send({"type": "conversation.item.create", "item": user("Hello, who are you?")})
        s.until("conversation.item.done")
        s.send({"type": "response.create", "response": {"output_modalities": ["text"]}})
        events = s.until("response.done")
        deltas = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
        s.check("text deltas add up to the response text",
                deltas == text_of(events[-1]) == "You said: Hello, who are you?", repr(deltas))

        # A function call round trip.
        s.send({"type": "conversation.item.create", "item": user("Call get_weather for Paris")})
        s.until("conversation.item.done")
        s.send({"type": "response.create", "response": {"output_modalities": ["text"]}})
        events = s.until("response.done")
        call = events[-1]["response"]["output"][0]
        args = json.loads(call.get("arguments", "null"))
        s.check("the model calls get_weather with valid arguments",
                call["type"] == "function_call" and args == {"city": "Paris", "unit": "celsius"}, call)
        s.send({"type": "conversation.item.create", "item": {
            "type": "function_call_output", "call_id": call["call_id"], "output": '{"temperature": 21}'}})
        s.until("conversation.item.done")
        s.send({"type": "response.create", "response": {"output_modalities": ["text"]}})
        events = s.until("response.done")
        s.check("the answer uses the function output", "21" in text_of(events[-1]), text_of(events[-1]))

        # Audio appended in 20 ms chunks, committed, answered in audio.
        audio = tone(1000)
        for i in range(0, len(audio), 960):
            s.send({"type": "input_audio_buffer.append", "audio": base64.b64encode(audio[i:i + 960]).decode()})
        s.send({"type": "input_audio_buffer.commit", "event_id": "evt_commit"})
        events = s.until("conversation.item.done")
        committed = events[0]
        s.check("commit makes a user audio item",
                committed["type"] == "input_audio_buffer.committed"
                and events[-1]["item"]["content"][0]["type"] == "input_audio")
        s.send({"type": "response.create"})
        events = s.until("response.done")
        pcm = sum(len(base64.b64decode(e["delta"])) for e in events if e["type"] == "response.output_audio.delta")
        done = events[-1]["response"]
        s.check("the audio response streams PCM16 with a transcript",
                pcm > 0 and pcm % 48 == 0 and done["status"] == "completed"
                and text_of(events[-1]) == "You said: [1.0 seconds of audio]", (pcm, text_of(events[-1])))

        # Truncate the assistant audio: inside it, then past it.
        item_id = done["output"][0]["id"]
        audio_ms = pcm // 48
        s.send({"type": "conversation.item.truncate", "event_id": "evt_trunc", "item_id": item_id,
                "content_index": 0, "audio_end_ms": audio_ms // 2})
        truncated = s.recv()
        s.check("truncate inside the audio is confirmed",
                truncated["type"] == "conversation.item.truncated" and truncated["audio_end_ms"] == audio_ms // 2)
        s.send({"type": "conversation.item.truncate", "event_id": "evt_trunc_far", "item_id": item_id,
                "content_index": 0, "audio_end_ms": audio_ms + 1000})
        error = s.recv()
        s.check("truncate past the audio is an error echoing the event id",
                error["type"] == "error" and error["error"]["event_id"] == "evt_trunc_far"
                and error["error"]["param"] == "audio_end_ms", error)

        # A cancelled response.
        long_text = " ".join(["please say this long sentence back to me slowly"] * 3)
        s.send({"type": "conversation.item.create", "item": user(long_text)})
        s.until("conversation.item.done")
        s.send({"type": "response.create", "event_id": "evt_long"})
        s.until("response.output_audio.delta")
        s.send({"type": "response.cancel", "event_id": "evt_cancel"})
        done = s.until("response.done")[-1]["response"]
        s.check("response.cancel ends the response cancelled",
                done["status"] == "cancelled" and done["status_details"]["reason"] == "client_cancelled", done["status"])

        # Errors echo the client's event ids.
        s.send({"type": "conversation.item.retrieve", "event_id": "evt_missing", "item_id": "item_nope"})
        error = s.recv()
        s.check("an unknown item is an error echoing the event id",
                error["type"] == "error" and error["error"]["event_id"] == "evt_missing"
                and error["error"]["code"] == "item_not_found", error)
        s.send({"type": "response.cancel", "event_id": "evt_cancel_none"})
        error = s.recv()
        s.check("cancel without a response is an error echoing the event id",
                error["type"] == "error" and error["error"]["event_id"] == "evt_cancel_none", error)

        s._flush_run()
        s.check(f"all {s.events} server events validate against the SDK's RealtimeServerEvent",
                s.invalid == 0, f"{s.invalid} invalid")
    print(f"{s.passed} passed, {s.failed} failed")
    return 0 if s.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

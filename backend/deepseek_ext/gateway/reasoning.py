"""DeepSeek's dialect on the OpenAI-compatible endpoints: ``reasoning`` becomes ``reasoning_content``.

ollama (>= 0.12.4) returns a thinking model's reasoning as ``message.reasoning`` and streams it as
``delta.reasoning`` (ollama ``openai/openai.go:46,335``) and has no switch for another name;
DeepSeek's API and NextChat read ``reasoning_content`` (NextChat ``app/client/platforms/openai.ts:
347-366``). Pure functions on decoded JSON and SSE lines; the native endpoints never come here.
"""

from __future__ import annotations

import json
from typing import Any


def rename_reasoning(payload: Any) -> Any:
    """The OpenAI chat/completion object with each choice's ``reasoning`` renamed (in place, returned).

    Covers ``choices[].message`` (whole answers), ``choices[].delta`` (stream chunks) and a
    choice-level ``reasoning`` (``/v1/completions``). An existing ``reasoning_content`` wins.
    """
    if not isinstance(payload, dict):
        return payload
    for choice in payload.get("choices") or ():
        if not isinstance(choice, dict):
            continue
        for holder in (choice.get("message"), choice.get("delta"), choice):
            if isinstance(holder, dict) and "reasoning" in holder:
                value = holder.pop("reasoning")
                holder.setdefault("reasoning_content", value)
    return payload


def is_usage_chunk(payload: Any) -> bool:
    """The chunk ollama adds for ``stream_options.include_usage``: ``choices: []`` and a ``usage``
    (ollama ``middleware/openai.go:144-157``)."""
    return isinstance(payload, dict) and payload.get("choices") == [] and isinstance(payload.get("usage"), dict)


def parse_sse_data(line: bytes) -> Any | None:
    """The JSON of one ``data: {...}`` SSE line, or None (comments, ``[DONE]``, other fields, bad JSON)."""
    if not line.startswith(b"data:"):
        return None
    data = line[5:].strip()
    if not data or data == b"[DONE]":
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


def sse_data_line(payload: Any) -> bytes:
    """One SSE ``data:`` line (without the blank line that ends the event)."""
    return b"data: " + json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"

"""Usage per key, for Prometheus on the gateway's metrics port, and as a summary on its admin port.

Counted from ollama's own usage fields, never estimated: OpenAI ``usage.prompt_tokens`` /
``usage.completion_tokens`` (in a stream, the ``include_usage`` chunk the gateway asks for), native
``prompt_eval_count`` / ``eval_count`` of the final (``done: true``) object. Labels carry key *names*
only (``keys.KeyStore``), never a key value. ``UsageBook`` keeps the same counts per caller (a key
name, or ``user:<name>`` for a console user behind a trusted proxy key) since the process started,
for ``GET /usage`` of the admin port, which the extension API sums over every gateway pod.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

TTFT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
TPS_BUCKETS = (1, 2, 5, 10, 20, 35, 50, 75, 100, 150, 250, 500, 1000)


@dataclass(frozen=True)
class Tokens:
    prompt: int = 0
    completion: int = 0


def openai_tokens(payload: Any) -> Tokens | None:
    """Tokens of an OpenAI answer or usage chunk (None without a ``usage`` object)."""
    usage = payload.get("usage") if isinstance(payload, dict) else None
    if not isinstance(usage, dict):
        return None
    return Tokens(prompt=_int(usage.get("prompt_tokens")), completion=_int(usage.get("completion_tokens")))


def native_tokens(payload: Any) -> Tokens | None:
    """Tokens of a native final object (``done: true``, or an ``/api/embed`` answer)."""
    if not isinstance(payload, dict):
        return None
    if "prompt_eval_count" not in payload and "eval_count" not in payload:
        return None
    return Tokens(prompt=_int(payload.get("prompt_eval_count")), completion=_int(payload.get("eval_count")))


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


class GatewayMetrics:
    """The gateway's metrics in a registry of their own (served on the metrics port)."""

    def __init__(self, registry: CollectorRegistry | None = None, *, started_at: str = "") -> None:
        self.registry = registry or CollectorRegistry()
        self.usage = UsageBook(started_at=started_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.requests = Counter("deepseek_gateway_requests", "Requests answered, by key name, model and HTTP code",
                                ["key", "model", "code"], registry=self.registry)
        self.tokens = Counter("deepseek_gateway_tokens", "Tokens counted by ollama, by key name, model and kind",
                              ["key", "model", "kind"], registry=self.registry)
        self.ttft = Histogram("deepseek_gateway_time_to_first_token_seconds",
                              "Seconds from the request to the first answer bytes from ollama",
                              ["key", "model"], buckets=TTFT_BUCKETS, registry=self.registry)
        self.tps = Histogram("deepseek_gateway_tokens_per_second",
                             "Completion tokens per second of generation, per answer",
                             ["key", "model"], buckets=TPS_BUCKETS, registry=self.registry)

    def request(self, *, key: str, model: str, code: int) -> None:
        self.requests.labels(key=key, model=model, code=str(code)).inc()

    def count_tokens(self, *, key: str, model: str, tokens: Tokens) -> None:
        if tokens.prompt:
            self.tokens.labels(key=key, model=model, kind="prompt").inc(tokens.prompt)
        if tokens.completion:
            self.tokens.labels(key=key, model=model, kind="completion").inc(tokens.completion)

    def first_token(self, *, key: str, model: str, seconds: float) -> None:
        self.ttft.labels(key=key, model=model).observe(max(0.0, seconds))

    def generation_rate(self, *, key: str, model: str, tokens: int, seconds: float) -> None:
        if tokens > 0 and seconds > 0:
            self.tps.labels(key=key, model=model).observe(tokens / seconds)


USER_PREFIX = "user:"
"""Callers metered per person (the console's trusted proxy key names the user)."""


@dataclass
class _ModelUsage:
    requests: int = 0
    prompt: int = 0
    completion: int = 0


@dataclass
class _CallerUsage:
    requests: int = 0
    errors: int = 0
    prompt: int = 0
    completion: int = 0
    models: dict[str, _ModelUsage] = field(default_factory=dict)


class UsageBook:
    """Requests, errors and tokens per caller and model since ``started_at`` (one event loop: no locks).

    Only identified callers are booked: a request refused for its key has no caller to charge.
    """

    def __init__(self, *, started_at: str) -> None:
        self.started_at = started_at
        self._callers: dict[str, _CallerUsage] = {}

    def record(self, *, caller: str, model: str, code: int, tokens: Tokens | None) -> None:
        usage = self._callers.get(caller)
        if usage is None:
            usage = self._callers[caller] = _CallerUsage()
        usage.requests += 1
        if code >= 400:
            usage.errors += 1
        prompt = tokens.prompt if tokens else 0
        completion = tokens.completion if tokens else 0
        usage.prompt += prompt
        usage.completion += completion
        if model:
            per_model = usage.models.get(model)
            if per_model is None:
                per_model = usage.models[model] = _ModelUsage()
            per_model.requests += 1
            per_model.prompt += prompt
            per_model.completion += completion

    def summary(self) -> dict[str, Any]:
        """The JSON of ``GET /usage``: ``{"since", "items": [...]}`` sorted by caller."""
        items = [
            {
                "caller": caller,
                "kind": "user" if caller.startswith(USER_PREFIX) else "key",
                "requests": u.requests,
                "errors": u.errors,
                "promptTokens": u.prompt,
                "completionTokens": u.completion,
                "models": {m: {"requests": mu.requests, "promptTokens": mu.prompt, "completionTokens": mu.completion}
                           for m, mu in sorted(u.models.items())},
            }
            for caller, u in sorted(self._callers.items())
        ]
        return {"since": self.started_at, "items": items}

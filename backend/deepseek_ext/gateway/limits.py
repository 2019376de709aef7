"""Fair share between callers: concurrent requests per key (or console user), optionally tokens per minute.

ollama serves ``OLLAMA_NUM_PARALLEL`` requests per pod and queues the rest, so one key that opens
many streams makes everyone else wait. A request over its key's limit is answered 429 with
``Retry-After`` at once instead of queueing. Single event loop: no locks needed.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from deepseek_ext.gateway.usage import USER_PREFIX

WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class LimitConfig:
    concurrent: int = 0
    """Requests a key may have open at once (0 = no limit)."""
    tokens_per_minute: int = 0
    """Tokens (prompt + completion) a key may use in any 60 s (0 = no limit); checked before a request."""
    concurrent_per_key: Mapping[str, int] = field(default_factory=dict)
    """Overrides of ``concurrent`` by key name (NextChat's one key serves every chat user)."""
    concurrent_per_user: int = 0
    """Requests one console user (caller ``user:<name>``) may have open at once (0 = as ``concurrent``)."""

    def concurrent_for(self, key: str) -> int:
        if key in self.concurrent_per_key:
            return self.concurrent_per_key[key]
        if key.startswith(USER_PREFIX) and self.concurrent_per_user:
            return self.concurrent_per_user
        return self.concurrent


@dataclass(frozen=True)
class Refusal:
    reason: str        # "concurrent" or "tokensPerMinute"
    limit: int
    retry_after: int   # seconds


@dataclass
class _KeyState:
    open: int = 0
    spent: deque[tuple[float, int]] = field(default_factory=deque)


class Limiter:
    def __init__(self, config: LimitConfig, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self._clock = clock
        self._keys: dict[str, _KeyState] = {}

    def _state(self, key: str) -> _KeyState:
        return self._keys.setdefault(key, _KeyState())

    def _spent(self, state: _KeyState, now: float) -> int:
        while state.spent and state.spent[0][0] <= now - WINDOW_SECONDS:
            state.spent.popleft()
        return sum(n for _, n in state.spent)

    def acquire(self, key: str) -> Refusal | None:
        """Take a slot for ``key`` (then call ``release``), or say why not."""
        state = self._state(key)
        now = self._clock()
        concurrent = self.config.concurrent_for(key)
        if concurrent and state.open >= concurrent:
            return Refusal("concurrent", concurrent, 1)
        if self.config.tokens_per_minute and self._spent(state, now) >= self.config.tokens_per_minute:
            oldest = state.spent[0][0]
            return Refusal("tokensPerMinute", self.config.tokens_per_minute,
                           max(1, math.ceil(oldest + WINDOW_SECONDS - now)))
        state.open += 1
        return None

    def release(self, key: str) -> None:
        state = self._state(key)
        state.open = max(0, state.open - 1)

    def spend(self, key: str, tokens: int) -> None:
        if tokens > 0 and self.config.tokens_per_minute:
            self._state(key).spent.append((self._clock(), tokens))

    def open_requests(self, key: str) -> int:
        return self._state(key).open

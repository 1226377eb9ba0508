"""A small in-memory rate limiter (sliding window per key, e.g. per client address): the login
form and the public follow-up page use it. One server process keeps its own counts."""

from __future__ import annotations

import threading
import time
from collections import deque


class RateLimiter:
    def __init__(self, limit: int, window_s: float):
        self.limit, self.window_s = limit, window_s
        self._hits: dict[str, deque] = {}
        self._lock = threading.Lock()

    def blocked(self, key: str) -> bool:
        """Whether `key` is at its limit now (nothing counted)."""
        now = time.monotonic()
        with self._lock:
            q = self._hits.get(key)
            if q is None:
                return False
            while q and now - q[0] > self.window_s:
                q.popleft()
            return len(q) >= self.limit

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            q = self._hits.setdefault(key, deque())
            while q and now - q[0] > self.window_s:
                q.popleft()
            if len(q) >= self.limit:
                return False
            q.append(now)
            if len(self._hits) > 10_000:  # forget idle keys
                for k in [k for k, v in self._hits.items() if not v]:
                    del self._hits[k]
            return True

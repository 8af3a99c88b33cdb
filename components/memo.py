"""A small shared cache for the build view's per-scenario results (read-only, one per process).

st.cache_resource hashes its arguments and inspects the function's signature on every call
(~0.3 ms each here, several calls per rerun); these results are keyed on plain tuples and
strings already, so a dict lookup does. Like st.cache_resource, values are shared between
sessions: only immutable results (str, frozen dataclasses, dicts nobody mutates) go in.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable


class SharedLRU:
    """A thread-safe LRU dict: `get_or_build(key, build)` returns the value under `key`,
    building it (outside the lock: two sessions may both build it once) when it is missing."""

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key: Hashable, build: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = build()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self.maxsize:
                self._cache.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()

    def __len__(self) -> int:
        return len(self._cache)


def shared_lru(maxsize: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Cache fn(corpus, *key) on `key` (hashable; begin it with the data version), LRU-bounded.

    The first argument (the corpus) is not part of the key. `fn.__wrapped__` is the uncached
    function; `fn.clear()` empties the cache.
    """

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        cache = SharedLRU(maxsize)

        @functools.wraps(fn)
        def wrapper(corpus: Any, *key: Any) -> Any:
            return cache.get_or_build(key, lambda: fn(corpus, *key))

        wrapper.clear = cache.clear  # type: ignore[attr-defined]
        return wrapper

    return deco

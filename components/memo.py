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
from typing import Any, Callable


def shared_lru(maxsize: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Cache fn(corpus, *key) on `key` (hashable; begin it with the data version), LRU-bounded.

    The first argument (the corpus) is not part of the key. `fn.__wrapped__` is the uncached
    function; `fn.clear()` empties the cache.
    """

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        cache: OrderedDict[tuple, Any] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def wrapper(corpus: Any, *key: Any) -> Any:
            with lock:
                if key in cache:
                    cache.move_to_end(key)
                    return cache[key]
            value = fn(corpus, *key)  # outside the lock: two sessions may both compute it once
            with lock:
                cache[key] = value
                while len(cache) > maxsize:
                    cache.popitem(last=False)
            return value

        wrapper.clear = cache.clear  # type: ignore[attr-defined]
        return wrapper

    return deco

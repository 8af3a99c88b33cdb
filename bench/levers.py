"""Process-level levers for a Streamlit app under classroom load (measured in bench/LOAD.md).

Both act once per server process (module state survives reruns) and cost nothing afterwards:

- `tcp_nodelay()`: Streamlit 1.67 binds its listening socket with `proto=0`, so asyncio never
  sets TCP_NODELAY on accepted connections; a small websocket frame that follows another then
  waits for the browser's delayed ACK, ~40 ms on Linux, in nearly every rerun. Setting the option
  on the process's TCP sockets fixes it: accepted sockets inherit it from the listener (Linux).
  Linux-only (/proc); a no-op elsewhere.
- `freeze_heap()`: `gc.freeze()` after the app's modules are imported moves everything alive then
  (Streamlit, pandas, plotly, pyarrow, the corpus: ~100 MB of objects) out of the collector's
  reach, so the full collection Streamlit runs after every script run (`runner.postScriptGC`)
  only walks what sessions allocate. Objects frozen are never collected by the cycle collector
  (reference counting still frees them), which is what module-level objects need anyway.

In the app, as early as possible in app.py:

    from bench import levers          # or move this file to components/serving.py
    levers.apply()

`bench/app_levers.py` runs the unchanged app.py with these applied, for bench/load.py variants.
"""

from __future__ import annotations

import gc
import importlib
import os
import socket
import threading
from typing import Iterable

_lock = threading.Lock()
_done: dict[str, object] = {}


def _tcp_inodes() -> set[str]:
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                inodes.update(line.split()[9] for line in f)
        except (OSError, StopIteration, IndexError):
            pass
    return inodes


def tcp_nodelay() -> int:
    """Set TCP_NODELAY on every TCP socket of this process (listener included); how many."""
    inodes = _tcp_inodes()
    count = 0
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return 0
    for fd in fds:
        try:
            link = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if not (link.startswith("socket:[") and link[8:-1] in inodes):
            continue
        try:
            dup = os.dup(int(fd))  # ours to close; the server's descriptor stays open
        except OSError:
            continue
        try:
            s = socket.socket(fileno=dup)
        except OSError:
            os.close(dup)
            continue
        try:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            count += 1
        except OSError:
            pass
        finally:
            s.close()
    return count


def freeze_heap(modules: Iterable[str] = ()) -> int:
    """Import `modules`, collect once, then freeze every object alive; how many were frozen."""
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # a view that fails to import should fail where it is used, not here
            pass
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


_last_trim = [0.0]


def malloc_trim(min_interval_s: float = 30.0) -> bool:
    """Hand freed heap memory back to the OS (glibc), at most every `min_interval_s`.

    CPython frees objects into its own arenas and glibc's heaps; after a class leaves, most of
    that memory stays mapped (RSS stays up) although it is free for the next sessions.
    `malloc_trim(0)` returns the free pages. Cheap when called rarely; glibc only.
    """
    import ctypes
    import time

    now = time.monotonic()
    if now - _last_trim[0] < min_interval_s:
        return False
    _last_trim[0] = now
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return False
    return True


def apply(modules: Iterable[str] = ()) -> dict[str, object]:
    """Both levers, once per process. `modules`: the app's lazily imported views, to freeze them too."""
    with _lock:
        if not _done:
            _done["tcp_nodelay_sockets"] = tcp_nodelay()
            _done["frozen_objects"] = freeze_heap(modules)
        return dict(_done)

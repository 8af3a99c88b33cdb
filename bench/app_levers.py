"""app.py, unchanged, with bench/levers.py applied first: a bench/load.py variant for measuring
the process-level levers before they are moved into the app.

    python bench/load.py --variant 'levers=bench/app_levers.py --runner.postScriptGC true'

Environment: LEVERS_APP (default app.py), LEVERS (comma list of `nodelay`, `freeze`, `trim`; default
nodelay,freeze), LEVERS_TRIM_S (trim at most this often, default 10).
Run from the project root (the default --cwd of bench/load.py), so `components` imports.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import levers  # noqa: E402

_APP = ROOT / os.environ.get("LEVERS_APP", "app.py")
_WANT = set(os.environ.get("LEVERS", "nodelay,freeze").split(","))
_VIEWS = ("components.compare", "components.landscape_view", "components.sources", "components.method")


def _code():
    # compiled once per process (module state survives reruns), like Streamlit's script cache
    cache = levers._done.setdefault("_code", {})
    mtime = _APP.stat().st_mtime_ns
    if cache.get("mtime") != mtime:
        cache["code"] = compile(_APP.read_text(), str(_APP), "exec")
        cache["mtime"] = mtime
    return cache["code"]


with levers._lock:
    if "applied" not in levers._done:
        if "nodelay" in _WANT:
            levers._done["tcp_nodelay_sockets"] = levers.tcp_nodelay()
        if "freeze" in _WANT:
            levers._done["frozen_objects"] = levers.freeze_heap(_VIEWS)
        levers._done["applied"] = True

if "trim" in _WANT:
    levers.malloc_trim(float(os.environ.get("LEVERS_TRIM_S", "10")))

exec(_code(), {"__name__": "__main__", "__file__": str(_APP)})

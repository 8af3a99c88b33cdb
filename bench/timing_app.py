"""app.py with the CPU time of each script run recorded (the script's own thread; the server's
event loop, which sends what the script drew, is the rest of bench/load.py's figure):

    python bench/load.py --app bench/timing_app.py --sessions 1 --no-floor --views build --mode query

Every 20 runs, $TIMING_OUT (default /tmp/peace-terms-runs.txt) gets the count, mean and median
of the runs' CPU ms, the first ten runs left out (imports, the corpus).

With $TIMING_PARTS (comma-separated `module:function` or `module:Class.method`, e.g.
`components.sidebar:render,components.build:render`), each of those functions' own CPU time
per run is added (mean ms per run, calls per run): where a rerun goes, in a real server, without
a profiler's distortion. A part is wrapped where its module holds it, so callers that took the
function with `from module import function` before the wrap are not counted.
"""

from __future__ import annotations

import functools
import importlib
import os
import runpy
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
_state = sys.modules.setdefault("_peace_terms_timing", type(sys)("_peace_terms_timing"))
if not hasattr(_state, "runs"):
    _state.runs = []
    _state.parts = {}  # name -> list of per-run ms
    _state.current = {}

    def _wrap(name: str) -> None:
        mod_name, path = name.split(":")
        owner = importlib.import_module(mod_name)
        *outer, func = path.split(".")
        for attr in outer:  # module:Class.method
            owner = getattr(owner, attr)
        f = getattr(owner, func)

        @functools.wraps(f)
        def timed(*args, **kwargs):
            t = time.thread_time()
            try:
                return f(*args, **kwargs)
            finally:
                cur = _state.current.setdefault(name, [0.0, 0])
                cur[0] += time.thread_time() - t
                cur[1] += 1

        setattr(owner, func, timed)

    for part in filter(None, os.environ.get("TIMING_PARTS", "").split(",")):
        _wrap(part.strip())

_state.current = {}
t0 = time.thread_time()
try:
    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
finally:
    _state.runs.append((time.thread_time() - t0) * 1000)
    for name, (secs, calls) in _state.current.items():
        _state.parts.setdefault(name, []).append((secs * 1000, calls))
    if len(_state.runs) % 20 == 0 and len(_state.runs) > 10:
        xs = _state.runs[10:]
        lines = [f"runs {len(xs)} mean {statistics.mean(xs):.2f} median {statistics.median(xs):.2f} ms"]
        for name, rows in sorted(_state.parts.items(), key=lambda kv: -sum(r[0] for r in kv[1][10:])):
            rows = rows[10:] if len(rows) > 10 else rows
            n = len(xs)
            lines.append(f"  {name:45} {sum(r[0] for r in rows) / n:6.2f} ms/run  {sum(r[1] for r in rows) / n:4.1f} calls/run")
        with open(os.environ.get("TIMING_OUT", "/tmp/peace-terms-runs.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")

"""app.py with the CPU time of each script run recorded (the script's own thread; the server's
event loop, which sends what the script drew, is the rest of bench/load.py's figure):

    python bench/load.py --app bench/timing_app.py --sessions 1 --no-floor --views build --mode query

Every 20 runs, $TIMING_OUT (default /tmp/peace-terms-runs.txt) gets the count, mean and median
of the runs' CPU ms, the first ten runs left out (imports, the corpus).
"""

from __future__ import annotations

import os
import runpy
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_state = sys.modules.setdefault("_peace_terms_timing", type(sys)("_peace_terms_timing"))
if not hasattr(_state, "runs"):
    _state.runs = []

t0 = time.thread_time()
try:
    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
finally:
    _state.runs.append((time.thread_time() - t0) * 1000)
    if len(_state.runs) % 20 == 0 and len(_state.runs) > 10:
        xs = _state.runs[10:]
        with open(os.environ.get("TIMING_OUT", "/tmp/peace-terms-runs.txt"), "w") as f:
            f.write(f"runs {len(xs)} mean {statistics.mean(xs):.2f} median {statistics.median(xs):.2f} ms\n")

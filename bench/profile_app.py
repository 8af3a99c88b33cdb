"""app.py under cProfile, for finding where a rerun's time goes in a real server:

    python bench/load.py --app bench/profile_app.py --sessions 1 --no-floor --views build --mode query
    python -c "import pstats; pstats.Stats('/tmp/peace-terms-app.prof').sort_stats('cumulative').print_stats(40)"

Every run of the script adds to one profile (the script threads only: the server's event loop is
not in it), written to $PROFILE_OUT (default /tmp/peace-terms-app.prof) every 20 runs.
cProfile slows small functions down; compare parts of one profile, not it with bench/load.py's figures.
"""

from __future__ import annotations

import cProfile
import os
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_state = sys.modules.setdefault("_peace_terms_profile", type(sys)("_peace_terms_profile"))
if not hasattr(_state, "prof"):
    _state.prof, _state.runs = cProfile.Profile(), 0

_state.prof.enable()
try:
    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
finally:
    _state.prof.disable()
    _state.runs += 1
    if _state.runs % 20 == 0:
        _state.prof.dump_stats(os.environ.get("PROFILE_OUT", "/tmp/peace-terms-app.prof"))

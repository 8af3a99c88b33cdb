#!/usr/bin/env python
"""Load benchmark: many concurrent headless sessions over Streamlit's own websocket protocol.

The command (`python bench/load.py --help`); the tool itself is the package bench/loadgen/:
procstats (RSS and CPU of the servers), server (starting them), client (the browser's side of
the protocol), scenarios (the links), phases (load, steady, burst and their statistics),
targets, report and cli. Exit status 1 when any session saw an error or an exception.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `bench.loadgen`, and `engine` for the scenarios

from bench.loadgen.cli import main  # noqa: E402

if __name__ == "__main__":
    rep = main()
    sys.exit(1 if rep["errors"] or rep["exceptions"] else 0)

# The two commands in the README: `run` sets up .venv from requirements.txt (the runtime),
# `test` from requirements-dev.txt (runtime, tests and benchmarks). `lock` recompiles both.
.PHONY: run test bench lock

run:  ## start the app on http://localhost:8501
	./scripts/dev.sh run

test:  ## run every test (installs Debian's chromium and nginx for the browser and scale-out tests when run as root)
	./scripts/dev.sh test

lock:  ## recompile requirements.txt and requirements-dev.txt (with hashes) from the .in files
	./scripts/dev.sh lock

bench:  ## the engine, landscape and load benchmarks (see bench/); needs the dev requirements (make test sets them up)
	.venv/bin/python bench/engine_bench.py
	.venv/bin/python bench/landscape_bench.py --quick

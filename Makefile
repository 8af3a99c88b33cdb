# The two commands in the README. Both set up .venv from requirements.txt first.
.PHONY: run test bench

run:  ## start the app on http://localhost:8501
	./scripts/dev.sh run

test:  ## run every test (installs Debian's chromium for the browser test when run as root)
	./scripts/dev.sh test

bench:  ## the engine, landscape and load benchmarks (see bench/)
	.venv/bin/python bench/engine_bench.py
	.venv/bin/python bench/landscape_bench.py --quick

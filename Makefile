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
# Every target below is one call of the front door, kata_tools.cli (`kata`, or `python -m kata_tools`
# without make); its messages name the commands the way make takes them.
KATA = $(PY) -m kata_tools
export KATA_RUNNER := make

.DEFAULT_GOAL := help
.PHONY: help setup data $(addprefix chapter,$(CHAPTERS)) progress next watch hint solution reset map \
        train generate bench test grade manifest bench-grade katas messages curriculum mistakes alternatives gallery-readme \
        lint lint-workflows bench-gate clean

# The list of commands comes from the front door, in the learner's language (KATA_LANG); before
# make setup has made .venv, the Python that will make it prints it.
help:
	@$(if $(wildcard $(PY)),$(PY),$(PYTHON)) -m kata_tools help

# ---------------------------------------------------------------- set-up
setup: $(STAMP)

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "nanoGPT Katas needs Python 3.10 or newer; this is " + sys.version.split()[0] + ". Run make with PYTHON=python3.12 (or another 3.10+).")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import torch' 2>/dev/null || $(PY) -m pip install "torch==$(TORCH_VERSION)" $(TORCH_PIP_ARGS)
	$(PY) -m pip install -r requirements.txt
	@touch $@

data: $(STAMP)
	$(KATA) data

$(CORPUS): | $(STAMP)
	$(PY) -m data.tinyshakespeare

# ---------------------------------------------------------------- learners
# TEST=name runs one test of the chapter; TB=long shows pytest's full traceback of each failure.
TEST ?=
TB ?=
GATE_ARGS = $(if $(TEST),--test '$(subst ','\'',$(TEST))') $(if $(TB),--tb=$(TB))

$(addprefix chapter,$(CHAPTERS)): chapter%: $(STAMP) | $(CORPUS)
	@$(KATA) chapter$* $(GATE_ARGS)

# chapter6 works as chapter06; chapter13 says which chapters there are.
chapter%: $(STAMP) | $(CORPUS)
	@$(KATA) chapter$* $(GATE_ARGS)

# ---------------------------------------------------------------- maintainers
test: $(STAMP) | $(CORPUS)
	$(KATA) test

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
	@$(KATA) train $(if $(STEPS),--steps $(STEPS)) $(if $(RECIPE),--recipe $(RECIPE)) --device $(DEVICE) $(TRAIN_ARGS)

generate: $(STAMP) | $(CORPUS)
	@$(KATA) generate --prompt '$(subst ','\'',$(PROMPT))' --length $(LENGTH) $(if $(SEED),--seed $(SEED)) \
		--device $(DEVICE) $(if $(CHECKPOINT),--checkpoint '$(subst ','\'',$(CHECKPOINT))')

bench: $(STAMP) | $(CORPUS)
	@$(KATA) bench

# ---------------------------------------------------------------- learner tools: progress, next, watch, hint, solution, reset, map
# They check the package named by KATA_IMPL (default katas) and speak KATA_LANG (en, zh, ja).
CHAPTER ?=
CONFIRM ?=
LEVEL ?=
DEPTH ?= 3

progress: $(STAMP) | $(CORPUS)
	@$(KATA) progress

next: $(STAMP) | $(CORPUS)
	@$(KATA) next $(CHAPTER)

watch: $(STAMP) | $(CORPUS)
	@$(KATA) watch $(CHAPTER)

hint: $(STAMP) | $(CORPUS)
	@$(KATA) hint $(CHAPTER) $(if $(LEVEL),--level $(LEVEL))

solution: $(STAMP) | $(CORPUS)
	@$(KATA) solution $(CHAPTER) --yes="$(CONFIRM)"

reset: $(STAMP)
	@$(KATA) reset $(CHAPTER) --yes="$(CONFIRM)"

map: $(STAMP) | $(CORPUS)
	@$(KATA) map --depth $(DEPTH)

# ---------------------------------------------------------------- mistakes gallery
# gallery/mistakes: one classic mistake each, caught by its chapter's tests;
# gallery/alternatives: correct but written differently, accepted by every later chapter.
# `make test` checks both (checks/test_gallery.py); these targets show the details.

mistakes: $(STAMP) | $(CORPUS)
	@$(KATA) mistakes $(CHAPTER)

alternatives: $(STAMP) | $(CORPUS)
	@$(KATA) alternatives $(CHAPTER)

gallery-readme: $(STAMP) | $(CORPUS)
	@$(KATA) gallery-readme

# ---------------------------------------------------------------- grading
# make grade runs the judge (kata_tools/grading/) from this checkout: the katas/ of this checkout, or of
# FORK, run in a bubblewrap sandbox; the judge compares their outputs with reference/'s and writes
# grade.json, grade-junit.xml and grade-summary.md. Points per chapter: kata_tools/grading/points.json.
# What a graded run loads from this checkout is in the grading manifest: after changing it, `make manifest`.
FORK ?=
MIN_SCORE ?=

grade: $(STAMP)
	@$(KATA) grade $(if $(FORK),--fork "$(FORK)") $(if $(MIN_SCORE),--min-score "$(MIN_SCORE)")

bench-grade: $(STAMP)
	@$(KATA) bench-grade

manifest: $(STAMP)
	$(KATA) manifest

# The workflows are checked inside make test (checks/test_workflows.py) by check-jsonschema
# against GitHub's workflow schema and by zizmor's security audit; both come with requirements.txt.
lint-workflows: $(STAMP)
	$(KATA) lint-workflows

# ---------------------------------------------------------------- maintenance
bench-gate: $(STAMP) | $(CORPUS)
	$(KATA) bench-gate $(if $(CHAPTERS_TO_BENCH),--chapters $(CHAPTERS_TO_BENCH))

katas: $(STAMP)
	$(KATA) katas

# The tools' messages: one gettext catalogue per language, kata.po, compiled to kata.mo (committed,
# so that nothing needs a build step; make test checks they match).
messages: $(STAMP)
	$(KATA) messages

# curriculum.toml is the chapter list; this rewrites what is generated from it: the chapter
# tables of the three READMEs and kata_tools/grading/points.json (make test checks they match).
curriculum: $(STAMP)
	$(KATA) curriculum

lint: $(STAMP)
	$(KATA) lint

clean:
	@$(if $(wildcard $(PY)),$(PY),$(PYTHON)) -m kata_tools clean

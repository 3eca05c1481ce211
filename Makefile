# nanoGPT Katas. `make` alone lists the commands.
#
# The first target you run sets everything up: a virtual environment in .venv
# with torch (CPU build) and the test tools, and the corpus in data/input.txt.
# A .venv made by `uv sync` is the same thing to it (see kata_tools/environment.py).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# make test adds the maintainers' tools (requirements-dev.txt) on top of the learner's.
DEV_STAMP := $(VENV)/.installed-dev
# torch goes in first, pinned, and as the CPU build: on Linux, PyPI's torch is the CUDA
# build, which pulls several GB of NVIDIA libraries the katas never use. So on Linux it
# comes from PyTorch's CPU index; on macOS and Windows PyPI's torch is already that build.
# With an NVIDIA GPU, to train on it, choose the CUDA build instead:
#   make setup TORCH_PIP_ARGS=                  PyPI's default Linux build (CUDA)
#   make setup TORCH_INDEX=https://download.pytorch.org/whl/cuXYZ   the CUDA version pytorch.org names
# (torch is installed only when .venv has none: `rm -rf .venv` first to switch builds).
# A torch you already have (2.2 or newer, in the Python that sets up) is reused, nothing downloaded:
#   make setup USE_SYSTEM_TORCH=yes              .venv sees that Python's packages
# TORCH_VERSION is also pyproject.toml's [tool.uv] constraint (make test checks they agree).
TORCH_VERSION ?= 2.13.0
USE_SYSTEM_TORCH ?=
ifeq ($(shell uname -s 2>/dev/null),Linux)
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
endif
TORCH_PIP_ARGS ?= $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
CORPUS := data/input.txt
# A .venv whose Python does not run here (made on the host of a Dev Container, or by a Python since
# removed) is set up again, whatever its stamp says.
VENV_BROKEN := $(shell test -e $(VENV) && ! $(PY) -S -c '' >/dev/null 2>&1 && echo yes)
# The chapters, 00 to 12, as curriculum.toml lists them (its `module = "chapterNN_..."` lines).
CHAPTERS := $(shell sed -n 's/^module = "chapter\([0-9][0-9]\)_.*/\1/p' curriculum.toml)

# Every target below is one call of the front door, kata_tools.cli (`kata`, or `python -m kata_tools`
# without make); its messages name the commands the way make takes them.
KATA = $(PY) -m kata_tools
export KATA_RUNNER := make

.DEFAULT_GOAL := help
.PHONY: help setup setup-dev requirements data $(addprefix chapter,$(CHAPTERS)) progress next watch hint solution reset map \
        train generate bench test grade grade-class manifest bench-grade katas notebooks messages curriculum mistakes \
        alternatives gallery-readme lint lint-workflows bench-gate bench-watch clean FORCE

# The list of commands comes from the front door, in the learner's language (KATA_LANG); before
# make setup has made .venv, the Python that will make it prints it.
help:
	@$(if $(wildcard $(PY)),$(PY),$(PYTHON)) -m kata_tools help

# ---------------------------------------------------------------- set-up
setup: $(STAMP)

$(STAMP): requirements.txt $(if $(VENV_BROKEN),FORCE)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "nanoGPT Katas needs Python 3.10 or newer; this is " + sys.version.split()[0] + ". Run make with PYTHON=python3.12 (or another 3.10+).")'
	$(PYTHON) -m kata_tools.environment --venv $(VENV) --torch "torch==$(TORCH_VERSION)" \
		--torch-args '$(TORCH_PIP_ARGS)' $(if $(filter yes,$(USE_SYSTEM_TORCH)),--system-torch)
	@touch $@

$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(PY) -m kata_tools.environment --venv $(VENV) --torch "torch==$(TORCH_VERSION)" --torch-args '$(TORCH_PIP_ARGS)' \
		--requirements requirements-dev.txt
	@touch $@

# The maintainers' tools on top: what make test, make lint and CI need (pyproject.toml's dev group).
setup-dev: $(DEV_STAMP)

FORCE:

# pyproject.toml lists the dependencies; this writes requirements.txt and requirements-dev.txt from it.
requirements: $(STAMP)
	$(KATA) requirements

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
test: $(DEV_STAMP) | $(CORPUS)
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
# grade.json, grade-junit.xml and grade-summary.md into OUTPUT_DIR (never into the fork).
# Points per chapter: kata_tools/grading/points.json.
# What a graded run loads from this checkout is in the grading manifest: after changing it, `make manifest`.
FORK ?=
MIN_SCORE ?=
OUTPUT_DIR ?= grade-output

grade: $(STAMP)
	@$(KATA) grade $(if $(FORK),--fork "$(FORK)") $(if $(MIN_SCORE),--min-score "$(MIN_SCORE)") --output-dir "$(OUTPUT_DIR)"

# make grade-class grades every fork of a roster (a CSV: student,repo and an optional commit or deadline)
# into OUT: gradebook.csv, summary.png and students/<student>/ (kata_tools/grading/classroom.py).
# A rerun grades only what changed. JOBS: forks at once; SHARD=K/N: one slice, merged later with
# python -m kata_tools.grading merge --out DIR SHARD_DIR...
ROSTER ?=
OUT ?=
JOBS ?=
SHARD ?=
CLASS_ARGS ?=

grade-class: $(STAMP)
	@$(KATA) grade-class $(if $(ROSTER),--roster "$(ROSTER)") $(if $(OUT),--out "$(OUT)") $(if $(JOBS),--jobs "$(JOBS)") \
		$(if $(SHARD),--shard "$(SHARD)") $(CLASS_ARGS)

# CLASS=8: grade 8 forks (solved, stubs, a mistake) one by one and as a class, side by side (target 0.6x).
CLASS ?=

bench-grade: $(STAMP)
	@$(KATA) bench-grade $(if $(CLASS),--class "$(CLASS)")

manifest: $(STAMP)
	$(KATA) manifest

# The workflows are checked inside make test (checks/test_workflows.py) by check-jsonschema
# against GitHub's workflow schema and by zizmor's security audit; both come with requirements-dev.txt.
lint-workflows: $(DEV_STAMP)
	$(KATA) lint-workflows

# ---------------------------------------------------------------- maintenance
bench-gate: $(STAMP) | $(CORPUS)
	$(KATA) bench-gate $(if $(CHAPTERS_TO_BENCH),--chapters $(CHAPTERS_TO_BENCH))

bench-watch: $(STAMP) | $(CORPUS)
	$(KATA) bench-watch $(if $(CHAPTERS_TO_BENCH),--chapters $(CHAPTERS_TO_BENCH))

katas: $(STAMP)
	$(KATA) katas

# One notebook per chapter (Colab, Jupyter, VS Code), generated from katas/ and never edited by
# hand; make test checks they match (checks/test_notebooks.py).
notebooks: $(DEV_STAMP)
	$(KATA) notebooks

# The tools' messages: one gettext catalogue per language, kata.po, compiled to kata.mo (committed,
# so that nothing needs a build step; make test checks they match).
messages: $(DEV_STAMP)
	$(KATA) messages

# curriculum.toml is the chapter list; this rewrites what is generated from it: the chapter
# tables of the three READMEs and kata_tools/grading/points.json (make test checks they match).
curriculum: $(STAMP)
	$(KATA) curriculum

lint: $(DEV_STAMP)
	$(KATA) lint

clean:
	@$(if $(wildcard $(PY)),$(PY),$(PYTHON)) -m kata_tools clean

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

.DEFAULT_GOAL := help
.PHONY: help setup data $(addprefix chapter,$(CHAPTERS)) progress next watch hint solution reset map \
        train generate bench test grade grade-class manifest bench-grade katas notebooks messages curriculum mistakes alternatives gallery-readme \
        lint lint-workflows bench-gate bench-watch clean requirements setup-dev FORCE

help:
	@echo "Learn:"
	@echo "  make chapter$(firstword $(CHAPTERS)) .. make chapter$(lastword $(CHAPTERS))   test one chapter (earlier chapters must be green; TEST=name, TB=long)"
	@echo "  make progress        every chapter's state and a progress bar"
	@echo "  make next            run the first chapter that is not done"
	@echo "  make watch           run it again every time you save a kata file"
	@echo "  make hint            a hint for the first failing test, one level at a time (CHAPTER=06)"
	@echo "  make solution CHAPTER=06   the reference, once chapter 06 is green (or CONFIRM=yes)"
	@echo "  make reset CHAPTER=06      put chapter 06's kata back to its stubs (asks first)"
	@echo "  make map             your model as a tensor map: shapes and parameters of every layer"
	@echo "  make train           train your GPT on Shakespeare into runs/ (STEPS=, RECIPE=tutorial, DEVICE=auto|cpu|cuda|mps)"
	@echo "  make generate        write text with the last complete run (PROMPT=\"ROMEO:\" LENGTH=500 SEED= CHECKPOINT= DEVICE=)"
	@echo "  make bench           the default recipe against the tutorial's: time to val loss 1.85"
	@echo ""
	@echo "Maintain:"
	@echo "  make test     the reference passes, every stub fails, katas/ matches reference/"
	@echo "  make grade    score katas/ in a bubblewrap sandbox: grade.json, JUnit, summary in grade-output/ (MIN_SCORE=, OUTPUT_DIR=)"
	@echo "  make grade FORK=path/to/clone   the instructor's grade of a student's clone, with this checkout's judge"
	@echo "  make grade-class ROSTER=roster.csv OUT=folder   grade a class: OUT/gradebook.csv, reports per student (JOBS=, SHARD=K/N)"
	@echo "  make bench-grade  how long a solved fork takes to grade (at most 120 s on 2 cores); CLASS=8: a class against one by one"
	@echo "  make manifest refresh the grading manifest after changing kata_tools/grading/, reference/ or curriculum.toml"
	@echo "  make katas    regenerate katas/ from reference/"
	@echo "  make notebooks  regenerate notebooks/ (one per chapter) from katas/, and the READMEs' Colab table"
	@echo "  make messages rewrite kata_tools/locale/*/LC_MESSAGES/kata.mo after editing a kata.po"
	@echo "  make curriculum  rewrite the READMEs' chapter tables, example summary and the points from curriculum.toml"
	@echo "  make bench-gate  time make chapterNN against its tests alone (CHAPTERS_TO_BENCH=all or 00,06; target 1.2x)"
	@echo "  make bench-watch time make watch's answer to a save against a cold pytest run (CHAPTERS_TO_BENCH=05,11,12)"
	@echo "  make mistakes the mistakes gallery: which test catches each classic mistake, and what it says"
	@echo "  make lint     ruff over the repository"
	@echo "  make lint-workflows  check .github/workflows against GitHub's schema and audit them with zizmor"
	@echo "  make data     fetch and verify data/input.txt (TINYSHAKESPEARE_SOURCE=path or URL)"
	@echo "  make requirements  rewrite requirements.txt and requirements-dev.txt from pyproject.toml"
	@echo "  make setup    create .venv with torch $(TORCH_VERSION) (CPU build; TORCH_PIP_ARGS= for PyPI's CUDA build) and the test tools"
	@echo "  make setup USE_SYSTEM_TORCH=yes   reuse the torch (2.2+) of the Python that sets up; download none"
	@echo "  make setup-dev  make setup, plus the maintainers' tools (babel, check-jsonschema, zizmor, ruff, uv)"

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
	$(PY) -m kata_tools.dev.requirements

data: $(STAMP)
	$(PY) -m data.tinyshakespeare

$(CORPUS): | $(STAMP)
	$(PY) -m data.tinyshakespeare

# ---------------------------------------------------------------- learners
# TEST=name runs one test of the chapter; TB=long shows pytest's full traceback of each failure.
TEST ?=
TB ?=
GATE_ARGS = $(if $(TEST),--test '$(subst ','\'',$(TEST))') $(if $(TB),--tb=$(TB))

$(addprefix chapter,$(CHAPTERS)): chapter%: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.learner.gate $* $(GATE_ARGS)

# chapter6 works as chapter06; chapter13 says which chapters there are.
chapter%: $(STAMP) | $(CORPUS)
	@$(PY) -m kata_tools.learner.gate $* $(GATE_ARGS)

# ---------------------------------------------------------------- maintainers
test: $(DEV_STAMP) | $(CORPUS)
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
# grade.json, grade-junit.xml and grade-summary.md into OUTPUT_DIR (never into the fork).
# Points per chapter: kata_tools/grading/points.json.
# What a graded run loads from this checkout is in the grading manifest: after changing it, `make manifest`.
FORK ?=
MIN_SCORE ?=
OUTPUT_DIR ?= grade-output

grade: $(STAMP)
	@$(PY) -m kata_tools.grading $(if $(FORK),--fork "$(FORK)") $(if $(MIN_SCORE),--min-score "$(MIN_SCORE)") \
		--output-dir "$(OUTPUT_DIR)"

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
	@test -n "$(ROSTER)" -a -n "$(OUT)" || { echo "usage: make grade-class ROSTER=roster.csv OUT=folder [JOBS=N] [SHARD=K/N]"; exit 2; }
	@$(PY) -m kata_tools.grading class --roster "$(ROSTER)" --out "$(OUT)" $(if $(JOBS),--jobs "$(JOBS)") \
		$(if $(SHARD),--shard "$(SHARD)") $(CLASS_ARGS)

# CLASS=8: grade 8 forks (solved, stubs, a mistake) one by one and as a class, side by side (target 0.6x).
CLASS ?=

bench-grade: $(STAMP)
	@$(PY) -m kata_tools.grading.bench $(if $(CLASS),--class "$(CLASS)")

manifest: $(STAMP)
	$(PY) -m kata_tools.grading.manifest

# The workflows are checked inside make test (checks/test_workflows.py) by check-jsonschema
# against GitHub's workflow schema and by zizmor's security audit; both come with requirements-dev.txt.
lint-workflows: $(DEV_STAMP)
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/zizmor --offline .github/workflows

# ---------------------------------------------------------------- maintenance
bench-gate: $(STAMP) | $(CORPUS)
	$(PY) -m kata_tools.dev.bench_gate $(if $(CHAPTERS_TO_BENCH),--chapters $(CHAPTERS_TO_BENCH))

bench-watch: $(STAMP) | $(CORPUS)
	$(PY) -m kata_tools.dev.bench_watch $(if $(CHAPTERS_TO_BENCH),--chapters $(CHAPTERS_TO_BENCH))

katas: $(STAMP)
	$(PY) -m kata_tools.dev.katagen

# One notebook per chapter (Colab, Jupyter, VS Code), generated from katas/ and never edited by
# hand; make test checks they match (checks/test_notebooks.py).
notebooks: $(DEV_STAMP)
	$(PY) -m kata_tools.dev.notebooks

# The tools' messages: one gettext catalogue per language, kata.po, compiled to kata.mo (committed,
# so that nothing needs a build step; make test checks they match).
messages: $(DEV_STAMP)
	$(PY) -m kata_tools.dev.messages

# curriculum.toml is the chapter list; this rewrites what is generated from it: the chapter
# tables of the three READMEs and kata_tools/grading/points.json (make test checks they match).
curriculum: $(STAMP)
	$(PY) -m kata_tools.dev.curriculum
	$(PY) -m kata_tools.dev.steps

lint: $(DEV_STAMP)
	$(PY) -m ruff check .

clean:
	rm -rf .pytest_cache .tox build
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

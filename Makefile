# The course's commands. `make book` and `make test` are the two a new user needs.
# Colab's Python version, recorded once in colab-runtime.txt; the venv is built with it where present.
COLAB_PYTHON := $(shell sed -n 's/^\# python: *//p' colab-runtime.txt)
PYTHON ?= $(shell sh tools/find_python.sh $(COLAB_PYTHON))
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
# Sphinx: warnings are errors (-W), broken references too (-n), report them all.
JB_BUILD := $(BIN)/jupyter-book build . --builder html -W -n --keep-going
# Loaded by every Python process started with it: internet connections are refused.
OFFLINE := PYTHONPATH=tools/offline
# A cell running past 300 s fails, named by nbval, instead of hanging CI.
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=300
# Independent test files side by side, each file's tests (and each notebook's cells) in one worker:
# most tests and chapters leave a core idle, so two workers halve the wall-clock time on 2 cores.
XDIST := -n 2 --dist loadfile
# The built site, which tests/test_book_html.py reads: rebuilt when a page or the configuration changed.
HTML := _build/html/index.html

# REF (or BRANCH, its older name) overrides the git ref the Colab bootstrap installs from.
INSTALL_REF = $(or $(REF),$(BRANCH))

.PHONY: help install book test quick unit nbval execute seeds saved colab student grade linkcheck bench ablation study clean

help:
	@echo "make book     build the website into _build/html"
	@echo "make test     unit and structure tests, nbval over every chapter, strict book build"
	@echo "make quick    the edit-test loop (under 2 minutes): structure, tests of what changed, one chapter"
	@echo "make execute  re-execute every chapter in place in a fresh kernel"
	@echo "make seeds    re-run every chapter under seeds $(SEEDS) without saving; fails if any claim breaks"
	@echo "make saved    regenerate course_utils/recipes.py from the chapters' #@save cells"
	@echo "make colab    rewrite notebooks' Colab metadata, badge and bootstrap from _config.yml (REF=tag/branch/commit to override the install)"
	@echo "make student  write the student edition (solutions stubbed) into dist/student (REF=... for its Colab installs)"
	@echo "make grade SUBMISSIONS=dir/  grade submitted notebooks into grades.csv (OUT=..., TIMEOUT=seconds per submission, JOBS=N in parallel)"
	@echo "make linkcheck  check external links (needs the network; not part of make test)"
	@echo "make bench    course recipes against the sources', 3 seeds, into book/results/ (QUICK=1: smoke test only)"
	@echo "make study    chapters 5-7's comparisons and the final test-split comparison, 3 seeds, into course_utils/data/ (QUICK=1: smoke test only)"
	@echo "make ablation chapter 3's recipe with one change undone at a time, 3 seeds, into course_utils/data/ (QUICK=1: smoke test only)"

# A venv left from another Python version is rebuilt: the pins are Colab's, for Colab's Python.
$(STAMP): requirements.txt colab-runtime.txt pyproject.toml
	@if [ -x $(PY) ] && [ "$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])')" != "$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')" ]; then \
	  echo "$(VENV) uses another Python than $(PYTHON): rebuilding it"; rm -rf $(VENV); fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import sys; print("Python", sys.version.split()[0], "in $(VENV)")'
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

install: $(STAMP)

# MathJax is copied from its PyPI package into _vendor/ so pages render math offline.
MATHJAX := _vendor/mathjax/tex-chtml.js
$(MATHJAX): $(STAMP) tools/vendor_mathjax.py
	$(PY) -m tools.vendor_mathjax

book: $(STAMP) $(MATHJAX)
	$(JB_BUILD)
	@echo "Website built: open $(CURDIR)/_build/html/index.html"

# The build comes first: the link tests read the HTML it writes. The build and the
# chapters run offline; the unit tests may not (the Colab install test uses PyPI).
test: $(STAMP) $(MATHJAX)
	$(OFFLINE) $(JB_BUILD)
	$(PY) -m pytest tests $(XDIST)
	$(OFFLINE) $(PY) -m pytest book $(NBVAL) $(XDIST)
	$(OFFLINE) $(PY) -m tools.bench.run --quick

$(HTML): $(STAMP) $(MATHJAX) _config.yml _toc.yml $(wildcard book/*.ipynb book/*.md)
	$(OFFLINE) $(JB_BUILD)

unit: $(HTML)
	$(PY) -m pytest tests $(XDIST)

quick: $(STAMP)
	$(PY) -m tools.quick

nbval: $(STAMP)
	$(OFFLINE) $(PY) -m pytest book $(NBVAL) $(XDIST)

execute: $(STAMP)
	$(PY) -m tools.execute

# Every claim a chapter asserts must hold for other seeds too, not only the committed one.
SEEDS ?= 1 2 3
seeds: $(STAMP)
	@for seed in $(SEEDS); do $(PY) -m tools.execute --seed $$seed --dry-run || exit 1; done

saved: $(STAMP)
	$(PY) -m tools.saved_code write

colab: $(STAMP)
	$(PY) -m tools.colab sync $(if $(INSTALL_REF),--ref $(INSTALL_REF))

student: $(STAMP)
	$(PY) -m tools.student $(if $(INSTALL_REF),--ref $(INSTALL_REF))

grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=path/to/notebooks/"; exit 2; }
	$(PY) -m tools.grade "$(SUBMISSIONS)" --out "$(or $(OUT),grades.csv)" --timeout $(or $(TIMEOUT),120) --jobs $(or $(JOBS),1)

# External links are checked separately: they need the network and are not part of make test.
linkcheck: $(STAMP) $(MATHJAX)
	$(BIN)/jupyter-book build . --builder linkcheck

# The benchmark: about 30 minutes. QUICK=1 runs every recipe for one epoch (seconds) and
# writes to _build/bench-quick/, never to the results page.
bench: $(STAMP)
	$(OFFLINE) $(PY) -m tools.bench.run $(if $(QUICK),--quick)

# Chapter 3's ablation table (course_utils/data/damped_ablation.csv): about 30 minutes. Re-run it when
# tests/test_damped_ablation.py says chapter 3's saved recipe changed. QUICK=1 writes to _build/ only.
ablation: $(STAMP)
	$(OFFLINE) $(PY) -m tools.bench.damped_ablation $(if $(QUICK),--quick)

# Chapters 5-7's comparisons and the course's final comparison on the test split
# (course_utils/data/synthetic_study*.csv): about 30 minutes. Re-run it when
# tests/test_synthetic_study.py says the saved recipes changed. QUICK=1 writes to _build/ only.
study: $(STAMP)
	$(OFFLINE) $(PY) -m tools.bench.synthetic_study $(if $(QUICK),--quick)

clean:
	rm -rf _build dist .pytest_cache _vendor

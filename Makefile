# The course's commands. `make book` and `make test` are the two a new user needs.
PYTHON ?= python3
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

.PHONY: help install book test unit nbval execute seeds colab student grade linkcheck bench clean

help:
	@echo "make book     build the website into _build/html"
	@echo "make test     unit and structure tests, nbval over every chapter, strict book build"
	@echo "make execute  re-execute every chapter in place in a fresh kernel"
	@echo "make seeds    re-run every chapter under seeds $(SEEDS) without saving; fails if any claim breaks"
	@echo "make colab    rewrite notebooks' Colab metadata and bootstrap from _config.yml (BRANCH=... to override)"
	@echo "make student  write the student edition (solutions stubbed) into dist/student (BRANCH=... for its Colab installs)"
	@echo "make grade SUBMISSIONS=dir/  grade submitted notebooks into grades.csv (OUT=..., TIMEOUT=seconds)"
	@echo "make linkcheck  check external links (needs the network; not part of make test)"
	@echo "make bench    course recipes against the sources', 3 seeds, into book/results/ (QUICK=1: smoke test only)"

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

install: $(STAMP)

# MathJax is copied from its PyPI package into _vendor/ so pages render math offline.
MATHJAX := _vendor/mathjax/tex-chtml.js
$(MATHJAX): $(STAMP) tools/vendor_mathjax.py
	$(PY) tools/vendor_mathjax.py

book: $(STAMP) $(MATHJAX)
	$(JB_BUILD)
	@echo "Website built: open $(CURDIR)/_build/html/index.html"

# The build comes first: the link tests read the HTML it writes. The build and the
# chapters run offline; the unit tests may not (the Colab install test uses PyPI).
test: $(STAMP) $(MATHJAX)
	$(OFFLINE) $(JB_BUILD)
	$(PY) -m pytest tests
	$(OFFLINE) $(PY) -m pytest book $(NBVAL)
	$(OFFLINE) $(PY) -m tools.bench.run --quick

unit: $(STAMP)
	$(PY) -m pytest tests

nbval: $(STAMP)
	$(OFFLINE) $(PY) -m pytest book $(NBVAL)

execute: $(STAMP)
	$(PY) tools/execute.py

# Every claim a chapter asserts must hold for other seeds too, not only the committed one.
SEEDS ?= 1 2 3
seeds: $(STAMP)
	@for seed in $(SEEDS); do $(PY) tools/execute.py --seed $$seed --dry-run || exit 1; done

colab: $(STAMP)
	$(PY) tools/colab.py sync $(if $(BRANCH),--branch $(BRANCH))

student: $(STAMP)
	$(PY) tools/student.py $(if $(BRANCH),--branch $(BRANCH))

grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=path/to/notebooks/"; exit 2; }
	$(PY) tools/grade.py "$(SUBMISSIONS)" --out "$(or $(OUT),grades.csv)" --timeout $(or $(TIMEOUT),600)

# External links are checked separately: they need the network and are not part of make test.
linkcheck: $(STAMP) $(MATHJAX)
	$(BIN)/jupyter-book build . --builder linkcheck

# The benchmark: about 30 minutes. QUICK=1 runs every recipe for one epoch (seconds) and
# writes to _build/bench-quick/, never to the results page.
bench: $(STAMP)
	$(OFFLINE) $(PY) -m tools.bench.run $(if $(QUICK),--quick)

clean:
	rm -rf _build dist .pytest_cache _vendor

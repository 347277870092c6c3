# Two commands for a newcomer:  `make book` builds the HTML, `make test` runs every test.
# Both create .venv and install the pinned requirements first (only when they changed).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HTML   := _build/html

NODE_STAMP := node_modules/.installed
LAB_STAMP  := $(VENV)/.installed-lab

.PHONY: setup book data notebooks figures lint test check clean constraints bench lab

$(STAMP): requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

# axe-core for the accessibility tests, pinned in package.json and package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# JupyterLab and jupyterlab-myst, pinned (requirements-lab.txt, constraints-lab.txt), into .venv.
$(LAB_STAMP): $(STAMP) requirements-lab.txt constraints-lab.txt
	$(BIN)/python -m pip install -q -r requirements-lab.txt -c constraints.txt -c constraints-lab.txt
	touch $(LAB_STAMP)

setup: $(STAMP)

## Open the chapters in JupyterLab (installed into .venv first): charts drawn, MyST rendered,
## the kernel is .venv's Python. Nothing to call first; re-run `make notebooks` before committing.
lab: $(LAB_STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

## Validate the dataset and regenerate data/*.csv, *.parquet, sections/*.csv and datapackage.json.
data: $(STAMP)
	$(BIN)/python -m stbook check
	$(BIN)/python -m stbook export

## Re-execute every chapter notebook in place (two at a time, each in a fresh kernel), storing
## its outputs without timing metadata, and record what they were made from (their code cells,
## the data, the package code they import) in notebooks/stamps.json; the build checks it.
## One notebook: .venv/bin/python -m stbook execute notebooks/NAME.ipynb
notebooks: $(STAMP)
	$(BIN)/python -m stbook execute notebooks/*.ipynb

## Build the book from the notebooks' stored outputs, warnings as errors -> _build/html/,
## with the slide-ready figures in _build/html/figures/ (stbook/build.py: incremental; a
## failed build starts afresh next time; nothing to do when no input changed)
book: $(STAMP)
	$(BIN)/python -m stbook build

## Every chart of the book as SVG and PNG (Chinese in Noto CJK), read from the notebooks'
## stored outputs -> _build/html/figures/<chapter>--<figure>.svg|.png (cached by spec)
figures: $(STAMP)
	$(BIN)/python -m stbook figures $(HTML)/figures

## The linter (ruff, configured in pyproject.toml): the code and the notebooks' code cells.
lint: $(STAMP)
	$(BIN)/ruff check .

## Everything: the linter, the book built afresh, data checks, unit tests, strict nbval over
## every notebook, the browser tests against the built book, and two chapters run in JupyterLab
## (tests/test_jupyterlab.py).
## (--build-book: the book is built afresh beside the first tests, which use the core its serial
## build leaves free; the tests that read the book wait for it.)
## (--warm-kernels: nbval's kernels are forked from one process that has imported ipykernel,
## pandas, Altair and the dataset once: tests/support/warmkernel.py.)
test: $(STAMP) $(NODE_STAMP) $(LAB_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m stbook check
	$(BIN)/python -m pytest -q -p no:cacheprovider --build-book --warm-kernels --nbval -n 2 --dist loadgroup notebooks tests

## Time the build, nbval, dataset loading and page weights against the budgets (bench/README.md).
bench: $(STAMP)
	$(BIN)/python bench/bench.py

constraints: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^stbook' \
	  | grep -vxF -f constraints-lab.txt > constraints.txt

clean:
	rm -rf _build test-artifacts node_modules

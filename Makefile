# Two commands for a newcomer:  `make book` builds the HTML, `make test` runs every test.
# Both create .venv and install the pinned requirements first (only when they changed).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HTML   := _build/html

NODE_STAMP := node_modules/.installed
LAB_STAMP  := $(VENV)/.installed-lab

.PHONY: setup book gettext data notebooks figures lint test check clean constraints bench system setup-system lab notebook-html

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

## What `make test` needs from Debian besides Python and make: chromium and the CJK fonts it
## draws the pages' Chinese with (the browser tests), npm (axe-core and the W3C Nu checker),
## a Java runtime (the Nu checker runs on it), python3-venv, poppler-utils (pdftotext reads the
## PDFs in tests/test_pdf.py). `make test`
## checks first and, when one is missing, stops at once naming the one command that installs
## them; `make setup-system` runs it: apt-get (with sudo unless root) of the missing ones only
## (npm, say, comes with NodeSource's nodejs, which conflicts with Debian's npm).
SYSTEM_PKGS := chromium fonts-noto-cjk npm default-jre-headless python3-venv poppler-utils
APT := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)
define MISSING_PKGS
missing=""; \
command -v "$${STBOOK_CHROMIUM:-chromium}" >/dev/null 2>&1 || missing="$$missing chromium"; \
[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing="$$missing fonts-noto-cjk"; \
command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
[ -x $(BIN)/python ] || $(PYTHON) -c "import ensurepip" 2>/dev/null || missing="$$missing python3-venv"
endef

system:
	@$(MISSING_PKGS); \
	if [ -n "$$missing" ]; then \
	  echo "make test needs Debian packages this machine lacks:$$missing. Run this, then make test again:"; \
	  echo "    make setup-system      # $(APT) update && $(APT) install -y$$missing"; \
	  exit 1; \
	fi

setup-system:
	@$(MISSING_PKGS); \
	if [ -z "$$missing" ]; then echo "nothing to install: $(SYSTEM_PKGS) are here"; exit 0; fi; \
	set -x; $(APT) update -qq && $(APT) install -y -qq$$missing

## Open the chapters in JupyterLab (installed into .venv first): charts drawn, MyST rendered,
## the kernel is .venv's Python. Nothing to call first; re-run `make notebooks` before committing.
lab: $(LAB_STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

## Every chapter as one HTML file, charts drawn as SVG, nothing loaded from another host
## (nbconvert's exporter stbook_html: stbook/notebookhtml.py) -> _build/notebook-html/. One:
## .venv/bin/jupyter nbconvert --to stbook_html --output-dir _build/notebook-html notebooks/NAME.ipynb
notebook-html: $(STAMP) $(LAB_STAMP)
	$(BIN)/jupyter nbconvert --to stbook_html --output-dir _build/notebook-html notebooks/*.ipynb

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

## The Chinese edition's catalogues (locales/README.md): the English text extracted afresh
## (_build/gettext/: one .pot a page, and outputs.pot, the stored outputs' strings), then
## locales/zh_CN/LC_MESSAGES/*.po updated by sphinx-intl: a new or changed English paragraph
## becomes an untranslated or fuzzy entry, a removed one is dropped.
gettext: $(STAMP)
	$(BIN)/python -c "import sys; from stbook.build import gettext; sys.exit(gettext())"
	$(BIN)/sphinx-intl update -p _build/gettext -d locales -l zh_CN -w 0 --no-obsolete
	$(BIN)/python -c "import sys; from stbook.build import tidy_catalogues; sys.exit(tidy_catalogues())"

## Every chart of the book as SVG and PNG, read from the notebooks' stored outputs and drawn in
## the committed CJK font (stbook/_vendor/fonts/, regenerated by `python -m stbook cjk-font`)
## -> _build/html/figures/<chapter>--<figure>.svg|.png (cached by spec), and in Chinese
## -> _build/html/zh/figures/ (the same specs, translated as the Chinese edition's pages are)
figures: $(STAMP)
	$(BIN)/python -m stbook figures $(HTML)/figures --zh=$(HTML)/zh/figures

## The linter (ruff, configured in pyproject.toml): the code and the notebooks' code cells.
lint: $(STAMP)
	$(BIN)/ruff check .

## Everything (after `make system`: it stops at once, naming the command, if a Debian package
## the tests need is missing): the linter, the book built afresh, data checks, unit tests,
## strict nbval over every notebook, the browser tests against the built book, and two
## chapters run in JupyterLab (tests/test_jupyterlab.py).
## (--build-book: the book is built afresh beside the first tests, which use the core its serial
## build leaves free; the tests that read the book wait for it.)
## (--warm-kernels: nbval's kernels are forked from one process that has imported ipykernel,
## pandas, Altair and the dataset once: tests/support/warmkernel.py.)
test: system $(STAMP) $(NODE_STAMP) $(LAB_STAMP)
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

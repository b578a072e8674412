# The two documented commands are `make run` and `make test`; everything else supports them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
MO     := resources/translations/es/LC_MESSAGES/clinic_desktop.mo
PO     := resources/translations/es/LC_MESSAGES/clinic_desktop.po

.PHONY: run test lint typecheck contracts pytest translations messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

# Compiled catalogs are generated, never edited: this is the one command that builds them.
$(MO): $(PO) | $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d resources/translations -D clinic_desktop -l es -i $(PO) -o $(MO) >/dev/null

translations: $(MO)

# Re-extracts every _() string from the code into the catalogs (then translate the new entries).
messages: $(DEVSTAMP)
	$(BIN)/pybabel extract --no-location --sort-output -k _ -k N_ -k ngettext:1,2 -o resources/translations/clinic_desktop.pot clinic_desktop >/dev/null
	$(BIN)/pybabel update --no-fuzzy-matching --omit-header -i resources/translations/clinic_desktop.pot -d resources/translations -D clinic_desktop -l es

run: $(STAMP) $(MO)
	$(BIN)/clinic-desktop

lint: $(DEVSTAMP)
	$(BIN)/ruff check clinic_desktop tests benchmarks
	$(BIN)/ruff format --check clinic_desktop tests benchmarks

typecheck: $(DEVSTAMP)
	$(BIN)/mypy

contracts: $(DEVSTAMP)
	$(BIN)/lint-imports

pytest: $(DEVSTAMP) $(MO)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

test: lint typecheck contracts pytest

bench: $(STAMP) $(MO)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(MO) build *.egg-info

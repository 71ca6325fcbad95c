# serialwatch: the targets the README names.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin

.PHONY: install test lint demo db-start db-stop clean

install: $(BIN)/serialwatch

# pip's build backend warns about editable installs in general; the install is quiet unless it fails.
PIP := PYTHONWARNINGS=ignore $(PY) -m pip install -q --disable-pip-version-check

$(BIN)/serialwatch: pyproject.toml
	@echo "installing serialwatch and its Python packages into $(VENV) (a minute or two the first time)"
	python3 -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -e '.[dev]'
	-$(PIP) -e '.[fast]'
	$(PIP) -e '.[spark]'
	touch $@

## The test suite (starts its own Neo4j on port 7688 if it is not running).
test: install
	$(PY) -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

## The main job: a local Neo4j with a synthetic national dataset (50,000 people).
demo: install
	$(BIN)/serialwatch demo

db-start: install
	$(BIN)/serialwatch db start

db-stop: install
	$(BIN)/serialwatch db stop

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .test-neo4j

## Screenshots of each explorer page for the README (needs `serialwatch demo` running; pass
## SHOT_USER and SHOT_PASSWORD, e.g. the demo-caseworker printed by the demo).
screenshots: install
	$(PY) -m dashboards.screenshots --url $${SHOT_URL:-http://127.0.0.1:8000} --user $(SHOT_USER) --password $(SHOT_PASSWORD)

# aiwarden developer commands. `make check` is the main job, `make test` the test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STACKS := $(patsubst stacks/Pulumi.%.yaml,%,$(wildcard stacks/Pulumi.*.yaml))
EXAMPLES := $(wildcard examples/*/Pulumi.yaml)

.PHONY: setup check check-examples lint typecheck docs docs-check test bench clean

$(BIN)/aiwarden: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

setup: $(BIN)/aiwarden

## The main job: the offline policy check of every reference stack (exit 1 on a mandatory violation).
check: setup
	@set -e; for stack in $(STACKS); do \
	  echo "== aiwarden check . --stack $$stack"; \
	  $(BIN)/aiwarden check . --stack $$stack; \
	done

check-examples: setup
	@set -e; for project in $(EXAMPLES); do \
	  dir=$$(dirname $$project); echo "== aiwarden check $$dir"; \
	  $(BIN)/aiwarden check $$dir; \
	done

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check aiwarden components tests bench
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy aiwarden components

docs: setup
	$(BIN)/python -m aiwarden.generate.all

docs-check: setup
	$(BIN)/python -m aiwarden.generate.all --check

## The test suite: lint, types, generated docs up to date, unit and end-to-end tests.
test: lint typecheck docs-check
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: setup
	$(BIN)/python -m bench.run --sizes 100 1000 5000 --write docs/performance.md
	$(BIN)/python -m bench.components --count 50 --repeat 9 --write docs/performance-components.md
	$(BIN)/python -m bench.platform --stack aws-production --repeat 7 --write docs/performance.md

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache

# Balai: `make demo` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: demo test install migrate serve lint format audit bench screenshots messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/balai migrate --no-input

demo: migrate
	$(BIN)/balai serve-demo

# Tests run in parallel (pytest-xdist, one process per core, at most 4); PYTEST_ARGS= for serial.
PYTEST_ARGS ?= -n auto --maxprocesses 4

test: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Known vulnerabilities in the installed dependencies (pip-audit). Says so plainly, and passes,
# where the vulnerability data cannot be reached; BALAI_AUDIT_REQUIRED=1 makes that a failure.
audit: install
	$(BIN)/python -m balai.devtools.dependency_audit $(AUDIT_ARGS)

messages: install
	$(BIN)/balai makemessages -l id -l en --ignore=.venv --ignore=var --ignore=bench --ignore=e2e --ignore='balai/devtools/*'
	$(BIN)/balai compilemessages --ignore=.venv

bench: install  # short runs; BENCH_ARGS=--full for the figures of docs/benchmarks.md
	$(BIN)/python bench/run.py $(BENCH_ARGS)

screenshots: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest e2e -k screenshot --screenshots

clean:
	rm -rf $(VENV) var

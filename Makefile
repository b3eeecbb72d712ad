# ua-bot: `make run` starts the bot (the console chat when no platform tokens are set),
# `make test` runs the tests. Both create .venv and install on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-slow test-postgres lint bench migrate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/ua-bot migrate

run: $(STAMP)  # the SQLite default migrates itself; on PostgreSQL, `make migrate` first
	$(BIN)/ua-bot run

test: $(STAMP)
	PTB_TIMEDELTA=1 $(BIN)/python -m pytest -q -m "not slow" $(PYTEST_ARGS)

test-slow: $(STAMP)
	PTB_TIMEDELTA=1 $(BIN)/python -m pytest -q -m slow -s $(PYTEST_ARGS)

test-postgres: $(STAMP)
	UA_BOT_TEST_POSTGRES_URL=$${UA_BOT_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test} \
		PTB_TIMEDELTA=1 $(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/vulture
	$(BIN)/mypy
	$(BIN)/python -m ua_bot.catalogue_check

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) ua_bot.db ua_bot.db-wal ua_bot.db-shm

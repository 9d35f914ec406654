# Kliento: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCALES := lv pl sr sr_Latn et hu

export KLIENTO_VAR_DIR ?= $(CURDIR)/var

.PHONY: install run test lint bench messages compilemessages clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) compilemessages

# Babel compiles the catalogues, so a fresh machine needs no GNU gettext (makemessages does).
compilemessages: $(STAMP)
	$(BIN)/pybabel -q compile --domain django --directory kliento/locale

run: install
	$(BIN)/kliento migrate --no-input
	$(BIN)/kliento demo
	$(BIN)/kliento serve --with-worker --host 127.0.0.1 --port 8000

# Playwright drives Debian's chromium; the browser tests are skipped only if E2E=0.
test: install
	@command -v chromium >/dev/null || [ "$$E2E" = "0" ] || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "Could not install chromium; run 'apt-get install -y chromium' or E2E=0 make test"; exit 1; }; }
	$(BIN)/pytest $(if $(filter 0,$(E2E)),-m "not e2e") $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check kliento tests bench
	$(BIN)/mypy kliento

# Needs PostgreSQL on 127.0.0.1 (and Redis for the RQ half of alert_latency); faults.py
# restarts PostgreSQL (pg_ctlcluster) twice: run it on a machine of its own.
bench: install
	$(BIN)/python bench/text.py
	$(BIN)/python bench/answers.py
	$(BIN)/python bench/alert_latency.py
	$(BIN)/python bench/worker_kill.py
	$(BIN)/python bench/faults.py
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev,bench]'
	$(BIN)/python bench/dashboard.py

messages: $(STAMP)
	cd kliento && ../$(BIN)/kliento makemessages --no-obsolete --no-location $(addprefix -l ,$(LOCALES))

clean:
	rm -rf $(VENV) var/static

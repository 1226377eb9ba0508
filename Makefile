# Damrong Archive — `make demo` and `make test` install what is missing (Debian packages, a .venv)
# and nothing more, so a second run is quick.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOME_DIR ?= $(CURDIR)/var
DEMO_ADMIN := 1000000010179
SAMPLES := $(if $(wildcard ../shared/corpus/dev/truth.json),../shared/corpus/dev,samples)
DEB_PACKAGES := tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng tesseract-ocr-osd poppler-utils fonts-thai-tlwg qpdf \
	sane-utils libsane1 pcscd pcsc-tools vsmartcard-vpcd libpcsclite-dev swig chromium python3-venv \
	python3-dev build-essential postgresql
# the bench alone: the generalisation set is rendered in fonts the dev corpus does not use;
# OCRmyPDF (beside our OCR) needs Ghostscript, and lives in a virtualenv of its own
BENCH_DEB_PACKAGES := fonts-noto-core ghostscript

.PHONY: install demo test lint format bench serve clean-home

install: .stamp-deb $(BIN)/.stamp

# Debian packages: install only the ones that are missing.
.stamp-deb: Makefile
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  [ "$$(id -u)" = 0 ] && SUDO= || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@touch $@

$(BIN)/.stamp: requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

demo: install
	DAMRONG_HOME=$(HOME_DIR) $(BIN)/damrong init
	DAMRONG_HOME=$(HOME_DIR) $(BIN)/damrong ingest $(filter-out %/truth.json,$(wildcard $(SAMPLES)/*)) || true
	@echo "Demo administrator: sign in with citizen ID $(DEMO_ADMIN) and the first password below"
	@DAMRONG_HOME=$(HOME_DIR) $(BIN)/damrong user add $(DEMO_ADMIN) --name "ผู้ดูแลระบบ (ตัวอย่าง)" --role admin --area MOI 2>/dev/null \
	  || DAMRONG_HOME=$(HOME_DIR) $(BIN)/damrong user reset-password $(DEMO_ADMIN)
	@echo "Serving the web UI on http://127.0.0.1:8080  (Ctrl-C to stop)"
	SANE_CONFIG_DIR=$(CURDIR)/config/sane-demo: DAMRONG_HOME=$(HOME_DIR) $(BIN)/damrong serve --host 127.0.0.1 --port 8080

serve: install
	DAMRONG_HOME=$(HOME_DIR) $(BIN)/damrong serve

test: install
	$(BIN)/python -m pytest -q -n 2 -m "not alone"  # two at a time, but these:
	$(BIN)/python -m pytest -q -m alone  # the card tests (one pcscd) and the killed-worker timings

# the lint and type gate (CONTRIBUTING in the README): style, layers, types; .ci/run runs it before the tests
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python tools/type_gate.py

# put the code in the house style (ruff's safe fixes and formatter)
format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	@missing=$$(for p in $(BENCH_DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  [ "$$(id -u)" = 0 ] && SUDO= || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	[ -x .venv-ocrmypdf/bin/ocrmypdf ] || { $(PY) -m venv .venv-ocrmypdf && .venv-ocrmypdf/bin/pip install -q ocrmypdf rapidfuzz; }
	$(BIN)/python bench/run_benches.py

clean-home:
	rm -rf $(HOME_DIR)

# The two commands: `make report` and `make test`. Both create .venv on first
# use and reinstall only when pyproject.toml or the lock changes. The versions
# come from requirements/lock.txt (`make lock` refreshes it).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements/lock.txt

.PHONY: report test benchmark dashboard clean translations lock docs docs-serve

# --pdf: a PDF beside each report, printed by one kept headless Chromium per
# worker (under a second a report, docs/performance.md); only where Chromium
# is installed, so `make report` still needs nothing but Python, and says in
# its last line what it left out and how to get it.
BROWSER := $(shell command -v chromium || command -v chromium-browser || command -v google-chrome)
NO_PDF := make report: no PDFs (Chromium is not installed): HTML and Excel only. For PDFs: sudo apt-get install chromium, then make report
report: $(STAMP)
	@echo '$(BIN)/cxmodels batch data/scenarios -o reports --jobs 2 $(if $(BROWSER),--pdf)'
	@$(BIN)/cxmodels batch data/scenarios -o reports --jobs 2 $(if $(BROWSER),--pdf); \
	status=$$?; $(if $(BROWSER),,echo '$(NO_PDF)';) exit $$status

# The what-if panel as a page without code: make dashboard MODEL=touchpoint
MODEL ?= business_case
dashboard: $(STAMP)
	$(BIN)/cxmodels dashboard $(MODEL)

# -rs: the last lines name each test skipped and why (no Chromium, not root, ...)
test: $(STAMP)
	$(BIN)/python -m pytest -rs

# The documentation site (mkdocs.yml): built into site/, served on this machine only.
docs: $(STAMP)
	$(BIN)/mkdocs build --strict
docs-serve: $(STAMP)
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_models.py
	$(BIN)/python benchmarks/bench_business_case.py
	$(BIN)/python benchmarks/bench_monte_carlo.py
	$(BIN)/python benchmarks/bench_surveys.py
	$(BIN)/python benchmarks/bench_workbook.py

# Report languages (gettext catalogues managed with Babel): extract the
# messages, merge them into each language's .po, compile the .mo files.
LOCALES := cxmodels/reporting/locale
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k translate -k t -k N_ -k ngettext:1,2 --no-location --sort-output \
		--project cxmodels --copyright-holder cxmodels -o $(LOCALES)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) --no-fuzzy-matching
	$(BIN)/pybabel compile -d $(LOCALES) --statistics

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "cxmodels needs Python 3.11 or newer: run make PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[dev]'
	touch $@

# The lock: the newest versions pyproject.toml allows, resolved in a fresh
# environment and written as pins. Run after changing a dependency; commit the file.
lock:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "make lock needs Python 3.11, the version CI runs: run make lock PYTHON=/path/to/python3.11")'
	rm -rf .lock-env && $(PYTHON) -m venv .lock-env
	.lock-env/bin/python -m pip install --quiet --upgrade pip
	.lock-env/bin/python -m pip install --quiet '.[dev]'
	{ sed -n '1,/^# tests\/test_packaging.py/p' $(LOCK); \
	  .lock-env/bin/python -m pip freeze --all --exclude-editable | grep -v '^cxmodels\|^pip=='; } > $(LOCK).new
	mv $(LOCK).new $(LOCK) && rm -rf .lock-env

clean:
	rm -rf $(VENV) site reports/*.html reports/*.ipynb reports/*.json reports/*.xlsx reports/*.pdf

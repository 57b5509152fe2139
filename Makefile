# reslens — one entry point for set-up, demo, tests, lint and benchmarks.
# `make demo` and `make test` work on a fresh clone: they create .venv and install what they need.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
MIRROR ?= ../shared/corpus
CORPUS ?= corpus
INDEX  ?= index
EXTRAS ?= dev,search,notebook,xlsx
STAMP  := $(VENV)/.installed-$(EXTRAS)

.PHONY: install corpus build demo test test-fast test-browser browser libreoffice test-docx lint format bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# torch first and pinned: the CPU build on disk, never a multi-GB CUDA build
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[$(EXTRAS)]'
	touch $@

# Raw sources: copied from the local mirror where it exists, else downloaded (pinned archives).
corpus: install
	@if [ -d "$(MIRROR)/unxml-scresolutions" ]; then \
		$(BIN)/reslens fetch --mirror "$(MIRROR)" --dest "$(CORPUS)"; \
	else \
		$(BIN)/reslens fetch --dest "$(CORPUS)"; \
	fi

build: corpus
	$(BIN)/reslens build --corpus "$(CORPUS)" --index "$(INDEX)"

demo: build
	$(BIN)/reslens search "improve the collection of data on trafficking in persons" \
		-k 3 --since 2010 --index "$(INDEX)"
	$(BIN)/reslens show "S/RES/2331 (2016), para. 21" --index "$(INDEX)"

test: install
	RESLENS_CORPUS="$${RESLENS_CORPUS:-$(MIRROR)}" $(BIN)/python -m pytest -q

# Debian's chromium for the browser test (needs root or sudo; does nothing when present)
browser:
	scripts/install_browser.sh

test-browser: install browser
	RESLENS_CORPUS="$${RESLENS_CORPUS:-$(MIRROR)}" RESLENS_REQUIRE_BROWSER=1 \
		$(BIN)/python -m pytest -q -m browser

# Debian's LibreOffice Writer for the .docx round-trip test (root or sudo; nothing when present)
libreoffice:
	scripts/install_libreoffice.sh

test-docx: install libreoffice
	RESLENS_REQUIRE_LIBREOFFICE=1 $(BIN)/python -m pytest -q -m libreoffice

test-fast: install
	$(BIN)/python -m pytest -q -m "not corpus"

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/python scripts/check_architecture.py

format: install
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

bench: build
	$(BIN)/python bench/bench_build.py --corpus "$${RESLENS_CORPUS:-$(MIRROR)}"
	$(BIN)/python bench/bench_search.py --index "$(INDEX)"
	$(BIN)/python bench/bench_widgets.py --index "$(INDEX)"

clean:
	rm -rf $(INDEX)/reslens.db* $(INDEX)/*.json $(INDEX)/*.faiss .pytest_cache .mypy_cache .ruff_cache

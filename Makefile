# desk: the two set-up commands are `make run` and `make test` (README).
# Everything else here is for developers.
SHELL := /bin/bash
VENV  := .venv
BIN   := $(VENV)/bin
# Two stamps: what running needs (`make run`), and on top of it what the tests and the
# developers' tools need (`make test` and the rest). Each is rebuilt when the dependencies change.
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed-test
# setuptools warns on every editable install that a folder named like the package may shadow
# it; running from the checkout is the point here, so that one warning is not shown.
QUIET_EDITABLE := PYTHONWARNINGS=ignore::UserWarning:setuptools.command.editable_wheel

.PHONY: run test check bench bench-scale bench-scale-postgresql env system-deps clean sheets screenshots window-fit reliability reliability-long wheel-check

# The upgrade's failure does not stop make (the `-`): at a counter of a shared server the window's
# role may not migrate, and `desk db upgrade` says in one line (exit 2) to ask the administrator;
# the app then opens all the same, says that line again and logs and prints nothing until the
# server is upgraded (issue 17). Any other failure of the upgrade the app meets again and reports.
run: $(RUN_STAMP)
	$(BIN)/python -m compileall -q desk >/dev/null
	-$(BIN)/desk db upgrade
	$(BIN)/desk

# The static checks first (a clean clone must pass them), then the whole suite headless.
test: check
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m compileall -q desk >/dev/null
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run.py

# The log's measures on a synthetic log of a million consultations (SQLite), made once and kept in
# ~/.cache/desk-bench (DESK_BENCH_CACHE): about 34 GB of disk (the kept matches, ~33 kB a record, are
# most of it) and twice that while it is made; `make bench` uses 10^5 records (~3.4 GB).
bench-scale: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/log_scale.py 1000000

# The same on a PostgreSQL server started for the run (tests/pg.py, data under the temporary folder,
# removed after): ~37 GB of disk while it runs (3.7 GB at 10^5) and about 25 minutes to fill, each run.
bench-scale-postgresql: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/log_scale.py 1000000 --postgresql

env: $(STAMP)

# The app's screens as PNG (docs/screenshots), in a real window under Xvfb with a Japanese font.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" $(BIN)/python tools/screenshots.py \
	  docs/screenshots$(if $(FONT),/$(FONT)pt $(FONT))

# Every window and dialog on a 1366×768 screen under Xvfb, with a window manager for real frames:
# fails when one does not lie inside the screen, and leaves a picture of the whole screen per window
# in out/window-fit to look at. FONT=24 for the largest text size.
window-fit: $(STAMP)
	rm -rf out/window-fit
	QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" scripts/with-window-manager \
	  $(BIN)/python -m tests.ui.window_fit --shots out/window-fit $(if $(FONT),--font-size $(FONT))

# Referral sheets for the example visitors (examples/intakes), as PDF and PNG pages in out/sheets.
# A scratch base folder keeps these out of the real consultation log. DATE=YYYY-MM-DD to fix the day.
sheets: $(STAMP)
	rm -rf out/sheets && mkdir -p out/sheets
	for intake in examples/intakes/*.json; do \
	  name=$$(basename $$intake .json); \
	  $(BIN)/desk --basedir out/sheets/base referral $(if $(DATE),--date $(DATE)) $$intake -o out/sheets/$$name.pdf || exit 1; \
	  pdftoppm -r 80 -png out/sheets/$$name.pdf out/sheets/$$name; \
	done
	@ls out/sheets/*.png

# docs/RELIABILITY.md from a run of the reliability tests (figures counted by the tests).
reliability: $(STAMP)
	$(BIN)/python tools/reliability.py

reliability-long: $(STAMP)
	$(BIN)/python tools/reliability.py --long

system-deps:
	scripts/system-deps --test

$(RUN_STAMP): pyproject.toml scripts/system-deps scripts/find-python
	scripts/system-deps
	@if [ ! -x $(BIN)/python ]; then \
	  py=$$(scripts/find-python) && echo "creating $(VENV) with $$py" && "$$py" -m venv $(VENV); fi
	$(BIN)/python -m pip install -q --upgrade pip
	$(QUIET_EDITABLE) $(BIN)/python -m pip install -q -e .
	@# Byte-code for desk's own modules even where PYTHONDONTWRITEBYTECODE is set: an
	@# editable install is not compiled by pip, and every start would compile ~40 modules.
	$(BIN)/python -m compileall -q desk >/dev/null
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	scripts/system-deps --test
	$(QUIET_EDITABLE) $(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

# The cheap path to other systems: a wheel carrying the bundled data, installed into a clean
# virtual environment, must give a working desk (CI runs this after make test).
wheel-check: $(RUN_STAMP)
	rm -rf out/wheel && mkdir -p out/wheel
	$(QUIET_EDITABLE) $(BIN)/python -m pip wheel -q --no-deps -w out/wheel .
	"$$(scripts/find-python)" -m venv out/wheel/venv
	out/wheel/venv/bin/python -m pip install -q out/wheel/desk-*.whl
	cd out/wheel && scripts=$$(pwd)/venv/bin && ../../scripts/wheel-smoke "$$scripts/desk"

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache

# The static checks (also run by `make test`): ruff on the code and the tests, mypy on desk.
check: $(STAMP)
	$(BIN)/ruff check desk tests tools bench
	$(BIN)/mypy

# Two commands do all set-up on a fresh machine:
#   make run   - install, migrate, load the demo city, print the demo logins, serve on 127.0.0.1:$(PORT)
#   make test  - install, then run the whole test suite (DATABASE_URL picks the database)

PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install run test lint format messages bench bench-workflow bench-scale bench-portal bench-supervision bench-performance clean

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*'
	$(PY) manage.py compilemessages -l zh_Hans --ignore '.venv/*'

bench: install
	$(PY) bench/calendar.py

# Needs PostgreSQL: DATABASE_URL naming a database that does not exist yet (the script creates
# and drops it), e.g. DATABASE_URL=postgres://user:pass@127.0.0.1:5432/approval_bench
bench-workflow: install
	$(PY) bench/workflow.py

# Needs PostgreSQL: the read pages at 3 million cases (1 million open), in a database the script
# creates and drops (default postgres://postgres@127.0.0.1:5432/approval_scale_bench; set
# DATABASE_URL for another). Smaller: make bench-scale SCALE='--open 100000 --closed 200000'
bench-scale: install
	$(PY) bench/scale.py $(SCALE)

# Needs PostgreSQL: the supervision scan at 1 million open cases (bench/scale.py's province),
# first and again, beside the same at 10,000, in a database the script creates and drops
# (default postgres://postgres@127.0.0.1:5432/approval_supervision_bench; set DATABASE_URL for
# another). Smaller: make bench-supervision SUPERVISION='--open 100000 --closed 20000'
bench-supervision: install
	$(PY) bench/supervision.py $(SUPERVISION)

# The month's performance report at 10,000,000 cases over 36 months: from the daily summary
# (target ≤ 200 ms) beside the same report straight from the case table, in database
# bench_perf (created; add --keep to keep it and --reuse to run again on it).
# Smaller: make bench-performance PERFORMANCE='--cases 1000000'
bench-performance: install
	$(PY) bench/supervision.py --performance $(PERFORMANCE)

# Requests per second of an item guide against a trivial view under gunicorn, side by side; on
# a scratch PostgreSQL database it creates and drops (default
# postgres://postgres@127.0.0.1:5432/approval_portal_bench; set DATABASE_URL for another).
bench-portal: install
	$(PY) bench/portal.py $(PORTAL)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache .ruff_cache

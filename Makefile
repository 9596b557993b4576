# Newsroom: `make run` serves the site, `make test` runs the tests. Nothing else to install.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
PY := $(VENV)/bin/python
# Local development only: debug on, a throwaway key (see README for production settings).
DEV_ENV := DJANGO_DEBUG=1 NEWSROOM_SITE_URL=$${NEWSROOM_SITE_URL:-http://127.0.0.1:$(PORT)}
# The suite runs with debug off, as production does; pytest-django would force it anyway.
TEST_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=insecure-key-for-tests-only \
	DJANGO_ALLOWED_HOSTS=testserver,localhost,127.0.0.1 DJANGO_SECURE=0 \
	NEWSROOM_SITE_URL=http://127.0.0.1:8000

.PHONY: run test lint editor bench quality clean serve bench-pages bench-queue bench-conversation \
	observatory mutation bench-import

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

# The development server and the email worker side by side (deploy/develop.py); Ctrl-C stops
# both. It writes .env (debug on, the site at PORT) so that later manage.py commands just work.
run: $(VENV)/.installed
	PORT=$(PORT) exec $(PY) deploy/develop.py

# The production stack: Varnish on PORT in front of gunicorn (deploy/, README "Deploying").
serve: $(VENV)/.installed
	PORT=$(PORT) exec $(PY) deploy/serve.py

editor: $(VENV)/.installed
	@read -p "Editor's user name: " name; \
	$(DEV_ENV) $(PY) manage.py migrate --no-input -v0 && \
	$(DEV_ENV) $(PY) manage.py createeditor "$$name"

test: $(VENV)/.installed-test
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

# 20 readers post 10 comments each at once to gunicorn, on SQLite and PostgreSQL (127.0.0.1:5432).
bench: $(VENV)/.installed
	$(PY) bench/load_comments.py $(BENCH_ARGS)

# The editors' moderation queue with 100,000 comments, on SQLite and PostgreSQL: under 150 ms?
bench-queue: $(VENV)/.installed
	$(PY) bench/moderation_queue.py $(BENCH_ARGS)

# A cache miss of an article with 100,000 comments against one with 500: within 2x?
bench-conversation: $(VENV)/.installed
	$(PY) bench/long_conversation.py $(BENCH_ARGS)

# A WordPress export of 100,000 comments imported on SQLite and PostgreSQL: under a minute and
# 200 MiB? Then again: nothing new? Spread over 200 posts, then all on one post (memory must
# not grow with a post's comments). BENCH_ARGS replaces both with one run of its own.
bench-import: $(VENV)/.installed
ifdef BENCH_ARGS
	$(PY) bench/import_wordpress.py $(BENCH_ARGS)
else
	$(PY) bench/import_wordpress.py
	$(PY) bench/import_wordpress.py --posts 1 --comments-per-post 100000
endif

# Pages through the cache, as a static file, and from gunicorn; WordPress too if it answers.
bench-pages: $(VENV)/.installed
	$(PY) bench/pages.py $(BENCH_ARGS)

# Accessibility (axe-core), valid HTML (Nu) and Lighthouse on the production server.
quality: $(VENV)/.installed-test
	$(PY) bench/quality/run.py $(QUALITY_ARGS)

# Mozilla's HTTP Observatory on the production settings over TLS (a throwaway certificate):
# A+ or it fails. Needs npm and openssl.
observatory: $(VENV)/.installed
	$(PY) bench/observatory/run.py $(OBSERVATORY_ARGS)

# Mutation testing: mutmut changes comments/ and articles/ one small edit at a time (in a copy,
# mutants/) and runs the tests that reach each change; bench/mutation.py prints the scores.
# Not part of CI: all 5,473 mutants take hours on 2 cores. Names or globs in MUTMUT_ARGS run
# only those, e.g. the comment core (about an hour): MUTMUT_ARGS='"comments.forms.*"
# "comments.moderation.*" "comments.services.*" "comments.session.*" "comments.throttle.*"'.
# It starts afresh each time, so that new tests count.
mutation: $(VENV)/.installed-test
	rm -rf mutants
	env -u DATABASE_URL $(TEST_ENV) $(VENV)/bin/mutmut run $(MUTMUT_ARGS)
	$(PY) bench/mutation.py $(MUTATION_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

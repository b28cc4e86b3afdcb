# cmsdials developer entry points.  Only python3 and pip are assumed: uv is
# installed with pip on first use, and every tool runs from the locked uv env.
SHELL := /bin/bash
PYTHON ?= python3
# A uv on PATH is used as it is; otherwise pip installs it for $(PYTHON).
UV ?= $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
# DIALS's spec: a URL or a file.  Unset, pull-spec and check-drift use production's live
# spec (https://cmsdials-api.web.cern.ch/static/swagger.json); check-drift then skips when
# it is out of reach, and fails on any difference when DIALS_SPEC_URL is given.
DIALS_SPEC_URL ?=
export DIALS_SPEC_URL
RUN := $(UV) run --frozen --all-extras

.PHONY: help uv sync pull-spec testing-specs regen check-generated check-drift lint typecheck docs test test-only demo plots server bench bench-smoke ci-local clean

help:
	@echo "make demo             start a local DIALS, run the README example against it, stop it"
	@echo "make plots            draw docs/plots.png (the README's picture) from a local DIALS"
	@echo "make test             the whole test suite (lint, types, drift checks, pytest)"
	@echo "make pull-spec        pull DIALS's spec (DIALS_SPEC_URL), repair it, write openapi.json"
	@echo "make testing-specs    rebuild the local server's v1.12 spec (cmsdials/testing/openapi-v1.12.json)"
	@echo "make regen            regenerate generated/cmsdials_api from openapi.json, cmsdials/_typed from groups.py"
	@echo "make check-generated  fail if generated/cmsdials_api or cmsdials/_typed differs from what openapi.json and groups.py produce"
	@echo "make check-drift      fail if DIALS's spec differs from openapi.json (API-level summary);"
	@echo "                      without DIALS_SPEC_URL, skipped when production is out of reach"
	@echo "make server           run the local DIALS server in the foreground"
	@echo "make bench            benchmarks against the classic client and a raw floor"
	@echo "make docs             build the documentation site into site/ (strict)"
	@echo "make ci-local         run .gitlab-ci.yml's lint, types, check-generated, test (3.11)"
	@echo "                      and docs jobs here with gitlab-ci-local (shell executor)"

uv:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check 'uv>=0.5' \
	  || $(PYTHON) -m pip install --quiet --disable-pip-version-check --user --break-system-packages 'uv>=0.5'

sync: uv
	@$(UV) sync --frozen --all-extras --quiet

pull-spec: sync
	$(RUN) python scripts/pull_spec.py

# The local DIALS's second API (``serve(api="v1.12")``): DIALS v1.12.0's swagger.json through
# the same pull and repairs as openapi.json, shipped in the package (which cannot read the
# snapshot at run time).  Maintainers rerun it when the repairs change; not part of make test.
DIALS_V112_SPEC ?= ../shared/dials/swagger-v1.12.0.json
testing-specs: sync
	$(RUN) python scripts/pull_spec.py --source "$(DIALS_V112_SPEC)" --output cmsdials/testing/openapi-v1.12.json

regen: sync
	$(RUN) scripts/regen.sh
	$(RUN) python scripts/typed_groups.py

check-generated: sync
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(RUN) scripts/regen.sh "$$tmp" && \
	mkdir "$$tmp/layer" && cp -r cmsdials "$$tmp/layer/cmsdials" && rm -rf "$$tmp/layer/cmsdials/_typed" && \
	mkdir "$$tmp/layer/generated" && cp -r "$$tmp/cmsdials_api" "$$tmp/layer/generated/cmsdials_api" && \
	$(RUN) python scripts/typed_groups.py "$$tmp/layer/cmsdials" && \
	if diff -ru -x __pycache__ -x .ruff_cache generated/cmsdials_api "$$tmp/cmsdials_api" && \
	   diff -ru -x __pycache__ cmsdials/_typed "$$tmp/layer/cmsdials/_typed"; then \
	  echo "check-generated: generated/cmsdials_api and cmsdials/_typed match openapi.json and groups.py"; \
	else \
	  echo "check-generated: generated/cmsdials_api or cmsdials/_typed is stale or hand-edited: run 'make regen' and commit" >&2; exit 1; \
	fi

check-drift: sync
	@$(RUN) python scripts/check_drift.py

lint: sync
	$(RUN) ruff check cmsdials scripts tests bench
	$(RUN) ruff format --check cmsdials scripts tests bench

typecheck: sync
	$(RUN) mypy

test-only: sync
	$(RUN) pytest -q

# The documentation site (mkdocs.yml): strict, so a broken link, reference or include fails.
docs: sync
	@NO_MKDOCS_2_WARNING=1 $(RUN) mkdocs build --strict --quiet --site-dir site
	@echo "docs: built into site/"

test: lint typecheck check-generated check-drift docs test-only

# .gitlab-ci.yml's merge-request jobs, run here by gitlab-ci-local with the shell executor.
# gitlab-ci-local 4.75 needs Node 22: both come from the npm registry into .cache/ci-local
# (the npm package `node` ships Node's binary), whatever Node the machine has.
CI_LOCAL_DIR := .cache/ci-local
CI_LOCAL_JOBS ?= lint typecheck check-generated "test: [3.11]" docs
ci-local: sync
	@command -v rsync >/dev/null || { echo "ci-local: gitlab-ci-local copies the tree with rsync: apt-get install rsync"; \
	  apt-get install -y -qq rsync >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq rsync; }; }
	@test -x $(CI_LOCAL_DIR)/node_modules/.bin/gitlab-ci-local || \
	  npm install --prefix $(CI_LOCAL_DIR) --no-audit --no-fund --loglevel=error \
	    node@22 gitlab-ci-local@4.75
	PATH="$(CURDIR)/$(CI_LOCAL_DIR)/node_modules/.bin:$$PATH" gitlab-ci-local \
	  --force-shell-executor --variable UV_CACHE_DIR="$$($(UV) cache dir)" $(CI_LOCAL_JOBS)

demo: sync
	$(RUN) python -m cmsdials.testing.demo

plots: sync
	$(RUN) python -m cmsdials.testing.plots --output docs/plots.png

server: sync
	$(RUN) python -m cmsdials.testing

bench: sync
	$(RUN) python -m bench

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache dist build site .gitlab-ci-local

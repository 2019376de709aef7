# Every target bootstraps what it needs (idempotent; quick when already done).
#   make run      start the extension API locally (edge on 127.0.0.1:$PORT, default 8080, gunicorn behind it;
#                 with DEEPSEEK_OLLAMA_URL set, chat through a local gateway to that ollama)
#   make check    the quick loop (about a minute): ruff, mypy, the core/unit/CLI/chart tests, no slow ones
#   make test     lint + mypy + the whole test suite (what CI runs)
#   make package  dist/deepseek-<version>.tgz, the artifact ksbuilder package makes
#   make bundle   rebuild the committed console bundle from frontend-config/ (commit the result)
#   make lint     KubeSphere extension checks (ksbuilder lint rules, failing) + helm lint --strict
#   make image    dist/deepseek-extension-api-<version>.oci.tar, the API image, with buildah (no Docker engine)
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
TOOLS := .tools
PY := $(VENV)/bin/python
HELM := $(TOOLS)/bin/helm
CHECKOV := $(TOOLS)/checkov/bin/checkov
BUNDLE := charts/frontend/files/index.js
PORT ?= 8080
VERSION := $(shell sed -n 's/^version: *//p' extension.yaml)
PKG := dist/deepseek-$(VERSION).tgz
export PATH := $(CURDIR)/$(TOOLS)/bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export HELM_BIN := $(CURDIR)/$(HELM)
export CHECKOV_BIN := $(CURDIR)/$(CHECKOV)

.PHONY: run check test lint package image bundle bundle-check node-deps bootstrap clean system-deps

$(VENV)/.stamp: requirements.txt requirements-dev.txt backend/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	$(PY) -m pip install -q --no-deps -e backend
	touch $@

$(HELM): scripts/get-helm.sh
	PY=$(PYTHON) scripts/get-helm.sh $(TOOLS)/bin
	touch $@

$(CHECKOV): requirements-checkov.txt
	$(PYTHON) -m venv $(TOOLS)/checkov
	$(TOOLS)/checkov/bin/python -m pip install -q --upgrade pip
	$(TOOLS)/checkov/bin/python -m pip install -q -r requirements-checkov.txt
	touch $@

# Debian packages the browser tests and benchmarks use (root on these machines, as in CI).
system-deps:
	@scripts/system-deps.sh

# The bundle is committed: KubeSphere's publishing path (ksbuilder package/lint/publish) packages
# the tree as it is, with no build step. `make bundle` rebuilds it after a change under
# frontend-config/; `make bundle-check` (part of `make lint`) fails when it was not rebuilt.
bundle:
	scripts/build-bundle.sh

bundle-check:
	$(PYTHON) scripts/bundle_sources.py --check

# The pinned npm packages (the browser tests serve the console's shared modules from them).
node-deps:
	scripts/build-bundle.sh --deps-only

bootstrap: $(VENV)/.stamp $(HELM) $(CHECKOV) node-deps

run: $(VENV)/.stamp
	PORT=$(PORT) BIN=$(VENV)/bin scripts/run-local.sh

package: $(VENV)/.stamp $(HELM) bundle-check
	$(PY) scripts/package.py --out dist

# backend/Dockerfile built by buildah on a base of Debian packages; cached by inputs (scripts/build-image.sh).
image: system-deps $(VENV)/.stamp
	PY=$(PY) scripts/build-image.sh

lint: package
	$(PY) scripts/kslint.py $(PKG)
	$(HELM) lint --strict $(PKG)

# The quick loop: no checkov, no browser, no gunicorn stacks; the slow chart matrices run in `make test`.
check: $(VENV)/.stamp $(HELM) bundle-check
	$(VENV)/bin/ruff check backend tests scripts bench
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -q -n 2 -m "not slow and not browser" tests/core tests/unit tests/cli tests/chart

# Both cores, a test file per worker (--dist loadfile), so module fixtures such as the image build
# and the browser run once; about 11 minutes of pytest (23 on one core before).
test: bootstrap system-deps lint
	$(VENV)/bin/ruff check backend tests scripts bench
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -n 2 --dist loadfile

clean:
	rm -rf $(VENV) $(TOOLS) dist tests/output

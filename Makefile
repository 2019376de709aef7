# Every target bootstraps what it needs (idempotent; quick when already done).
#   make run      start the extension API locally (gunicorn on 127.0.0.1:$PORT, default 8080)
#   make test     lint + the whole test suite
#   make package  dist/deepseek-<version>.tgz, the artifact ksbuilder package makes
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

.PHONY: run test lint package image bundle bootstrap clean system-deps

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

bundle: $(BUNDLE)
$(BUNDLE): $(shell find frontend-config -type f -not -path '*/node_modules/*' 2>/dev/null) static/icon.svg scripts/build-bundle.sh
	scripts/build-bundle.sh

bootstrap: $(VENV)/.stamp $(HELM) $(CHECKOV) bundle

run: $(VENV)/.stamp
	$(VENV)/bin/gunicorn --config backend/gunicorn.conf.py --bind 127.0.0.1:$(PORT) 'deepseek_ext.api:create_app()'

package: $(VENV)/.stamp $(HELM) bundle
	$(PY) scripts/package.py --out dist

# backend/Dockerfile built by buildah on a base of Debian packages; cached by inputs (scripts/build-image.sh).
image: system-deps $(VENV)/.stamp
	PY=$(PY) scripts/build-image.sh

lint: package
	$(PY) scripts/kslint.py $(PKG)
	$(HELM) lint --strict $(PKG)

test: bootstrap system-deps lint
	$(VENV)/bin/ruff check backend tests scripts bench
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) $(TOOLS) dist $(BUNDLE) tests/output

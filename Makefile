# tenantkit: two commands do all the set-up on a fresh machine (python3 >= 3.11 and make):
#   make run    the local stack (embedded DynamoDB, demo data, API on http://127.0.0.1:8000)
#   make test   lint, type checks and every test
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_COMPILE_BYTECODE := 1
export UV_LINK_MODE := copy
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

BOOTSTRAP := .bootstrap
UV := $(shell command -v uv 2>/dev/null || echo $(BOOTSTRAP)/bin/uv)
PY := .venv/bin/python
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help env lint typecheck unit test bench run synth clean

help:
	@echo "make run    - start the local stack (http://127.0.0.1:8000)"
	@echo "make test   - ruff, mypy --strict and every test"
	@echo "make bench  - cold-start benchmark of the Groups Lambda against import boto3"
	@echo "make synth  - synthesize the CDK app into cdk.out/ (SYNTH_ARGS='-c organization=acme -c environment=prod')"

$(BOOTSTRAP)/bin/uv:
	@python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "python3 >= 3.11 is required")'
	python3 -m venv $(BOOTSTRAP)
	$(BOOTSTRAP)/bin/python -m pip install --quiet --disable-pip-version-check uv

env: $(UV)
	$(UV) sync --frozen --all-groups

lint: env
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

typecheck: env
	$(UV) run --frozen mypy src cdk

unit: env
	$(UV) run --frozen pytest tests/unit -q $(PYTEST_ARGS)

test: lint typecheck
	$(UV) run --frozen pytest -q $(PYTEST_ARGS)

run: env
	$(UV) run --frozen tenantkit serve --host $(HOST) --port $(PORT)

bench: env
	PYTHONDONTWRITEBYTECODE= $(UV) run --frozen python benchmarks/cold_start.py

synth: env
	cd cdk && CDK_OUTDIR=../cdk.out ../.venv/bin/python app.py $(SYNTH_ARGS)

clean:
	rm -rf .venv $(BOOTSTRAP) .mypy_cache .ruff_cache .pytest_cache .hypothesis cdk.out .cdk-build

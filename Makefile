# One command per task; CI (.ci/run) calls the same targets.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: install test test-pythons lint format schema docs sdks dist bench bench-shared demo e2e pulumi-cli clean

# The Alibaba SDK sends even loopback traffic through a configured proxy: every target that
# talks to the emulator runs without one.
UNPROXIED := env -u HTTP_PROXY -u http_proxy -u HTTPS_PROXY -u https_proxy

# The virtual environment is rebuilt whenever the project's dependencies change.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## Lint, type-check, then run the whole test suite.
test: lint
	$(UNPROXIED) $(PY) -m pytest $(PYTEST_ARGS)

## The package and a part of the suite on the other supported Pythons this machine has (3.10,
## 3.12, 3.13: pyenv builds or pythonX.Y on PATH), each in a .venv-X.Y of its own.
test-pythons:
	scripts/test-pythons.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Regenerate schema.json and the Python SDK's typed outputs from the one description of the
## resource (pulumi_cams_provider/resource.py and config.py); tests fail when the committed
## files differ.
schema: $(VENV)/.installed
	$(PY) -m pulumi_cams_provider.package_schema > provider/pulumi_cams_provider/schema.json
	$(PY) tools/sdk_outputs.py > provider/pulumi_cams/_outputs.py
	$(PY) tools/sdk_configuration.py | $(VENV)/bin/ruff format --stdin-filename _configuration.py - \
		> provider/pulumi_cams/_configuration.py

## Regenerate the parts of docs/ that the descriptions say (settings, properties, error codes;
## tools/docs.py); tests fail when the committed pages differ.
docs: $(VENV)/.installed
	$(PY) tools/docs.py

## Regenerate the Node.js and Go SDKs (sdk/nodejs, sdk/go) from schema.json with Pulumi's code
## generators (tools/gensdk); CI fails when the committed SDKs differ from what this writes.
GENSDK := $(or $(PULUMI_CAMS_CACHE),$(HOME)/.cache/pulumi-cams)/gensdk
sdks: $(VENV)/.installed
	cd tools/gensdk && CGO_ENABLED=0 go build -trimpath -o $(GENSDK) .
	$(GENSDK) provider/pulumi_cams_provider/schema.json $$($(PY) -c 'import importlib.metadata as m; print(m.version("pulumi-cams"))') sdk

## The wheel and the sdist in dist/, checked as PyPI would (twine) and for stray test files, and
## the plugin archive for `pulumi plugin install resource cams <version> --file` (scripts/plugin_archive.py).
dist: $(VENV)/.installed
	rm -rf dist
	$(PY) -m build --sdist --wheel --outdir dist . >/dev/null
	$(VENV)/bin/twine check --strict dist/*
	! tar tzf dist/pulumi_cams-*.tar.gz | grep -q '/tests/'
	$(PY) scripts/plugin_archive.py dist

## Throughput, refresh, import, preview and start-up against the emulator's rate limit (about
## a minute).
bench: $(VENV)/.installed
	$(UNPROXIED) $(PY) -m bench --readme bench/README.md $(BENCH_ARGS)

## Many pipelines on one account: fixed, adaptive and the store side by side (about 35 minutes).
bench-shared: $(VENV)/.installed
	$(UNPROXIED) $(PY) -m bench --shared --trace --readme bench/README.md $(BENCH_ARGS)

## The quickstart end to end against the bundled emulator (needs the Pulumi CLI).
demo: $(VENV)/.installed
	$(UNPROXIED) VENV=$(abspath $(VENV)) scripts/demo.sh

## The end-to-end suite: every example, the demo and the CI workflow under the real Pulumi CLI.
e2e: $(VENV)/.installed
	@scripts/pulumi-cli.sh >/dev/null
	$(UNPROXIED) PULUMI_CAMS_E2E=1 \
		$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

## The Pulumi CLI for e2e and demo: the one on PATH, or built once from the Go module proxy.
pulumi-cli:
	@scripts/pulumi-cli.sh

clean:
	rm -rf $(VENV) .venv-3.* .pytest_cache .mypy_cache .ruff_cache dist build

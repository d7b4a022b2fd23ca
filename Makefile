# Newcomer's two commands: `make demo` and `make test`.
# Both create .venv on first use with the newest real python3.x >= 3.12 found.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench fuzz clean venv assets

# The newest interpreter >= 3.12: on PATH (python3.13, python3.12, python3) or
# under pyenv's versions folder. pyenv shims are skipped: they only answer
# when PYENV_VERSION names that version.
define FIND_PYTHON
for cand in $$(command -v python3.14 python3.13 python3.12 python3 2>/dev/null) \
            $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -Vr); do \
  case "$$cand" in */shims/*) continue;; esac; \
  if "$$cand" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then \
    echo "$$cand"; exit 0; fi; \
done; exit 1
endef

$(STAMP): pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  PYTHON=$$( $(FIND_PYTHON) ) || { echo "error: citygraph needs Python >= 3.12 and none was found (looked on PATH and under pyenv)" >&2; exit 1; }; \
	  echo "creating $(VENV) with $$PYTHON ($$($$PYTHON --version))"; \
	  $$PYTHON -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/citygraph demo

tools/cypher-lint/node_modules: tools/cypher-lint/package-lock.json
	cd tools/cypher-lint && npm ci --no-audit --no-fund --loglevel=error

test: $(STAMP) tools/cypher-lint/node_modules
	$(PY) -m pytest -q

# A bounded fuzz run (CI runs it after the tests): libFuzzer-guided atheris over the loaders for 60 s, then the
# hypothesis properties with ten times their usual examples. Any exception but an InputError is a finding.
fuzz: $(STAMP)
	@if $(PY) -c "import atheris" 2>/dev/null; then \
	  $(PY) tests/embedded/fuzz_loaders.py -max_total_time=60 -rss_limit_mb=4096 -print_final_stats=1; \
	else echo "atheris has no wheel for this Python: the hypothesis properties only"; fi
	CITYGRAPH_FUZZ_EXAMPLES=1500 $(PY) -m pytest -q tests/embedded/test_hostile.py -k "fuzz and not atheris"

# Measures load, query, centrality and page cost at 10^3..10^5 links (FULL=1 adds 10^6)
# and rewrites docs/benchmarks.md, .png and .json. Needs chromium (.ci/run installs it).
bench: $(STAMP)
	$(PY) bench/pairlist.py
	$(PY) bench/peers.py
	$(PY) bench/workbench.py
	$(PY) bench/run.py $(if $(FULL),--full)

# ruff (style, imports, pyupgrade, simplify), the import contract (layers point down, only the CLI
# imports the loaders, no cycles), mypy, and Neo4j's own Cypher front end. The contract and mypy
# read an installed copy of the package (build/lint-tree), where citygraph.loaders sits under citygraph.
lint: $(STAMP) tools/cypher-lint/node_modules
	$(VENV)/bin/ruff check graph loaders cypher data bench tests
	rm -rf build && $(PY) -m pip install --quiet --no-deps --no-build-isolation --target build/lint-tree . 2>/dev/null
	PYTHONPATH=build/lint-tree $(VENV)/bin/lint-imports
	PYTHONPATH=build/lint-tree $(VENV)/bin/mypy -p citygraph
	$(PY) -m pytest -q tests/unit/test_cypher_lint.py

clean:
	rm -rf $(VENV) dist build *.egg-info

# The workbench's vendored front end (sigma.js, graphology, Neo4j's Cypher editor), minified into
# graph/serve/static/ with its licences listed, from tools/workbench/package-lock.json. The bundle is
# committed: installing and running citygraph needs no npm.
assets:
	cd tools/workbench && npm ci --no-audit --no-fund --loglevel=error && node build.mjs

# The Python package (python/: pyo3 + maturin, abi3 wheel for CPython >= 3.9), its tests
# (vectors, Arrow batches vs the CLI, three-way parity with the CLI and wasm, PySpark local[2]
# on 100,000 rows vs the CLI) and its benchmarks. The venv is .venv/ (git-ignored), filled by
# scripts/ensure-tools.sh python. The crate sits outside the cargo workspace: its own Cargo.lock
# and python/target/, so the workspace never needs Python.
.PHONY: python-tools python-wheel check-python test-python bench-python test-api-load

VENV := $(CURDIR)/.venv
PYTHON_MANIFEST := python/Cargo.toml
# pyo3 reads the interpreter it builds for from here (also for clippy).
export PYO3_PYTHON ?= $(VENV)/bin/python

EXTRA_TESTS += check-python test-python

python-tools:
	scripts/ensure-tools.sh python

# maturin builds the abi3 wheel; it is installed into .venv as a user would install it.
python-wheel: python-tools
	rm -rf python/target/wheels
	$(VENV)/bin/maturin build --release --quiet -m $(PYTHON_MANIFEST) --interpreter $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps python/target/wheels/puhui-*.whl

check-python: python-tools
	cargo fmt --manifest-path $(PYTHON_MANIFEST) -- --check
	cargo clippy --manifest-path $(PYTHON_MANIFEST) --all-targets --features extension-module -- -D warnings

# Runs from python/tests so the tests import the installed wheel, never the source tree.
test-python: python-wheel native
	cd python/tests && PUHUI=$(CURDIR)/$(PUHUI_NATIVE) PUHUI_REQUIRE_SPARK=1 PUHUI_REQUIRE_WASM=1 \
	  $(VENV)/bin/python -m pytest -q -p no:cacheprovider .

# Benchmarks (not tests): rows/s of score_batch / quote_batch vs the CLI on 1M rows, Spark
# local[2] with 1 and 2 cores, the re-check API under wrk. Results in bench-results/.
bench-python: python-wheel native
	PUHUI=$(CURDIR)/$(PUHUI_NATIVE) $(VENV)/bin/python benches/python/bench.py
	PUHUI=$(CURDIR)/$(PUHUI_NATIVE) bash benches/python/api-wrk.sh

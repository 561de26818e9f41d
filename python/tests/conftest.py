"""Shared by the Python tests: the repository, the native CLI, the vectors and the sample bundle.

The CLI is the independent door the package is compared with (``$PUHUI``, else the release-native
build, else the debug build). Vectors are read from ``tests/vectors`` (never pasted here).
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "bundle"
NOW = "2026-12-01T00:00:00Z"


def cli_path() -> str:
    for candidate in (os.environ.get("PUHUI"), REPO / "target" / "release-native" / "puhui",
                      REPO / "target" / "debug" / "puhui"):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    pytest.skip("the puhui binary is not built (cargo build -p puhui-cli)")


def run_cli(args, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([cli_path(), *map(str, args)], input=stdin, capture_output=True,
                          check=False)


def vectors(name: str):
    return json.loads((REPO / "tests" / "vectors" / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def bundle():
    return (FIXTURE / "bundle.signed.json").read_bytes(), (FIXTURE / "root.json").read_bytes()

"""Python, the native CLI and the wasm package give the same answers on the parity corpus: every
shared vector through every stateless operation, plus refusals. Python, wasm and the CLI print
the same compact JSON text (the CLI adds one newline), compared byte for byte: members in the
same order, every decimal string identical."""

import json
import os
import subprocess

import pytest

import puhui
from conftest import REPO, run_cli, vectors


def corpus():
    cases = []
    for case in vectors("schedules.json"):
        cases.append(("schedule", json.dumps(case["request"])))
        cases.append(("disclose", json.dumps({"schedule": case["request"]})))
    for case in vectors("apr.json"):
        cases.append(("apr", json.dumps(case["request"])))
    for case in vectors("subsidy.json"):
        request = {k: case[k] for k in ("schedule", "program", "subsidyUsed") if k in case}
        cases.append(("subsidy", json.dumps(request)))
    cases += [
        ("schedule", '{"principal":"1e4","termMonths":12,"method":"bullet","annualRate":"0.1"}'),
        ("schedule", '{"principal":"100.00","termMonths":601,"method":"bullet","annualRate":"0.1"}'),
        ("apr", '{"method":"cn-irr","advance":"100.00","payments":["0.00","0.00"]}'),
        ("apr", "{"),
        ("subsidy", "[]"),
    ]
    return cases


def python_answer(op, text):
    try:
        return puhui._puhui.call_text(op, text.encode())
    except puhui.PuhuiError as err:
        shaped = {"code": err.code, "message": err.message}
        if err.path is not None:
            shaped["path"] = err.path
        return json.dumps({"error": shaped}, separators=(",", ":"), ensure_ascii=False)


def test_python_equals_cli_byte_for_byte():
    cases = corpus()
    assert len(cases) >= 40
    for op, text in cases:
        cli = run_cli([op, "-"], text.encode())
        assert cli.stdout.decode() == python_answer(op, text) + "\n", (op, text[:80])


def test_python_equals_wasm_byte_for_byte():
    module = REPO / "pkg" / "node" / "puhui.js"
    if not module.exists():
        if os.environ.get("PUHUI_REQUIRE_WASM"):
            pytest.fail("pkg/node is not built")
        pytest.skip("pkg/node is not built (make wasm)")
    cases = corpus()
    out = subprocess.run(["node", str(REPO / "tests" / "py" / "wasm_outputs.mjs")],
                         input=json.dumps(cases).encode(), capture_output=True, check=True)
    wasm = json.loads(out.stdout)
    assert len(wasm) == len(cases)
    for (op, text), answer in zip(cases, wasm):
        assert answer == python_answer(op, text), (op, text[:80])

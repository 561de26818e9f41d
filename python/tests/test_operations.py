"""The JSON operations from Python: every shared vector, typed errors, dicts and text."""

import json
from decimal import Decimal

import pytest

import puhui
from conftest import FIXTURE, NOW, run_cli, vectors


def test_every_schedule_vector_row_by_row():
    cases = vectors("schedules.json")
    assert len(cases) >= 11
    for case in cases:
        got = puhui.schedule(case["request"])
        want = case["expected"]
        assert len(got["installments"]) == len(want["installments"]), case["name"]
        for idx, row in enumerate(want["installments"]):
            for field, value in row.items():
                assert got["installments"][idx][field] == value, (case["name"], idx, field)
        assert got["totals"] == want["totals"], case["name"]


def test_every_apr_vector():
    cases = vectors("apr.json")
    assert len(cases) >= 11
    for case in cases:
        got = puhui.apr(case["request"])
        for field, value in case["expected"].items():
            assert got[field] == value, (case["name"], field)


def test_every_subsidy_vector():
    cases = vectors("subsidy.json")
    assert len(cases) >= 5
    for case in cases:
        request = {k: case[k] for k in ("schedule", "program", "subsidyUsed") if k in case}
        got = puhui.subsidy(request)
        for field in ("subsidyRate", "total", "netRate"):
            assert got[field] == case["expected"][field], (case["name"], field)
        assert got["perPeriod"] == case["expected"]["perPeriod"], case["name"]


def test_text_in_text_out_equals_dict_form():
    request = vectors("schedules.json")[0]["request"]
    text = puhui.schedule(json.dumps(request))
    assert isinstance(text, str) and text.startswith("{")
    assert json.loads(text) == puhui.schedule(request)
    assert puhui.schedule(json.dumps(request).encode()) == text


def test_money_is_strings_and_no_float_reaches_the_engine():
    result = puhui.schedule(vectors("schedules.json")[0]["request"])
    for row in result["installments"]:
        assert isinstance(row["payment"], str)
    base = {"principal": "10000.00", "annualRate": "0.072", "termMonths": 12,
            "method": "equal-installment"}
    # A Python Decimal travels as its exact decimal string.
    assert puhui.schedule({**base, "principal": Decimal("10000.00")}) == puhui.schedule(base)
    with pytest.raises(puhui.PuhuiError) as err:
        puhui.schedule({**base, "principal": 10000.0})
    assert err.value.code == "invalid-request" and err.value.path == "principal"


@pytest.mark.parametrize("patch,code,path", [
    ({"principal": "100.001"}, "over-precise-amount", "principal"),
    ({"termMonths": 0}, "invalid-term", "termMonths"),
    ({"method": "balloon"}, "unknown-method", "method"),
    ({"annualRate": "-0.01"}, "invalid-rate", "annualRate"),
])
def test_errors_carry_code_and_path(patch, code, path):
    base = {"principal": "10000.00", "annualRate": "0.072", "termMonths": 12,
            "method": "equal-installment"}
    with pytest.raises(puhui.PuhuiError) as err:
        puhui.schedule({**base, **patch})
    assert (err.value.code, err.value.path) == (code, path)
    assert isinstance(err.value, ValueError)


def test_malformed_text_is_a_typed_error():
    with pytest.raises(puhui.PuhuiError) as err:
        puhui.apr("{")
    assert err.value.code == "malformed-json"


def test_quote_verifies_and_names_the_bundle(bundle, tmp_path):
    envelope, root = bundle
    request = {"productId": "consumer-loan", "amount": "50000.00", "termMonths": 36,
               "band": "B", "startDate": "2026-12-01"}
    quote = puhui.quote(envelope, root, request, now=NOW)
    assert quote["bundle"]["version"] == 1 and len(quote["bundle"]["sha256"]) == 64
    engine = puhui.Engine.load(envelope, root, now=NOW)
    assert engine.quote(request) == quote
    # The state to persist names the verified version; it is the same state `puhui verify`
    # writes, and loading again with it is accepted (same version, no rollback).
    assert engine.state["bundles"][0]["version"] == 1
    cli = run_cli(["verify", FIXTURE / "bundle.signed.json", "--root", FIXTURE / "root.json",
                   "--now", NOW, "--state", tmp_path / "state.json"])
    assert cli.returncode == 0
    assert engine.state == json.loads((tmp_path / "state.json").read_text())
    assert puhui.Engine.load(envelope, root, now=NOW, state=engine.state).summary["version"] == 1
    assert engine.summary["sha256"] == quote["bundle"]["sha256"]
    assert engine.preview is False


def test_tampered_bundle_is_refused(bundle, tmp_path):
    envelope, root = bundle
    doc = json.loads(envelope)
    sig = doc["signatures"][0]["sig"]
    doc["signatures"][0]["sig"] = ("B" if sig.startswith("A") else "A") + sig[1:]
    with pytest.raises(puhui.PuhuiError) as err:
        puhui.Engine.load(json.dumps(doc), root, now=NOW)
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(doc))
    cli = run_cli(["verify", tampered, "--root", FIXTURE / "root.json", "--now", NOW])
    # The same code as `puhui verify` gives for the same file.
    assert err.value.code == json.loads(cli.stdout)["error"]["code"]


def test_engine_pickles_by_re_verifying(bundle):
    import pickle

    envelope, root = bundle
    engine = puhui.Engine.load(envelope, root, now=NOW)
    clone = pickle.loads(pickle.dumps(engine))
    assert clone.summary == engine.summary
    error = pickle.loads(pickle.dumps(puhui.PuhuiError("x-y", "msg", "a.b")))
    assert (error.code, error.message, error.path) == ("x-y", "msg", "a.b")


def test_no_network_at_import():
    import subprocess
    import sys

    code = ("import socket\n"
            "def refuse(*a, **k):\n    raise SystemExit('network touched at import')\n"
            "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
            "socket.getaddrinfo = refuse\n"
            "import puhui, puhui.spark\nprint('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr

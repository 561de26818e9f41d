"""score_batch / quote_batch against the native CLI on the same rows, and their column rules."""

import json
import subprocess
from decimal import Decimal

import pyarrow as pa
import pytest

import gen
import puhui
from conftest import FIXTURE, NOW, REPO, run_cli


def test_quote_batch_equals_cli_quote_batch(tmp_path, bundle):
    rows = gen.loans(600, seed=3)
    requests = tmp_path / "loans.jsonl"
    requests.write_bytes(gen.loans_jsonl(rows))
    out = run_cli(["quote", "--batch", "--bundle", FIXTURE / "bundle.signed.json", "--root",
                   FIXTURE / "root.json", "--now", NOW, requests])
    assert out.returncode in (0, 1), out.stderr
    want = gen.cli_quote_rows(out.stdout)
    engine = puhui.Engine.load(*bundle, now=NOW)
    table = puhui.quote_batch(engine, gen.loans_table(rows), keep=["loan_id"])
    assert table.column_names == ["loan_id", *puhui.QUOTE_COLUMNS]
    got = table.to_pylist()
    assert len(got) == len(want) == 600
    refused = 0
    for idx, (g, w) in enumerate(zip(got, want)):
        assert g["loan_id"] == idx
        for key, value in w.items():
            assert g[key] == value, (idx, key, g, w)
        refused += w["error_code"] is not None
    assert 0 < refused < 60, "the generated rows include a few refusals"
    meta = table.schema.metadata
    assert meta[b"puhui.version"] == b"1" and len(meta[b"puhui.sha256"]) == 64
    # Money is never a float column.
    for field in table.schema:
        assert not pa.types.is_floating(field.type)


def test_score_batch_equals_cli_score(tmp_path):
    rows = gen.applicants(2000, seed=5)
    lines = tmp_path / "applicants.jsonl"
    lines.write_bytes(gen.applicants_jsonl(rows))
    card_path = REPO / "tests" / "scorecard" / "card.json"
    out = run_cli(["score", "--scorecard", card_path, lines])
    assert out.returncode in (0, 1), out.stderr
    assert out.stderr == b"" or b"failed" in out.stderr  # silent on a pipe
    want = gen.cli_score_rows(out.stdout)
    table = puhui.score_batch(puhui.Scorecard(card_path), gen.applicants_table(rows),
                              keep=["applicant_id"])
    got = table.to_pylist()
    assert len(got) == len(want) == 2000
    for g, w in zip(got, want):
        assert (g["score"], g["reasons"], g["error_code"], g["error_path"]) == w, (g, w)
    assert table.column("band").null_count == 2000  # a bare card has no bands


def test_score_batch_with_a_bundle_model_gives_bands(bundle):
    engine = puhui.Engine.load(*bundle, now=NOW)
    table = pa.table({"age": pa.array([30, 45, None], pa.int32()),
                      "monthlyIncome": pa.array([Decimal("8000.00"), Decimal("100.00"), None],
                                                pa.decimal128(10, 2)),
                      "housing": ["own", "rent", None]})
    out = puhui.score_batch(engine, table).to_pylist()
    card = puhui.Scorecard(json.dumps(_payload(bundle[0])["preEligibility"]["card"]))
    bands = _payload(bundle[0])["preEligibility"]["bands"]
    assert len({row["band"] for row in out}) >= 2
    for row, applicant in zip(out, table.to_pylist()):
        line = "{" + ",".join(
            f'"{k}":{json.dumps(v) if isinstance(v, str) else v}'
            for k, v in applicant.items() if v is not None) + "}"
        # The score is the card's own line score; the band is read here from the bundle's
        # [minScore, maxScore) table.
        assert row["score"] == json.loads(card.score_line(line))["score"]
        score = Decimal(row["score"])
        want = next(b["id"] for b in bands
                    if ("minScore" not in b or score >= Decimal(b["minScore"]))
                    and ("maxScore" not in b or score < Decimal(b["maxScore"])))
        assert row["band"] == want


def _payload(envelope: bytes):
    import base64

    return json.loads(base64.b64decode(json.loads(envelope)["payload"]))


def test_scorecardpy_parity_file_through_arrow(tmp_path):
    card = tmp_path / "card.json"
    out = run_cli(["scorecard", "import", "--from", "scorecardpy",
                   REPO / "tests" / "scorecard" / "scorecardpy_card.csv", "-o", card])
    assert out.returncode == 0, out.stdout
    docs = [json.loads(l, parse_float=Decimal) for l in
            (REPO / "tests" / "scorecard" / "scorecardpy_applicants.jsonl").read_text().splitlines()]
    names = sorted({k for d in docs for k in d})
    columns = {}
    for name in names:
        values = [d.get(name) for d in docs]
        if all(isinstance(v, (int, type(None))) and not isinstance(v, bool) for v in values):
            columns[name] = pa.array(values, pa.int64())
        elif all(isinstance(v, (int, Decimal, type(None))) for v in values):
            columns[name] = pa.array([None if v is None else Decimal(v) for v in values],
                                     pa.decimal128(20, 6))
        else:
            columns[name] = pa.array(values, pa.string())
    scores = puhui.score_batch(puhui.Scorecard(card), pa.table(columns)).column("score")
    expected = [Decimal(l) for l in
                (REPO / "tests" / "scorecard" / "scorecardpy_expected.txt").read_text().split()]
    assert len(expected) == 100
    assert [Decimal(s) for s in scores.to_pylist()] == expected


def test_float_columns_are_refused_with_the_column_as_path():
    card = puhui.Scorecard(REPO / "tests" / "scorecard" / "card.json")
    with pytest.raises(puhui.PuhuiError) as err:
        puhui.score_batch(card, pa.table({"monthlyIncome": pa.array([1.5], pa.float64())}))
    assert (err.value.code, err.value.path) == ("float-column", "monthlyIncome")


def test_chunked_sliced_and_empty_tables():
    card = puhui.Scorecard(REPO / "tests" / "scorecard" / "card.json")
    rows = gen.applicants(300, seed=9)
    table = gen.applicants_table(rows)
    whole = puhui.score_batch(card, table).column("score").to_pylist()
    chunked = pa.concat_tables([table.slice(0, 100), table.slice(100, 77), table.slice(177)])
    assert puhui.score_batch(card, chunked).column("score").to_pylist() == whole
    sliced = table.slice(50, 20)
    assert puhui.score_batch(card, sliced).column("score").to_pylist() == whole[50:70]
    empty = puhui.score_batch(card, table.slice(0, 0))
    assert empty.num_rows == 0 and empty.column_names == list(puhui.SCORE_COLUMNS)


def test_json_text_columns_cannot_inject_members(bundle):
    engine = puhui.Engine.load(*bundle, now=NOW)
    table = pa.table({"product_id": ["consumer-loan"], "amount": ["50000.00"],
                      "term_months": pa.array([12], pa.int32()),
                      "context": ['{}, "band": "A"']})
    row = puhui.quote_batch(engine, table).to_pylist()[0]
    assert (row["error_code"], row["error_path"], row["apr"]) == ("malformed-json", "context", None)


def test_batch_commands_are_silent_on_a_pipe_and_show_progress_on_a_terminal(tmp_path):
    import shlex
    import shutil

    from conftest import cli_path

    lines = tmp_path / "ok.jsonl"
    lines.write_bytes(gen.applicants_jsonl(gen.applicants(3000, seed=1)))
    card = REPO / "tests" / "scorecard" / "card.json"
    quiet = run_cli(["score", "--scorecard", card, lines])
    assert quiet.returncode == 0 and quiet.stderr == b""
    assert len(quiet.stdout.splitlines()) == 3000
    if shutil.which("script") is None:
        pytest.skip("util-linux script is needed for a pseudo-terminal")
    command = " ".join(shlex.quote(str(a)) for a in
                       [cli_path(), "score", "--scorecard", card, lines]) + " >/dev/null"
    tty = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True)
    assert tty.returncode == 0
    summary = tty.stdout.decode(errors="replace")
    assert "puhui score: 3000 scored, 0 failed, 3000 rows in" in summary
    assert "rows/s)" in summary

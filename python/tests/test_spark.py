"""PySpark in local mode (local[2]) on 100,000 generated loans and 100,000 applicants: every row
of puhui.spark's output equals the native CLI's answer for the same row, decimal strings byte for
byte. Skipped when pyspark or Java is missing, unless PUHUI_REQUIRE_SPARK is set (make test)."""

import json
import os
import shutil
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import gen
import puhui
import puhui.spark
from conftest import FIXTURE, NOW, REPO, run_cli

ROWS = int(os.environ.get("PUHUI_SPARK_ROWS", "100000"))


@pytest.fixture(scope="module")
def spark():
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        if os.environ.get("PUHUI_REQUIRE_SPARK"):
            raise
        pytest.skip("pyspark is not installed")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        if os.environ.get("PUHUI_REQUIRE_SPARK"):
            pytest.fail("java is not installed")
        pytest.skip("java is not installed")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # loopback only
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("puhui-parity")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_quote_spark_equals_cli_on_100k_loans(spark, tmp_path):
    rows = gen.loans(ROWS, seed=2026)
    pq.write_table(gen.loans_table(rows), tmp_path / "loans.parquet")
    (tmp_path / "loans.jsonl").write_bytes(gen.loans_jsonl(rows))
    out_path = tmp_path / "cli.jsonl"
    with open(out_path, "wb") as sink:
        import subprocess
        from conftest import cli_path
        code = subprocess.run([cli_path(), "quote", "--batch", "--bundle",
                               str(FIXTURE / "bundle.signed.json"), "--root",
                               str(FIXTURE / "root.json"), "--now", NOW,
                               str(tmp_path / "loans.jsonl")], stdout=sink,
                              stderr=subprocess.PIPE).returncode
    assert code in (0, 1)
    with open(out_path, "rb") as lines:  # about 10 KB a line: streamed, not held
        want = gen.cli_quote_rows(lines)
    df = spark.read.parquet(str(tmp_path / "loans.parquet"))
    priced = puhui.spark.quote_spark(df, FIXTURE / "bundle.signed.json", FIXTURE / "root.json",
                                     now=NOW, keep=["loan_id"])
    got = priced.toArrow().sort_by("loan_id").to_pylist()
    assert len(got) == len(want) == ROWS
    refused = 0
    for idx, (g, w) in enumerate(zip(got, want)):
        assert g["loan_id"] == idx
        for key, value in w.items():
            assert g[key] == value, (idx, key, g, w)
        refused += w["error_code"] is not None
    assert 0 < refused < ROWS // 10


def test_score_spark_equals_cli_on_100k_applicants(spark, tmp_path):
    rows = gen.applicants(ROWS, seed=2027)
    pq.write_table(gen.applicants_table(rows), tmp_path / "applicants.parquet")
    (tmp_path / "applicants.jsonl").write_bytes(gen.applicants_jsonl(rows))
    card = REPO / "tests" / "scorecard" / "card.json"
    out = run_cli(["score", "--scorecard", card, tmp_path / "applicants.jsonl"])
    assert out.returncode in (0, 1)
    want = gen.cli_score_rows(out.stdout)
    df = spark.read.parquet(str(tmp_path / "applicants.parquet"))
    scored = puhui.spark.score_spark(df, card, keep=["applicant_id"])
    got = scored.toArrow().sort_by("applicant_id").to_pylist()
    assert len(got) == len(want) == ROWS
    for idx, (g, w) in enumerate(zip(got, want)):
        assert g["applicant_id"] == idx
        assert (g["score"], g["reasons"], g["error_code"], g["error_path"]) == w, (idx, g, w)


def test_float_columns_fail_the_job_with_the_typed_code(spark):
    from pyspark.sql.types import DoubleType, StructField, StructType

    df = spark.createDataFrame([(1.5,)], StructType([StructField("monthlyIncome", DoubleType())]))
    with pytest.raises(Exception) as err:
        puhui.spark.score_spark(df, REPO / "tests" / "scorecard" / "card.json").collect()
    assert "float-column" in str(err.value)

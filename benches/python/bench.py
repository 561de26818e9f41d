"""Throughput of the Python package vs the native CLI, and of PySpark local mode (a benchmark,
not a test; nothing here asserts a speed).

  * score: 1,000,000 generated applicants, ``puhui score`` (JSON lines, one process) vs
    ``score_batch`` on an Arrow table (one thread);
  * quote: generated 36-month-and-other loans, ``puhui quote --batch`` vs ``quote_batch``;
  * Spark: ``puhui.spark.score_spark`` / ``quote_spark`` on local[1] and local[2] (noop sink).

Every figure is rows per second of wall time on this machine, reported with its core count.
Usage: PUHUI=target/release-native/puhui .venv/bin/python benches/python/bench.py
Environment: BENCH_SCORE_ROWS (1000000), BENCH_QUOTE_ROWS (1000000), BENCH_SPARK (1 = run).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python" / "tests"))

import gen  # noqa: E402
import puhui  # noqa: E402

PUHUI = os.environ.get("PUHUI", str(REPO / "target" / "release-native" / "puhui"))
FIXTURE = REPO / "tests" / "fixtures" / "bundle"
NOW = "2026-12-01T00:00:00Z"
SCORE_ROWS = int(os.environ.get("BENCH_SCORE_ROWS", "1000000"))
QUOTE_ROWS = int(os.environ.get("BENCH_QUOTE_ROWS", "1000000"))


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def cli(args, path):
    with open(os.devnull, "wb") as sink:
        subprocess.run([PUHUI, *map(str, args), str(path)], stdout=sink, check=False)


def main():
    results = {"cores": os.cpu_count(), "python": sys.version.split()[0], "rows": {}}
    work = Path(tempfile.mkdtemp())
    card_path = REPO / "tests" / "scorecard" / "card.json"

    applicants = gen.applicants(SCORE_ROWS, seed=1)
    table = gen.applicants_table(applicants)
    (work / "a.jsonl").write_bytes(gen.applicants_jsonl(applicants))
    del applicants
    card = puhui.Scorecard(card_path)
    t_cli, _ = timed(lambda: cli(["score", "--scorecard", card_path], work / "a.jsonl"))
    t_py, _ = timed(lambda: puhui.score_batch(card, table))
    results["rows"]["score"] = SCORE_ROWS
    results["score_cli_rows_per_s"] = round(SCORE_ROWS / t_cli)
    results["score_batch_rows_per_s"] = round(SCORE_ROWS / t_py)
    results["score_python_over_cli_time"] = round(t_py / t_cli, 2)
    print(f"score  {SCORE_ROWS:>9} rows  cli {SCORE_ROWS / t_cli:>12,.0f}/s  "
          f"score_batch {SCORE_ROWS / t_py:>12,.0f}/s  ratio {t_py / t_cli:.2f}", flush=True)

    loans = gen.loans(QUOTE_ROWS, seed=1)
    ltable = gen.loans_table(loans)
    (work / "l.jsonl").write_bytes(gen.loans_jsonl(loans))
    del loans
    engine = puhui.Engine.load(FIXTURE / "bundle.signed.json", FIXTURE / "root.json", now=NOW)
    t_cli, _ = timed(lambda: cli(["quote", "--batch", "--bundle", FIXTURE / "bundle.signed.json",
                                  "--root", FIXTURE / "root.json", "--now", NOW], work / "l.jsonl"))
    t_py, _ = timed(lambda: puhui.quote_batch(engine, ltable))
    results["rows"]["quote"] = QUOTE_ROWS
    results["quote_cli_rows_per_s"] = round(QUOTE_ROWS / t_cli)
    results["quote_batch_rows_per_s"] = round(QUOTE_ROWS / t_py)
    results["quote_python_over_cli_time"] = round(t_py / t_cli, 2)
    print(f"quote  {QUOTE_ROWS:>9} rows  cli {QUOTE_ROWS / t_cli:>12,.0f}/s  "
          f"quote_batch {QUOTE_ROWS / t_py:>12,.0f}/s  ratio {t_py / t_cli:.2f}", flush=True)

    if os.environ.get("BENCH_SPARK", "1") == "1":
        import pyarrow.parquet as pq
        from pyspark.sql import SparkSession
        from puhui import spark as puhui_spark

        pq.write_table(table, work / "a.parquet")
        pq.write_table(ltable, work / "l.parquet")
        os.environ["PYSPARK_PYTHON"] = sys.executable
        os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # loopback only
        for cores in (1, 2):
            spark = (SparkSession.builder.master(f"local[{cores}]").appName("puhui-bench")
                     .config("spark.ui.enabled", "false")
                     .config("spark.ui.showConsoleProgress", "false")
                     .config("spark.driver.bindAddress", "127.0.0.1")
                     .config("spark.driver.host", "127.0.0.1").getOrCreate())
            spark.sparkContext.setLogLevel("ERROR")
            adf = spark.read.parquet(str(work / "a.parquet")).repartition(cores * 2).cache()
            ldf = spark.read.parquet(str(work / "l.parquet")).repartition(cores * 2).cache()
            adf.count(), ldf.count()
            t_s, _ = timed(lambda: puhui_spark.score_spark(adf, card_path).write.format("noop")
                           .mode("overwrite").save())
            t_q, _ = timed(lambda: puhui_spark.quote_spark(
                ldf, FIXTURE / "bundle.signed.json", FIXTURE / "root.json", now=NOW)
                .write.format("noop").mode("overwrite").save())
            results[f"spark_local{cores}_score_rows_per_s"] = round(SCORE_ROWS / t_s)
            results[f"spark_local{cores}_quote_rows_per_s"] = round(QUOTE_ROWS / t_q)
            print(f"spark local[{cores}]  score {SCORE_ROWS / t_s:>12,.0f}/s  "
                  f"quote {QUOTE_ROWS / t_q:>12,.0f}/s", flush=True)
            spark.stop()
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "python.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

"""Deterministic generated portfolios and applicants, the same rows as Arrow tables (for the
package) and as JSON lines (for the native CLI), plus the CLI-side reading of the results.

Nulls are absent fields in the JSON lines, as the batch functions treat them. Rows include
refusals on purpose (amounts off the step, terms a product does not offer, unknown products).
"""

import datetime as dt
import json
import random
from decimal import Decimal

PRODUCTS = {
    "consumer-loan": ([6, 12, 24, 36], Decimal("1000"), Decimal("200000"), ["A", "B", "C"]),
    "micro-daily": ([3, 6, 12], Decimal("500"), Decimal("50000"), [None]),
    "card-installment": ([3, 6, 12, 24], Decimal("600"), Decimal("50000"), [None]),
}
HOUSING = ["own", "rent", "free", "other", None]


def loans(n: int, seed: int = 7):
    rng = random.Random(seed)
    rows = []
    names = list(PRODUCTS)
    for i in range(n):
        product = rng.choice(names) if rng.random() < 0.99 else "no-such-product"
        terms, low, high, bands = PRODUCTS.get(product, ([12], Decimal("1000"), Decimal("9000"),
                                                         [None]))
        steps = int((high - low) / 100)
        amount = low + 100 * rng.randrange(steps + 1)
        if rng.random() < 0.01:
            amount += Decimal("0.50")  # off the step: refused
        term = rng.choice(terms) if rng.random() < 0.99 else 7  # 7: not offered
        band = rng.choice(bands)
        start = dt.date(2026, 12, 1) + dt.timedelta(days=rng.randrange(0, 25))
        rows.append({"loan_id": i, "product_id": product, "amount": amount.quantize(Decimal("0.01")),
                     "term_months": term, "band": band, "start_date": start})
    return rows


def loans_table(rows):
    import pyarrow as pa

    return pa.table({
        "loan_id": pa.array([r["loan_id"] for r in rows], pa.int64()),
        "product_id": pa.array([r["product_id"] for r in rows], pa.string()),
        "amount": pa.array([r["amount"] for r in rows], pa.decimal128(12, 2)),
        "term_months": pa.array([r["term_months"] for r in rows], pa.int32()),
        "band": pa.array([r["band"] for r in rows], pa.string()),
        "start_date": pa.array([r["start_date"] for r in rows], pa.date32()),
    })


def loans_jsonl(rows) -> bytes:
    lines = []
    for r in rows:
        request = {"productId": r["product_id"], "amount": str(r["amount"]),
                   "termMonths": r["term_months"], "startDate": r["start_date"].isoformat()}
        if r["band"] is not None:
            request["band"] = r["band"]
        lines.append(json.dumps(request, separators=(",", ":")))
    return ("\n".join(lines) + "\n").encode()


def applicants(n: int, seed: int = 11):
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        age = rng.choice([None, -999, rng.randrange(18, 75), 25, 40, 50, 60])
        income = None if rng.random() < 0.05 else Decimal(rng.randrange(0, 3_000_000)) / 100
        if income is not None and rng.random() < 0.02:
            income = Decimal("5000.50")  # a bin edge
        rows.append({"applicant_id": i, "age": age, "monthlyIncome": income,
                     "housing": rng.choice(HOUSING)})
    return rows


def applicants_table(rows):
    import pyarrow as pa

    return pa.table({
        "applicant_id": pa.array([r["applicant_id"] for r in rows], pa.int64()),
        "age": pa.array([r["age"] for r in rows], pa.int32()),
        "monthlyIncome": pa.array([r["monthlyIncome"] for r in rows], pa.decimal128(12, 2)),
        "housing": pa.array([r["housing"] for r in rows], pa.string()),
    })


def applicants_jsonl(rows) -> bytes:
    lines = []
    for r in rows:
        parts = []
        if r["age"] is not None:
            parts.append(f'"age":{r["age"]}')
        if r["monthlyIncome"] is not None:
            parts.append(f'"monthlyIncome":{r["monthlyIncome"].quantize(Decimal("0.01"))}')
        if r["housing"] is not None:
            parts.append(f'"housing":{json.dumps(r["housing"])}')
        lines.append("{" + ",".join(parts) + "}")
    return ("\n".join(lines) + "\n").encode()


QUOTE_POINTERS = {
    "apr": ("disclosure", "cn", "rate"),
    "apr_percent": ("disclosure", "cn", "percent"),
    "payment": ("schedule", "installments", 0, "payment"),
    "total_repaid": ("disclosure", "totalRepaid"),
    "total_cost": ("disclosure", "totalCost"),
    "subsidy": ("subsidy", "total"),
    "net_apr": ("subsidy", "netRate"),
}


def _at(doc, path):
    for key in path:
        try:
            doc = doc[key]
        except (KeyError, IndexError, TypeError):
            return None
    return doc


def cli_quote_rows(lines):
    """`puhui quote --batch` output (bytes, or an iterable of lines such as an open file) ->
    the quote_batch columns, as the CLI printed them."""
    rows = []
    if isinstance(lines, bytes):
        lines = lines.decode().splitlines()
    for line in lines:
        doc = json.loads(line)
        if "error" in doc:
            err = doc["error"]
            row = {k: None for k in QUOTE_POINTERS}
            row.update(compliant=None, caps_flagged=None, error_code=err["code"],
                       error_message=err["message"], error_path=err.get("path"))
        else:
            row = {k: _at(doc, p) for k, p in QUOTE_POINTERS.items()}
            row.update(compliant=doc["caps"]["compliant"], caps_flagged=doc["caps"]["flagged"],
                       error_code=None, error_message=None, error_path=None)
        rows.append(row)
    return rows


def cli_score_rows(stdout: bytes):
    """`puhui score` lines -> (score, reasons, error_code, error_path)."""
    rows = []
    for line in stdout.decode().splitlines():
        doc = json.loads(line)
        if "error" in doc:
            rows.append((None, None, doc["error"]["code"], doc["error"].get("path")))
        else:
            rows.append((doc["score"], doc["reasons"], None, None))
    return rows

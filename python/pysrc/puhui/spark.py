"""Apache Spark helpers: :func:`score_spark` and :func:`quote_spark` apply
:func:`puhui.score_batch` / :func:`puhui.quote_batch` to a Spark DataFrame through
``DataFrame.mapInArrow``, so a team re-scores applicants or re-prices a portfolio on its existing
cluster with the same wheel installed on the executors.

Each Arrow batch Spark hands over goes to the engine without a Python object per row, and the
result columns come back as Arrow strings, lists and booleans (money as the engine's decimal
strings, never doubles). Decimal columns of the DataFrame arrive as Arrow decimal128.

Trust is never shipped: the driver passes the signed envelope, the pinned root and one
verification time to the executors, and every Python worker verifies the bundle itself
(once per worker process) before quoting.

Example::

    from pyspark.sql import SparkSession
    import puhui.spark

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    loans = spark.read.parquet("loans.parquet")   # loan_id, product_id, amount DECIMAL(12,2), ...
    priced = puhui.spark.quote_spark(loans, "bundle.signed.json", "root.json",
                                     now="2026-12-01T00:00:00Z", keep=["loan_id"])
"""

from __future__ import annotations

import datetime as _dt
import hashlib as _hashlib
from typing import Iterable, Iterator, Optional, Sequence

import puhui as _puhui
from puhui import PuhuiError

__all__ = ["score_spark", "quote_spark", "score_schema", "quote_schema"]

_ENGINES: dict = {}
_CARDS: dict = {}


def _result_fields(names: Sequence[str]):
    from pyspark.sql.types import ArrayType, BooleanType, StringType, StructField

    fields = []
    for name in names:
        if name in ("reasons", "caps_flagged"):
            fields.append(StructField(name, ArrayType(StringType(), True), True))
        elif name == "compliant":
            fields.append(StructField(name, BooleanType(), True))
        else:
            fields.append(StructField(name, StringType(), True))
    return fields


def _schema(df, keep: Sequence[str], names: Sequence[str]):
    from pyspark.sql.types import StructType

    kept = []
    for name in keep:
        if name not in df.schema.names:
            raise PuhuiError("missing-column", f"keep column {name!r} is not in the DataFrame",
                             name)
        kept.append(df.schema[name])
    return StructType(kept + _result_fields(names))


def score_schema(df, keep: Sequence[str] = ()):
    """The Spark schema :func:`score_spark` returns for ``df``."""
    return _schema(df, list(keep), _puhui.SCORE_COLUMNS)


def quote_schema(df, keep: Sequence[str] = ()):
    """The Spark schema :func:`quote_spark` returns for ``df``."""
    return _schema(df, list(keep), _puhui.QUOTE_COLUMNS)


def _cast_like(pa, table, schema):
    """The batch as Spark expects it (plain ``string`` / ``list<string>`` / ``bool``)."""
    return table.cast(schema) if table.schema != schema else table


def score_spark(df, card, *, keep: Iterable[str] = (), model: bool = False):
    """Scores every row of ``df`` (columns named like the card's variables) on the executors.

    Args:
        df: a Spark DataFrame; numeric features as integer or DECIMAL columns, categories as
            strings (DOUBLE/FLOAT columns are refused with ``float-column``).
        card: the card (or with ``model=True`` an eligibility model) as a dict, JSON text/bytes,
            a path, or a :class:`puhui.Scorecard`.
        keep: columns copied to the output first (applicant ids).
    Returns:
        A DataFrame with ``keep`` then ``score``, ``band``, ``reasons``, ``error_code``,
        ``error_message``, ``error_path`` (see :func:`puhui.score_batch`).
    """
    if isinstance(card, _puhui.Scorecard):
        card_bytes, model = card._json, card._model
    else:
        card_bytes = _puhui._read(card)
    keep = list(keep)
    schema = score_schema(df, keep)
    key = (_hashlib.sha256(card_bytes).hexdigest(), bool(model))

    def run(batches: Iterator) -> Iterator:
        import pyarrow as pa
        from pyspark.sql.pandas.types import to_arrow_schema

        arrow_schema = to_arrow_schema(schema)
        scorecard = _CARDS.get(key)
        if scorecard is None:
            scorecard = _CARDS[key] = _puhui.Scorecard(card_bytes, model=model)
        for batch in batches:
            table = _puhui.score_batch(scorecard, batch, keep=keep)
            for out in _cast_like(pa, table.replace_schema_metadata(None),
                                  arrow_schema).to_batches():
                yield out

    return df.mapInArrow(run, schema)


def quote_spark(df, bundle, root, *, now: Optional[str] = None, keep: Iterable[str] = (),
                channel: str = "production", preview: bool = False, state=None):
    """Quotes every row of ``df`` (request fields as columns, see :func:`puhui.quote_batch`) on
    the executors.

    Args:
        df: a Spark DataFrame: ``product_id`` STRING, ``amount`` DECIMAL or STRING (yuan),
            ``term_months`` INT, optional ``method``, ``start_date`` (DATE or STRING), ``band``,
            ``subsidy_used``, ``promotions`` / ``context`` (JSON text).
        bundle, root, state: the signed envelope, pinned root and persisted state (bytes, JSON
            text, dict or a path), read once on the driver.
        now: the one verification time every executor uses (RFC 3339; default: the driver's
            clock when this is called), so all partitions judge expiry at the same instant.
        keep: columns copied to the output first (loan ids).
    Returns:
        A DataFrame with ``keep`` then the :data:`puhui.QUOTE_COLUMNS`.
    Raises:
        PuhuiError: on the driver, when the bundle does not verify (checked before any job runs).
    """
    envelope, root_bytes = _puhui._read(bundle), _puhui._read(root)
    state_bytes = None if state is None else _puhui._read(state)
    now_text = _puhui._now(now if now is not None else _dt.datetime.now(_dt.timezone.utc))
    # Verify on the driver first: a bundle that does not verify fails here, not in a task.
    _puhui.Engine.load(envelope, root_bytes, now=now_text, state=state_bytes, channel=channel,
                       preview=preview)
    keep = list(keep)
    schema = quote_schema(df, keep)
    key = _hashlib.sha256(envelope + b"\0" + root_bytes + b"\0" + now_text.encode()
                          + b"\0" + (state_bytes or b"") + channel.encode()
                          + (b"p" if preview else b"")).hexdigest()

    def run(batches: Iterator) -> Iterator:
        import pyarrow as pa
        from pyspark.sql.pandas.types import to_arrow_schema

        arrow_schema = to_arrow_schema(schema)
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = _puhui.Engine.load(
                envelope, root_bytes, now=now_text, state=state_bytes, channel=channel,
                preview=preview)
        for batch in batches:
            table = _puhui.quote_batch(engine, batch, keep=keep)
            for out in _cast_like(pa, table.replace_schema_metadata(None),
                                  arrow_schema).to_batches():
                yield out

    return df.mapInArrow(run, schema)

"""puhui: exact loan pricing, disclosure, subsidies, signed rule bundles and scorecards.

The same Rust engine as the ``puhui`` command line and the wasm package, with the same JSON
contract, so every door prints the same bytes for the same request. Money and rates are decimal
strings (``"50000.00"``, ``"0.120000"``) everywhere; nothing here goes through a float.
Nothing touches the network, at import or later.

JSON operations take a request as a ``dict`` (answer: ``dict``, JSON numbers as ``int`` or
``decimal.Decimal``) or as JSON text ``str`` / ``bytes`` (answer: the compact JSON ``str``,
byte-identical to the CLI's and wasm's output). Refusals raise :class:`PuhuiError` with
``.code``, ``.message`` and ``.path``.

Batch functions read and write Apache Arrow (``pyarrow``): :func:`score_batch` and
:func:`quote_batch`; :mod:`puhui.spark` applies them to Spark DataFrames.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import json as _json
import os as _os
from typing import Any, Iterable, Optional, Sequence, Union

from . import _puhui
from ._errors import PuhuiError

__all__ = [
    "PuhuiError",
    "Engine",
    "Scorecard",
    "schedule",
    "apr",
    "disclose",
    "subsidy",
    "score",
    "assess",
    "verify",
    "quote",
    "score_batch",
    "quote_batch",
    "ENGINE_VERSION",
    "SCORE_COLUMNS",
    "QUOTE_COLUMNS",
]

ENGINE_VERSION: str = _puhui.ENGINE_VERSION

#: Result columns of :func:`score_batch`, in order.
SCORE_COLUMNS = ("score", "band", "reasons", "error_code", "error_message", "error_path")
#: Result columns of :func:`quote_batch`, in order.
QUOTE_COLUMNS = tuple(_puhui.quote_figure_names()) + (
    "compliant",
    "caps_flagged",
    "error_code",
    "error_message",
    "error_path",
)

Request = Union[dict, str, bytes]


def _default(value: Any) -> Any:
    if isinstance(value, _decimal.Decimal):
        if not value.is_finite():
            raise PuhuiError("not-a-number", f"{value} is not a finite decimal")
        return format(value, "f")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _encode(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, float):
        raise PuhuiError("float-not-allowed", "pass money and rates as decimal strings, not floats")
    return _json.dumps(value, default=_default, separators=(",", ":"), ensure_ascii=False,
                       allow_nan=False).encode("utf-8")


def _decode(text: str) -> Any:
    return _json.loads(text, parse_float=_decimal.Decimal)


def _op(operation: str, request: Request) -> Any:
    text = _puhui.call_text(operation, _encode(request))
    return text if isinstance(request, (str, bytes)) else _decode(text)


def schedule(request: Request) -> Any:
    """Cent-exact repayment schedule (``interface.md`` ``schedule``).

    Args:
        request: ``{"principal": "10000.00", "annualRate": "0.12", "termMonths": 12,
            "method": "equal-installment", ...}`` as a dict or JSON text.
    Returns:
        ``{"installments": [{"period", "dueDate", "payment", "principal", "interest", "fee",
        "balance"}, ...], "totals": {...}, "totalCost", ...}``; money in yuan as strings with
        two decimals. A dict for a dict request, JSON text for text.
    Raises:
        PuhuiError: e.g. ``invalid-amount`` with the JSON path of the field.
    """
    return _op("schedule", request)


def apr(request: Request) -> Any:
    """Annualized rate of a flow stream: ``cn-irr``, ``us-regz`` (Reg Z Appendix J) or
    ``eu-aprc`` (Directive 2008/48/EC Annex I). Rates are decimal strings (``"0.120000"``)."""
    return _op("apr", request)


def disclose(request: Request) -> Any:
    """Every disclosure figure of a loan: CN/US/EU rates, total cost, cost per 10,000 yuan and
    the dated cost-cap checks, as decimal strings."""
    return _op("disclose", request)


def subsidy(request: Request) -> Any:
    """Fiscal interest subsidy programs and promotions applied to a schedule, in the documented
    stacking order; per-period amounts in yuan as strings."""
    return _op("subsidy", request)


def score(request: Request) -> Any:
    """Scores one applicant with a card: ``{"card": {...}, "applicant": {...}}`` ->
    ``{"score", "rawScore", "reasons", "points"}`` (scores as decimal strings)."""
    return _op("score", request)


def assess(request: Request) -> Any:
    """Pre-eligibility for one applicant: ``{"model": {...}, "applicant": {...}}`` -> decision,
    score, band, reasons, knock-outs and indicative limit."""
    return _op("assess", request)


def _read(source: Union[bytes, str, dict, "_os.PathLike[str]"]) -> bytes:
    """Bundle / root / card / state input: bytes as given, a dict re-encoded, a ``str`` that
    starts with ``{`` as JSON text, any other ``str`` or path-like as a file path."""
    is_path = isinstance(source, str) and not source.lstrip().startswith("{")
    if is_path or isinstance(source, _os.PathLike):
        with open(source, "rb") as handle:
            return handle.read()
    return _encode(source)


def _now(now: Optional[Union[str, _dt.datetime]]) -> str:
    if now is None:
        now = _dt.datetime.now(_dt.timezone.utc)
    if isinstance(now, _dt.datetime):
        if now.tzinfo is None:
            raise PuhuiError("invalid-time", "now must be timezone-aware", "now")
        return now.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return now


def _options(channel: str, preview: bool) -> bytes:
    return _json.dumps({"channel": channel, "previewAllowed": bool(preview)}).encode("utf-8")


def verify(bundle, root, *, now=None, state=None, channel: str = "production",
           preview: bool = False) -> dict:
    """Verifies a signed bundle (DSSE envelope, Ed25519) against a pinned trust root.

    Args:
        bundle: the envelope (bytes, JSON text, dict or a path).
        root: the pinned root envelope (same forms).
        now: verification time, RFC 3339 text or an aware ``datetime`` (default: the clock).
        state: the persisted verifier state from the last success (same forms), or ``None``.
    Returns:
        ``{"bundle": <payload>, "state": <new state to persist>, "summary": {...}}``.
    Raises:
        PuhuiError: ``signature-invalid``, ``rollback``, ``expired``, ... (bundles.md).
    """
    text = _puhui.verify_text(_read(bundle), _read(root), _now(now),
                              None if state is None else _read(state), _options(channel, preview))
    return _decode(text)


class Engine:
    """A verified bundle compiled for quoting; build it with :meth:`Engine.load`.

    An engine can only come from verification, so no figure is ever computed from unverified
    data. It is immutable and safe to share between threads; its methods release the GIL.
    """

    __slots__ = ("_inner", "_envelope", "_root", "_now", "_state", "_options")

    def __init__(self, inner: Any, envelope: bytes, root: bytes, now: str,
                 state: Optional[bytes], options: bytes) -> None:
        self._inner = inner
        self._envelope, self._root, self._now = envelope, root, now
        self._state, self._options = state, options

    @classmethod
    def load(cls, bundle, root, *, now=None, state=None, channel: str = "production",
             preview: bool = False) -> "Engine":
        """Verifies ``bundle`` against ``root`` (see :func:`verify` for the forms) and compiles
        it. Persist :attr:`state` after success."""
        envelope, root_bytes, now_text = _read(bundle), _read(root), _now(now)
        state_bytes = None if state is None else _read(state)
        options = _options(channel, preview)
        inner = _puhui.Engine(envelope, root_bytes, now_text, state_bytes, options)
        return cls(inner, envelope, root_bytes, now_text, state_bytes, options)

    def __reduce__(self):
        # Re-verified wherever it is unpickled (Spark executors): trust is never shipped.
        return (_reload, (self._envelope, self._root, self._now, self._state, self._options))

    @property
    def state(self) -> dict:
        """The verifier state to persist after this load."""
        return _decode(self._inner.state_json)

    @property
    def summary(self) -> dict:
        """``{bundleId, channel, version, sha256, issuedAt, expiresAt, preview, ...}``."""
        return _decode(self._inner.summary_json)

    @property
    def preview(self) -> bool:
        """True for an unsigned preview draft (every output then says ``preview: true``)."""
        return bool(self._inner.preview)

    def quote(self, request: Request) -> Any:
        """Quotes one request ``{"productId", "amount", "termMonths", "method"?, "startDate"?,
        "band"?, "subsidyUsed"?, "promotions"?, "context"?}``: price, schedule, disclosure,
        caps, subsidy, texts and the ``bundle`` (id, version, sha256) that answered."""
        text = self._inner.quote_json(_encode(request))
        return text if isinstance(request, (str, bytes)) else _decode(text)

    def products(self) -> dict:
        """The bundle's products with their terms, amounts and promotions."""
        return _decode(self._inner.products_json())

    def assess(self, applicant: Request) -> Any:
        """Pre-eligibility of one applicant with the bundle's model, with indicative quotes."""
        text = self._inner.assess_json(_encode(applicant))
        return text if isinstance(applicant, (str, bytes)) else _decode(text)


def _reload(envelope, root, now, state, options) -> Engine:
    inner = _puhui.Engine(envelope, root, now, state, options)
    return Engine(inner, envelope, root, now, state, options)


def quote(bundle, root, request: Request, *, now=None, state=None,
          channel: str = "production", preview: bool = False) -> Any:
    """Verifies ``bundle`` and quotes one ``request`` (as :meth:`Engine.quote`); the same bytes
    as ``puhui quote --bundle B --root R --now NOW REQUEST``."""
    return Engine.load(bundle, root, now=now, state=state, channel=channel,
                       preview=preview).quote(request)


class Scorecard:
    """A compiled scorecard (puhui card JSON), or with ``model=True`` an eligibility model
    ``{card, knockouts, bands, fields}`` whose bands name each score's band."""

    __slots__ = ("_inner", "_json", "_model")

    def __init__(self, card: Union[dict, str, bytes, "_os.PathLike[str]"], *,
                 model: bool = False) -> None:
        self._json = _read(card)
        self._model = bool(model)
        self._inner = _puhui.Scorecard(self._json, self._model)

    def __reduce__(self):
        return (_scorecard, (self._json, self._model))

    @property
    def variables(self) -> list:
        """The card's variable names, in card order."""
        return list(self._inner.variables())

    def score_line(self, line: Union[str, bytes]) -> str:
        """One applicant JSON object -> ``{"score":"…","reasons":[…]}``, as ``puhui score``."""
        return self._inner.score_line(_encode(line))


def _scorecard(json_bytes: bytes, model: bool) -> Scorecard:
    return Scorecard(json_bytes, model=model)


# ---------------------------------------------------------------------------------------------
# Arrow batches

_QUOTE_FIELDS = {
    # request field: (accepted column names, kind) with kind 0 literal, 1 text, 2 JSON text
    "productId": (("productId", "product_id"), 1),
    "amount": (("amount",), 1),
    "termMonths": (("termMonths", "term_months"), 0),
    "method": (("method",), 1),
    "startDate": (("startDate", "start_date"), 1),
    "band": (("band",), 1),
    "subsidyUsed": (("subsidyUsed", "subsidy_used"), 1),
    "promotions": (("promotions",), 2),
    "context": (("context",), 2),
}


def _pa():
    try:
        import pyarrow
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise PuhuiError("missing-dependency", "batch functions need pyarrow (pip install "
                         "pyarrow)") from exc
    return pyarrow


def _column_arg(pa, name: str, field: str, array, kind: Optional[int]):
    """One column as the kernel reads it: (field, kind, validity, offsets, data, offset)."""
    t = array.type
    if pa.types.is_dictionary(t):
        array = array.dictionary_decode()
        t = array.type
    if pa.types.is_floating(t):
        raise PuhuiError("float-column", f"column {name!r} is floating point; pass money and "
                         "features as decimal128, integers or strings", name)
    if pa.types.is_null(t):
        return None
    numeric = pa.types.is_integer(t) or pa.types.is_decimal(t) or pa.types.is_boolean(t)
    textual = pa.types.is_string(t) or pa.types.is_large_string(t)
    if kind is None:
        if numeric:
            kind = 0
        elif textual:
            kind = 1
        else:
            raise PuhuiError("unsupported-column", f"column {name!r} has type {t}; use "
                             "integers, decimal128, booleans or strings", name)
    elif kind == 0 and not (pa.types.is_integer(t)):
        raise PuhuiError("unsupported-column", f"column {name!r} must be integers, not {t}",
                         name)
    elif kind == 1 and not (numeric or textual or pa.types.is_date(t)):
        raise PuhuiError("unsupported-column", f"column {name!r} has type {t}", name)
    elif kind == 2 and not textual:
        raise PuhuiError("unsupported-column", f"column {name!r} must hold JSON text", name)
    if not pa.types.is_large_string(t):
        array = array.cast(pa.large_string())
    validity, offsets, data = array.buffers()[:3]
    return (
        field,
        kind,
        None if validity is None or array.null_count == 0 else validity.to_pybytes(),
        offsets.to_pybytes(),
        b"" if data is None else data.to_pybytes(),
        array.offset,
    )


def _arrays(pa, raw, rows: int):
    arrays = []
    for kind, validity, offsets, data, nulls, child in raw:
        vbuf = pa.py_buffer(validity) if nulls else None
        if kind == "str":
            arrays.append(pa.Array.from_buffers(
                pa.string(), rows, [vbuf, pa.py_buffer(offsets), pa.py_buffer(data)], nulls))
        elif kind == "bool":
            arrays.append(pa.Array.from_buffers(pa.bool_(), rows, [vbuf, pa.py_buffer(offsets)],
                                                nulls))
        else:
            child_offsets, _ = child
            items = len(child_offsets) // 4 - 1
            strings = pa.Array.from_buffers(
                pa.string(), items, [None, pa.py_buffer(child_offsets), pa.py_buffer(data)], 0)
            arrays.append(pa.Array.from_buffers(pa.list_(pa.string()), rows,
                                                [vbuf, pa.py_buffer(offsets)], nulls,
                                                children=[strings]))
    return arrays


def _batches(pa, table):
    if isinstance(table, pa.RecordBatch):
        return [table], table.schema
    if isinstance(table, pa.Table):
        return table.to_batches(), table.schema
    if hasattr(table, "to_arrow") and not isinstance(table, (dict, list)):  # Polars
        arrow = table.to_arrow()
        return arrow.to_batches(), arrow.schema
    if type(table).__name__ == "DataFrame":  # pandas
        arrow = pa.Table.from_pandas(table, preserve_index=False)
        return arrow.to_batches(), arrow.schema
    raise PuhuiError("unsupported-table", "pass a pyarrow Table or RecordBatch, a pandas or a "
                     "Polars DataFrame")


def _run(pa, table, keep: Sequence[str], names: Sequence[str], pick, kernel):
    batches, schema = _batches(pa, table)
    for name in keep:
        if name not in schema.names:
            raise PuhuiError("missing-column", f"keep column {name!r} is not in the table", name)
    out = []
    for batch in batches:
        args = [arg for arg in (_column_arg(pa, name, field, batch.column(name), kind)
                                for name, field, kind in pick(schema)) if arg is not None]
        arrays = _arrays(pa, kernel(batch.num_rows, args), batch.num_rows)
        kept = [batch.column(name) for name in keep]
        out.append(pa.RecordBatch.from_arrays(kept + arrays, names=list(keep) + list(names)))
    if not out:
        empty = [pa.array([], schema.field(n).type) for n in keep]
        types = {"reasons": pa.list_(pa.string()), "caps_flagged": pa.list_(pa.string()),
                 "compliant": pa.bool_()}
        empty += [pa.array([], types.get(n, pa.string())) for n in names]
        return pa.Table.from_arrays(empty, names=list(keep) + list(names))
    return pa.Table.from_batches(out)


def score_batch(card: Union[Scorecard, Engine, dict, str, bytes], table, *,
                keep: Iterable[str] = ()):
    """Scores every row of an Arrow table with a scorecard.

    Args:
        card: a :class:`Scorecard` (a model's card gives bands), an :class:`Engine` (its
            bundle's ``preEligibility`` card and bands), or card JSON (dict / text).
        table: ``pyarrow.Table`` / ``RecordBatch`` (or a pandas / Polars DataFrame). Columns
            named like the card's variables are the applicant's fields: integers, decimal128 and
            booleans as numbers, strings as categories; nulls are absent fields; other columns
            are ignored. Floating-point columns are refused (``float-column``): cast them to
            decimal128 first, so no binary float ever reaches a score.
        keep: input columns copied to the output first (ids).
    Returns:
        ``pyarrow.Table`` with ``keep`` columns then ``score`` (decimal string, the card's
        rounding), ``band`` (string, null without bands: the band the score falls in; knock-out
        rules are not applied, use :meth:`Engine.assess` for decisions), ``reasons``
        (list<string> of reason codes, worst first), ``error_code`` / ``error_message`` /
        ``error_path`` (null when the row scored). The score and reasons equal ``puhui score``'s
        line for the same applicant, byte for byte. The schema metadata ``puhui.preview`` is
        ``"true"`` for a preview bundle.
    Raises:
        PuhuiError: for the whole batch only (bad card, unsupported column); a row that cannot be
        scored gets its error in the error columns.
    """
    pa = _pa()
    if isinstance(card, Engine):
        inner = card._inner
        variables = set(inner.card_variables())
        preview = card.preview
    else:
        if not isinstance(card, Scorecard):
            card = Scorecard(card)
        inner = card._inner
        variables = set(inner.variables())
        preview = False

    def pick(schema):
        return [(name, name, None) for name in schema.names if name in variables]

    result = _run(pa, table, list(keep), SCORE_COLUMNS, pick, inner.score_columns)
    return result.replace_schema_metadata({"puhui.preview": "true" if preview else "false"})


def quote_batch(engine: Engine, table, *, keep: Iterable[str] = ()):
    """Quotes every row of an Arrow table with a verified bundle.

    Args:
        engine: an :class:`Engine` from :meth:`Engine.load`.
        table: ``pyarrow.Table`` / ``RecordBatch`` (or a pandas / Polars DataFrame) with the
            request fields as columns, camelCase or snake_case: ``product_id`` (string),
            ``amount`` (decimal128 or decimal string, yuan), ``term_months`` (integer),
            optional ``method``, ``start_date`` (date or ``YYYY-MM-DD``), ``band``,
            ``subsidy_used`` (decimal), ``promotions`` and ``context`` (JSON text). Nulls are
            absent fields; floats are refused (``float-column``).
        keep: input columns copied to the output first (loan ids).
    Returns:
        ``pyarrow.Table`` with ``keep`` then, as decimal strings exactly as ``puhui quote``
        prints them: ``apr`` (CN annualized rate, IRR method, e.g. ``"0.120000"``),
        ``apr_percent``, ``payment`` (first installment, yuan), ``total_repaid``, ``total_cost``
        (yuan), ``subsidy`` (total subsidy, yuan; null when the product has no program),
        ``net_apr`` (rate after subsidy); ``compliant`` (bool, every cap passes),
        ``caps_flagged`` (list<string> of failing cap ids), and ``error_code`` /
        ``error_message`` / ``error_path`` for rows that were refused. Schema metadata carries
        the bundle id, version and sha256 that answered.
    """
    pa = _pa()
    if not isinstance(engine, Engine):
        raise PuhuiError("not-an-engine", "quote_batch needs an Engine from Engine.load")

    def pick(schema):
        chosen = []
        for field, (names, kind) in _QUOTE_FIELDS.items():
            present = [n for n in names if n in schema.names]
            if len(present) > 1:
                raise PuhuiError("duplicate-column", f"both {present[0]!r} and {present[1]!r} "
                                 "are in the table", present[1])
            if present:
                chosen.append((present[0], field, kind))
        return chosen

    result = _run(pa, table, list(keep), QUOTE_COLUMNS, pick, engine._inner.quote_columns)
    summary = engine.summary
    return result.replace_schema_metadata({
        "puhui.bundleId": str(summary.get("bundleId")),
        "puhui.version": str(summary.get("version")),
        "puhui.sha256": str(summary.get("sha256")),
        "puhui.preview": "true" if engine.preview else "false",
    })

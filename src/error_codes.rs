//! The registry of every stable code puhui emits: request and bundle refusals, lint
//! diagnostics, CLI and server refusals, and the reason codes inside outcomes.
//!
//! One table, one owner (issue 14, item 4). `tests/error_registry.rs` keeps it true in both
//! directions — every code literal raised in `src/`, `cli/src/`, `wasm/src/`, `studio/src/` and `python/src/`
//! is listed here (and every `PuhuiError("…"` of the Python package), and every entry here is
//! raised somewhere — and regenerates from it
//! `docs/errors.md` and the `ErrorCode` union of the TypeScript types
//! (`wasm/src/error-codes.d.ts`, checked by `tsc`). The fuzz targets and the wasm/native parity
//! test check at run time that every refusal they see carries a registered code.
//!
//! Nothing in the engine calls into this table, so the wasm modules do not carry it.

/// `(code, meaning)`, sorted by code. A code's meaning never changes; a new problem gets a
/// new code.
pub const ERROR_CODES: &[(&str, &str)] = &[
    (
        "amount-off-step",
        "quote: the amount is not a multiple of the product's amount step",
    ),
    (
        "amount-out-of-range",
        "quote: the amount is outside the product's minimum and maximum",
    ),
    (
        "amount-range",
        "lint: a product's amount range is empty or inverted",
    ),
    (
        "amount-step",
        "lint: a product's amount step does not divide its range",
    ),
    (
        "api-config",
        "serve: the re-check API is enabled without a usable trust root",
    ),
    (
        "bad-api-body-bytes",
        "serve.json: api.maxBodyBytes is zero or above the hard cap",
    ),
    (
        "bad-arguments",
        "JSONLogic: an operator got the wrong number or kind of arguments",
    ),
    (
        "bad-bin",
        "scorecard import: a bin's edges or category list cannot be read",
    ),
    (
        "bad-flows",
        "apr: the flows are not a loan (no advance, no payment, a bad date or amount)",
    ),
    (
        "bad-frame-ancestor",
        "serve.json: a frame-ancestors origin is not a valid origin",
    ),
    (
        "bad-max-bundle-bytes",
        "serve.json: maxBundleBytes is zero or above the hard cap",
    ),
    (
        "bad-name",
        "publish/serve: a bundle id or channel breaks the one id rule",
    ),
    (
        "bad-origin",
        "serve.json: an allowed origin is not scheme://host[:port]",
    ),
    (
        "bad-path",
        "serve: the request path is not a safe file path (traversal, encoded separators)",
    ),
    (
        "bad-points",
        "scorecard import: a points value is not a decimal",
    ),
    (
        "bad-rate-limit",
        "serve.json: rateLimit.perSecond or burst is zero or too large",
    ),
    (
        "bad-request",
        "serve: the HTTP request itself is malformed (HTTP 400)",
    ),
    (
        "bad-rounding",
        "scorecard lint: the score's rounding (decimal places or mode) is not allowed",
    ),
    (
        "bad-signature",
        "bundle: a signature does not verify under its key",
    ),
    ("band-gap", "model lint: some scores fall in no band"),
    (
        "band-overlap",
        "model lint: two bands cover the same scores",
    ),
    (
        "batch-too-large",
        "Python: a result column of one batch would exceed 2 GiB; pass smaller batches",
    ),
    (
        "bin-kind-mismatch",
        "scorecard lint: a bin's kind (range, categories) differs from its variable's",
    ),
    ("bind-failed", "serve: the listen address cannot be bound"),
    (
        "body-not-allowed",
        "serve: a body on a GET, HEAD or OPTIONS request",
    ),
    (
        "body-too-large",
        "API: the request body is over the configured cap (HTTP 413)",
    ),
    (
        "breaks-cap",
        "lint: a product's most expensive offer breaks a rate cap in force",
    ),
    (
        "breaks-future-cap",
        "lint (warning): an offer breaks a cap that starts later",
    ),
    (
        "bundle-mismatch",
        "API: the request names a bundle version or sha256 other than the one served",
    ),
    (
        "cap-exhausted",
        "subsidy outcome: a program's per-borrower cap is used up",
    ),
    (
        "cap-not-applicable",
        "lint: a cap row names a loan kind or institution it cannot apply to",
    ),
    (
        "category-overlap",
        "scorecard lint: a category is listed in two bins",
    ),
    (
        "conflicting-party",
        "bundle: one party id is declared twice with different details",
    ),
    (
        "cors-refused",
        "serve: a CORS preflight from an origin or with a method that is not allowed",
    ),
    ("duplicate-band-id", "model lint: two bands share an id"),
    (
        "duplicate-bin-label",
        "scorecard lint: two bins of a variable share a label",
    ),
    (
        "duplicate-column",
        "Python: two input columns map to the same field (camelCase and snake_case)",
    ),
    (
        "duplicate-else-bin",
        "scorecard lint: a variable has two else bins",
    ),
    (
        "duplicate-id",
        "bundle/lint: two products, programs or promotions share an id",
    ),
    (
        "duplicate-key",
        "an object repeats a key (requests, applicants, cards, bundles), at the key's path",
    ),
    (
        "duplicate-missing-bin",
        "scorecard lint: a variable has two missing-value bins",
    ),
    (
        "duplicate-promotion",
        "a second merchant-funded or interest-free-days promotion",
    ),
    (
        "duplicate-rule-id",
        "model lint: two knock-out rules share an id",
    ),
    (
        "duplicate-term",
        "lint: a product lists the same term twice",
    ),
    (
        "duplicate-variable",
        "scorecard lint: two variables share a name",
    ),
    (
        "empty-card",
        "scorecard import: the file has no usable rows",
    ),
    (
        "empty-range",
        "scorecard lint: a bin's range holds no value",
    ),
    (
        "engine-too-old",
        "bundle: minEngineVersion is above this engine's version",
    ),
    ("expired", "bundle: expiresAt is before now"),
    (
        "fee-without-party",
        "bundle/lint: a product fee does not name the party it is paid to",
    ),
    (
        "fees-exceed-principal",
        "schedule: fees deducted up front reach the principal",
    ),
    (
        "file-exists",
        "CLI: refusing to overwrite an existing key or output file",
    ),
    (
        "file-too-large",
        "serve: a bundle file is over the served size cap",
    ),
    (
        "float-column",
        "Python: a floating-point column where money or a score input is expected",
    ),
    (
        "float-not-allowed",
        "Python: a float passed where a decimal string is required",
    ),
    (
        "header-mismatch",
        "publish: the envelope's header differs from the file being replaced",
    ),
    (
        "headers-too-large",
        "serve: the request headers are over the cap (HTTP 431)",
    ),
    (
        "insecure-key-file",
        "CLI: a private key file is readable by others",
    ),
    (
        "internal",
        "an invariant the engine relies on failed; a bug, please report it",
    ),
    (
        "invalid-amount",
        "wasm fast path: an amount is not a whole number of fen up to 2^53 - 1",
    ),
    (
        "invalid-argument",
        "wasm: an export got an argument of the wrong JS type",
    ),
    (
        "invalid-bundle",
        "bundle: the payload is well-formed JSON but not a valid catalog",
    ),
    (
        "invalid-bundle-id",
        "API: bundleId is missing or breaks the one id rule",
    ),
    ("invalid-cap", "caps: a cap row or LPR table is malformed"),
    ("invalid-channel", "API: channel breaks the one id rule"),
    (
        "invalid-config",
        "serve.json cannot be read or has an unknown field",
    ),
    (
        "invalid-context",
        "subsidy: the borrower context (loan kind, institution, category) is invalid",
    ),
    (
        "invalid-date",
        "a date is not YYYY-MM-DD, is out of range, or is out of order",
    ),
    (
        "invalid-fee",
        "schedule: a fee has a bad kind, timing, rate or amount",
    ),
    (
        "invalid-key-file",
        "CLI: a key file is not a puhui Ed25519 key",
    ),
    (
        "invalid-model",
        "assess: the eligibility model (knock-outs, bands, limits) is invalid",
    ),
    (
        "invalid-option",
        "apr/disclose: an option is unknown or not allowed for the method",
    ),
    (
        "invalid-principal",
        "schedule: the principal is zero, negative or above the maximum",
    ),
    (
        "invalid-program",
        "subsidy: a program's rate, share, cap or window is invalid",
    ),
    (
        "invalid-program-data",
        "subsidy: a program data file cannot be read",
    ),
    (
        "invalid-promotion",
        "a promotion's fraction, days, periods or amount is out of range",
    ),
    (
        "invalid-query",
        "API: a query parameter is unknown or malformed",
    ),
    (
        "invalid-rate",
        "a rate is negative, above the maximum, or over-precise",
    ),
    (
        "invalid-request",
        "the request is not the expected JSON shape (wrong type, array for object)",
    ),
    (
        "invalid-root",
        "the trust root is malformed, has too few keys, or fails its own threshold",
    ),
    (
        "invalid-scorecard",
        "score: the scorecard is invalid (bins, scaling, variables)",
    ),
    ("invalid-share", "subsidy: a share is outside 0..1"),
    (
        "invalid-state",
        "the persisted bundle state cannot be read or holds impossible values",
    ),
    (
        "invalid-term",
        "the term is not a whole number of months between 1 and 600",
    ),
    (
        "invalid-time",
        "Python: now is not a timezone-aware datetime",
    ),
    (
        "invalid-version",
        "API: version is missing or not a positive integer",
    ),
    (
        "invalid-window",
        "subsidy: a program window ends before it starts",
    ),
    ("io", "CLI: a file cannot be read or written (exit code 2)"),
    (
        "issued-in-future",
        "bundle: issuedAt is more than the allowed clock skew after now",
    ),
    (
        "limit-exceeded",
        "a collection or key is over its documented limit (docs/limits.md)",
    ),
    (
        "line-too-long",
        "batch scoring: one JSON line is over 1 MiB",
    ),
    (
        "malformed",
        "bundle: the DSSE envelope or its base64 cannot be read",
    ),
    (
        "malformed-applicant",
        "score/assess: the applicant is not a JSON object",
    ),
    (
        "malformed-column",
        "Python: an Arrow column's buffers are inconsistent or a cell is not what its type says",
    ),
    (
        "malformed-decimal",
        "a decimal is not a plain decimal string",
    ),
    (
        "malformed-input",
        "import/batch: the input is not UTF-8, CSV or JSON lines as expected",
    ),
    ("malformed-json", "the text is not JSON"),
    (
        "method-not-allowed",
        "serve: a method the path does not serve (files: GET, HEAD, OPTIONS; the API: POST, OPTIONS; see Allow)",
    ),
    (
        "method-not-offered",
        "quote: the product does not offer this repayment method",
    ),
    ("missing-argument", "CLI: a required option is missing"),
    (
        "missing-column",
        "scorecard import: a required column is missing",
    ),
    (
        "missing-dependency",
        "Python: the batch functions need pyarrow",
    ),
    (
        "missing-else-bin",
        "scorecard lint (warning): values outside every bin have no else bin",
    ),
    ("missing-field", "a required field is missing"),
    (
        "missing-id",
        "lint: a product, program or promotion has no id",
    ),
    (
        "missing-language",
        "lint: a text lacks its zh or en version",
    ),
    (
        "missing-missing-bin",
        "scorecard lint (warning): a missing value has no bin",
    ),
    (
        "missing-program",
        "subsidy: a program named by id is not in the data",
    ),
    (
        "missing-reason-text",
        "scorecard lint: a variable that can give a reason has no reason text",
    ),
    (
        "missing-start-date",
        "a start date is required (dated fees, subsidy timelines, act/365)",
    ),
    ("missing-text", "lint: a consumer-facing text is empty"),
    (
        "multiple-funders",
        "bundle/lint: a product names more than one funder",
    ),
    (
        "multiple-roots",
        "apr: the flows have more than one rate that reproduces them",
    ),
    (
        "negative-amortization",
        "schedule: a period's interest exceeds the level payment",
    ),
    ("negative-cap", "subsidy: a cap is negative"),
    ("no-bands", "model lint: the model has no bands"),
    ("no-bins", "scorecard lint: a variable has no bins"),
    (
        "no-funder",
        "bundle/lint: a product names no funder (资金方)",
    ),
    (
        "no-lpr",
        "caps: no LPR is published on or before the date a 4 × LPR cap needs",
    ),
    ("no-matching-band", "assess: no band covers the score"),
    (
        "no-matching-bin",
        "score: no bin of a variable covers the applicant's value",
    ),
    (
        "no-pre-eligibility",
        "assess: the bundle has no pre-eligibility model",
    ),
    (
        "no-price",
        "quote: no price row matches the amount, term, band and method",
    ),
    (
        "no-randomness",
        "CLI: the OS random source failed while generating a key",
    ),
    (
        "no-solution",
        "apr: no rate reproduces the flows (the message says why)",
    ),
    (
        "no-trust-root",
        "API: the server has no pinned trust root to verify bundles with",
    ),
    (
        "not-a-number",
        "score: a numeric variable got a value that is not a number",
    ),
    (
        "not-an-engine",
        "Python: quote_batch was given something other than a loaded Engine",
    ),
    ("not-found", "API: no such endpoint or bundle"),
    (
        "number-out-of-range",
        "a JSON number is beyond the exact decimal range",
    ),
    (
        "operation-budget-exceeded",
        "JSONLogic: a rule does more work than its operation budget",
    ),
    (
        "operation-unavailable",
        "the calculator module does not carry this operation (load the full engine)",
    ),
    (
        "out-of-range",
        "a value is outside its documented range (1e400, a term of 10^9)",
    ),
    ("over-precise-amount", "an amount has more than 2 decimals"),
    (
        "overflow",
        "an intermediate figure left the exact decimal range",
    ),
    (
        "overlapping-price-rows",
        "lint: two price rows cover the same amount, term and band",
    ),
    (
        "range-gap",
        "scorecard lint: values between two ranges fall in no bin",
    ),
    (
        "range-overlap",
        "scorecard lint: two ranges of a variable overlap",
    ),
    (
        "rate-limited",
        "serve: the client's request budget is spent (HTTP 429, Retry-After)",
    ),
    (
        "rollback",
        "bundle: the version is not newer than the one already accepted",
    ),
    (
        "root-chain-broken",
        "root rotation: the new root is not signed by the previous one",
    ),
    ("root-expired", "the trust root has expired"),
    (
        "root-not-self-signed",
        "root rotation: the new root does not meet its own threshold",
    ),
    (
        "root-outdated",
        "bundle: signed under an older root than the pinned one",
    ),
    (
        "root-rollback",
        "root rotation: the new root's version is not above the current one",
    ),
    (
        "root-too-old",
        "bundle: needs a newer trust root than the pinned one",
    ),
    (
        "root-version-skip",
        "root rotation: a root version was skipped",
    ),
    (
        "rule-error",
        "JSONLogic: a knock-out rule failed to evaluate",
    ),
    (
        "rule-too-deep",
        "JSONLogic: a rule nests deeper than allowed",
    ),
    (
        "schedule-mismatch",
        "subsidy: the given schedule does not match the request",
    ),
    (
        "shadowed-price-row",
        "lint: a price row is never reached because an earlier row matches first",
    ),
    (
        "string-too-long",
        "JSONLogic: a string result is over its length cap",
    ),
    (
        "term-not-offered",
        "quote: the product does not offer this term",
    ),
    ("terms-empty", "lint: a product offers no term"),
    (
        "threshold-not-met",
        "bundle: fewer valid signatures than the root's threshold",
    ),
    ("too-deep", "JSON nesting deeper than allowed"),
    (
        "too-large",
        "an input is over its byte cap (bundle, request, file)",
    ),
    (
        "too-many-applicants",
        "studio: the sample applicant table is over its row cap",
    ),
    (
        "unknown-bundle-version",
        "API: the named bundle version is not published or not verified",
    ),
    (
        "unknown-day-count",
        "schedule: the day count is not one puhui knows",
    ),
    (
        "unknown-field",
        "a field puhui does not know (typos are refused, not ignored)",
    ),
    (
        "unknown-key",
        "bundle: a signature's key id is not in the trust root",
    ),
    (
        "unknown-language",
        "lint: a text has a language other than zh and en",
    ),
    (
        "unknown-method",
        "the repayment or rate method is not one puhui knows",
    ),
    ("unknown-operation", "no such operation"),
    (
        "unknown-operator",
        "JSONLogic: the operator is not supported",
    ),
    ("unknown-product", "quote: no product with this id"),
    (
        "unknown-promotion",
        "quote: a promotion id is not in the product's signed list",
    ),
    (
        "unknown-reference",
        "bundle: an id refers to a party, program or promotion that does not exist",
    ),
    (
        "unknown-rounding",
        "schedule: the rounding mode is not one puhui knows",
    ),
    (
        "unknown-variable",
        "model lint: a rule or limit names a variable the card does not have",
    ),
    (
        "unreachable-price-row",
        "lint: a price row can never match (empty range or unknown band)",
    ),
    ("unsigned", "bundle: the envelope carries no signature"),
    (
        "unsigned-promotion",
        "quote: an inline promotion on a production bundle (only signed ids apply)",
    ),
    (
        "unsupported-column",
        "Python: an input column has an Arrow type puhui does not read",
    ),
    (
        "unsupported-media-type",
        "API: the body is not application/json (HTTP 415)",
    ),
    (
        "unsupported-schema",
        "bundle: the payload's schema version is not supported",
    ),
    (
        "unsupported-table",
        "Python: the table is not a pyarrow Table, RecordBatch, pandas or Polars DataFrame",
    ),
    (
        "uri-too-long",
        "serve: the request target is over the cap (HTTP 414)",
    ),
    (
        "version-exists",
        "publish: this version is already published with other bytes",
    ),
    (
        "version-not-newer",
        "publish: the version is not above the highest valid version on disk",
    ),
    (
        "version-out-of-range",
        "a bundle or root version is above 2^53 - 1",
    ),
    (
        "wrong-channel",
        "bundle: signed for another channel (production vs preview)",
    ),
    (
        "wrong-payload-type",
        "bundle: the DSSE payload type is not puhui's",
    ),
    (
        "wrong-type",
        "score: a variable got a value of the wrong type (number vs category)",
    ),
];

/// Whether `code` is in [`ERROR_CODES`].
pub fn is_registered(code: &str) -> bool {
    ERROR_CODES
        .binary_search_by(|(entry, _)| (*entry).cmp(code))
        .is_ok()
}

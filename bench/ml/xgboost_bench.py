"""XGBoost side of bench/ml/run.ts: trains single-threaded XGBoost hist on the data the
TypeScript side wrote into --dir and prints one JSON object with timings and scores."""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import xgboost as xgb
from sklearn.metrics import roc_auc_score

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test", "ml", "fixtures"))
from train_xgboost import load  # noqa: E402


def params(objective, a):
    return {"objective": objective, "tree_method": "hist", "max_depth": a.depth, "eta": a.eta,
            "max_bin": 256, "nthread": 1, "seed": 42}


def timed_train(p, dtrain, rounds, repeats):
    best, booster = math.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        booster = xgb.train(p, dtrain, num_boost_round=rounds)
        best = min(best, time.perf_counter() - start)
    return booster, best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--depth", type=int, default=6)
    ap.add_argument("--eta", type=float, default=0.1)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--flights-rounds", type=int, default=100)
    ap.add_argument("--part", choices=["california", "flights"], required=True)
    a = ap.parse_args()
    if a.part == "flights":
        print(json.dumps(flights(a)))
        return
    out = {"xgboost_version": xgb.__version__}

    x, y = load(a.csv)
    with open(os.path.join(a.dir, "split.json")) as f:
        split = json.load(f)
    tr, te = np.array(split["train"]), np.array(split["test"])
    dtrain = xgb.DMatrix(x[tr], label=y[tr], missing=math.nan, nthread=1)
    booster, secs = timed_train(params("reg:squarederror", a), dtrain, 300, 1)
    pred = booster.predict(xgb.DMatrix(x[te], missing=math.nan))
    out["california"] = {"train_seconds": secs,
                         "rmse": float(np.sqrt(np.mean((pred - y[te]) ** 2)))}

    booster.set_param({"nthread": 1})
    row = x[te][:1]
    batch = x[te][:1000]
    for _ in range(200):
        booster.inplace_predict(row)
    n = 2000
    start = time.perf_counter()
    for i in range(n):
        booster.inplace_predict(row)
    out["predict_single_us"] = (time.perf_counter() - start) / n * 1e6
    start = time.perf_counter()
    for _ in range(50):
        booster.inplace_predict(batch)
    out["predict_batch1000_us"] = (time.perf_counter() - start) / 50 * 1e6

    print(json.dumps(out))


def flights(a):
    out = {}
    meta = json.load(open(os.path.join(a.dir, "flights.json")))
    fx = np.fromfile(os.path.join(a.dir, "flights_x.f32"), dtype=np.float32).reshape(meta["rows"], meta["cols"])
    fy = np.fromfile(os.path.join(a.dir, "flights_y.u8"), dtype=np.uint8).astype(np.float32)
    ntr = meta["train_rows"]
    dtrain = xgb.DMatrix(fx[:ntr], label=fy[:ntr], nthread=1)
    booster, secs = timed_train(params("binary:logistic", a), dtrain, a.flights_rounds, 1)
    prob = booster.predict(xgb.DMatrix(fx[ntr:], nthread=1))
    out["flights"] = {"train_seconds": secs, "auc": float(roc_auc_score(fy[ntr:], prob))}
    return out


if __name__ == "__main__":
    main()

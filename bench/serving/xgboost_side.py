"""XGBoost side of bench/serving/run.ts.

  train  --csv PATH --out DIR           trains the benchmark's 300-tree model on California
                                        housing (8 numeric columns + ocean_proximity as a
                                        sorted-category code), writes DIR/model.json
  batch  --csv PATH --model FILE --rows N --threads T
                                        times booster.inplace_predict over N rows (the housing
                                        rows tiled), best of 3, prints JSON
Run with Debian's /usr/bin/python3 (python3-xgboost).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import xgboost as xgb

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test", "ml", "fixtures"))
from train_xgboost import NUMERIC, load  # noqa: E402

COLUMNS = NUMERIC + ["ocean_proximity"]


def train(a):
    x, y = load(a.csv)
    dtrain = xgb.DMatrix(x, label=y / 100000.0, missing=np.nan, feature_names=COLUMNS)
    params = {"objective": "reg:squarederror", "tree_method": "hist", "max_depth": 6,
              "eta": 0.1, "max_bin": 256, "seed": 42}
    start = time.perf_counter()
    booster = xgb.train(params, dtrain, num_boost_round=300)
    os.makedirs(a.out, exist_ok=True)
    booster.save_model(os.path.join(a.out, "model.json"))
    print(json.dumps({"xgboost_version": xgb.__version__,
                      "train_seconds": time.perf_counter() - start,
                      "trees": len(booster.get_dump())}))


def batch(a):
    x, _ = load(a.csv)
    reps = -(-a.rows // len(x))
    big = np.tile(x, (reps, 1))[: a.rows]
    booster = xgb.Booster(model_file=a.model)
    booster.set_param({"nthread": a.threads})
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        pred = booster.inplace_predict(big, missing=np.nan)
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"seconds": best, "rows": int(len(pred)), "first": float(pred[0])}))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--csv", required=True)
    t.add_argument("--out", required=True)
    b = sub.add_parser("batch")
    b.add_argument("--csv", required=True)
    b.add_argument("--model", required=True)
    b.add_argument("--rows", type=int, default=1_000_000)
    b.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    train(a) if a.cmd == "train" else batch(a)


if __name__ == "__main__":
    main()

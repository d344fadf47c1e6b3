"""The NumPy/SciPy side of bench/monitoring: the same drift tests on the same data, timed.

Evidently's defaults, written directly against numpy/scipy (Evidently is not installed):
reference > 1,000 rows: normed Wasserstein (scipy.stats.wasserstein_distance / np.std(ref),
floored at 0.001) for numeric features, Jensen-Shannon distance in base 2 over category
shares for categorical ones; reference <= 1,000 rows: scipy.stats.ks_2samp and
scipy.stats.chisquare with expected = reference counts scaled to the window. NaN is dropped
first, as Evidently does. Arrays are loaded (and cached as .npz) before the clock starts, and
categories are dictionary-encoded to integer codes then too, so the baseline counts them with
np.bincount: as strong a NumPy version as we could write.

usage: scipy_drift.py --dir DIR --train train.csv --small train-1000.csv --log log.csv
                      --numeric f0,... --categorical c0,... [--repeats 3]
prints JSON: {"large": {"seconds": ..., "scores": {...}}, "small": {...}}
"""
import argparse
import csv
import json
import os
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance


def load(path, numeric, categorical):
    cache = path + ".npz"
    if os.path.exists(cache) and os.path.getmtime(cache) >= os.path.getmtime(path):
        data = np.load(cache, allow_pickle=False)
        return {k: data[k] for k in data.files}
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        columns = list(zip(*reader))
    out = {}
    for name, values in zip(header, columns):
        if name in numeric:
            out[name] = np.array([float(v) if v != "" else np.nan for v in values])
        elif name in categorical:
            out[name] = np.array(values, dtype="U16")
    np.savez(cache, **out)
    return out


def encode(tables, categorical):
    """Replaces each categorical column by integer codes over the union of its values."""
    for name in categorical:
        vocabulary = np.unique(np.concatenate([t[name] for t in tables]))
        for t in tables:
            t[name] = np.searchsorted(vocabulary, t[name])


def shares(ref, cur):
    size = int(max(ref.max(), cur.max())) + 1
    return np.bincount(ref, minlength=size), np.bincount(cur, minlength=size)


def drift_large(ref, cur, numeric, categorical):
    scores = {}
    for name in numeric:
        r, c = ref[name], cur[name]
        r, c = r[~np.isnan(r)], c[~np.isnan(c)]
        scores[name] = stats.wasserstein_distance(r, c) / max(np.std(r), 0.001)
    for name in categorical:
        p, q = shares(ref[name], cur[name])
        keep = (p + q) > 0
        scores[name] = float(distance.jensenshannon(p[keep] / len(ref[name]), q[keep] / len(cur[name]), 2))
    return scores


def drift_small(ref, cur, numeric, categorical):
    scores = {}
    for name in numeric:
        r, c = ref[name], cur[name]
        scores[name] = float(stats.ks_2samp(r[~np.isnan(r)], c[~np.isnan(c)]).pvalue)
    for name in categorical:
        f_ref, f_obs = shares(ref[name], cur[name])
        keep = (f_ref + f_obs) > 0
        f_exp = f_ref[keep] * (len(cur[name]) / len(ref[name]))
        with np.errstate(divide="ignore"):
            scores[name] = float(stats.chisquare(f_obs[keep].astype(float), f_exp).pvalue)
    return scores


def timed(fn, repeats):
    """Best wall time and best CPU time of the runs, and the last result."""
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu, result


def main():
    parser = argparse.ArgumentParser()
    for flag in ("--train", "--small", "--log", "--numeric", "--categorical"):
        parser.add_argument(flag, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    numeric, categorical = args.numeric.split(","), args.categorical.split(",")
    train = load(args.train, numeric, categorical)
    small = load(args.small, numeric, categorical)
    log = load(args.log, numeric, categorical)
    encode([train, small, log], categorical)
    large_s, large_cpu, large = timed(lambda: drift_large(train, log, numeric, categorical), args.repeats)
    small_s, small_cpu, small_scores = timed(lambda: drift_small(small, log, numeric, categorical), args.repeats)
    print(json.dumps({
        "large": {"seconds": large_s, "cpu": large_cpu, "scores": {k: float(v) for k, v in large.items()}},
        "small": {"seconds": small_s, "cpu": small_cpu, "scores": small_scores},
    }))


main()

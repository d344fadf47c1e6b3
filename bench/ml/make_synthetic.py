"""Writes the benchmark's synthetic classification set once: scikit-learn
make_classification, 2,000,000 rows x 50 features (float32, row-major) and 0/1 labels, as raw
files in --dir; bench/ml/datasets.ts turns them into Parquet for Gyre's chunked reader.

usage: make_synthetic.py --dir DIR [--rows 2000000] [--features 50]
"""
import argparse
import os

import numpy as np
from sklearn.datasets import make_classification

ap = argparse.ArgumentParser()
ap.add_argument("--dir", required=True)
ap.add_argument("--rows", type=int, default=2_000_000)
ap.add_argument("--features", type=int, default=50)
a = ap.parse_args()
x, y = make_classification(n_samples=a.rows, n_features=a.features, n_informative=20,
                           n_redundant=10, n_clusters_per_class=4, flip_y=0.05,
                           random_state=0)
x.astype(np.float32).tofile(os.path.join(a.dir, "synthetic_x.f32"))
y.astype(np.float32).tofile(os.path.join(a.dir, "synthetic_y.f32"))

"""scipy's time for the statistics benchmark, on the same data, in the same run.

Usage: python3 stats_bench.py DIFFERENCES_FILE RESAMPLES
Prints one JSON line: seconds for scipy.stats.permutation_test and scipy.stats.bootstrap (BCa).
"""
import json
import sys
import time

import numpy as np
from scipy import stats

d = np.loadtxt(sys.argv[1])
resamples = int(sys.argv[2])


def mean(x, axis):
    return np.mean(x, axis=axis)


start = time.perf_counter()
stats.permutation_test((d,), mean, permutation_type="samples", vectorized=True,
                       n_resamples=resamples, batch=1000, alternative="two-sided",
                       random_state=np.random.default_rng(1))
permutation = time.perf_counter() - start

start = time.perf_counter()
stats.bootstrap((d,), np.mean, n_resamples=resamples, method="BCa", vectorized=True,
                batch=1000, confidence_level=0.95, random_state=np.random.default_rng(2))
bootstrap = time.perf_counter() - start

print(json.dumps({"permutation_s": permutation, "bootstrap_bca_s": bootstrap}))

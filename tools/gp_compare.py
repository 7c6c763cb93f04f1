#!/usr/bin/env python3
"""Checks our Gaussian process against an independent one (scikit-learn).

For each case, `twin fit-gp` fits a gp-* policy's surrogate on pool rows of a
dataset and prints the standardised training data and its fitted
hyper-parameters. This script then, with scikit-learn's
GaussianProcessRegressor on the same data and the same model
(s2 * Matern-5/2 [ARD or isotropic] + c2 + n2 white noise, the same bounds):

  1. evaluates scikit-learn's log marginal likelihood at OUR hyper-parameters
     (agreement checks our likelihood);
  2. maximises it itself (L-BFGS-B from the same default start plus random
     restarts) and compares the best likelihood and the length-scales with
     ours (a much better optimum there means our fit stops short).

usage: gp_compare.py TWIN DATASET_DIR [--check] [--restarts N]
With --check it exits 1 when our likelihood differs from scikit-learn's at the
same point by more than 1e-6 (relative) in any case, or when scikit-learn's
optimum beats ours by more than 0.1 nats in the median case or by more than
5 nats in any case (the likelihood is multi-modal: neither search is global,
and either may find the better mode); it exits 77 (skipped) when numpy,
scipy or scikit-learn are missing (Debian: python3-sklearn, python3-scipy).
"""
import argparse
import json
import math
import subprocess
import sys

try:
    import warnings

    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel
except ImportError as e:  # the main suite must not need Python's science stack
    print(f"skipped: {e}")
    sys.exit(77)

warnings.filterwarnings("ignore", category=ConvergenceWarning)  # estimates at a bound are expected (idle inputs)

# Our bounds (agents/GaussianProcess.hpp, GpBounds).
LENGTHSCALE = (1e-2, 1e2)
SIGNAL = (1e-2, 1e2)
CONSTANT = (1e-4, 1e1)
NOISE = (1e-6, 1.0)

CASES = [
    # dataset, goal, rows, seed
    ("P3HT.csv", "max", 30, 1),
    ("P3HT.csv", "max", 60, 2),
    ("AgNP.csv", "min", 40, 3),
    ("AgNP.csv", "min", 80, 4),
    ("Perovskite.csv", "min", 30, 5),
    ("Perovskite.csv", "min", 60, 6),
]


def sk_kernel(d, fit):
    ls = [1.0] * d if fit["ard"] else 1.0
    k = ConstantKernel(1.0, SIGNAL) * Matern(length_scale=ls, length_scale_bounds=LENGTHSCALE, nu=2.5)
    if fit["constant_term"]:
        k = k + ConstantKernel(0.1, CONSTANT)
    noise = fit["noise_variance"] if not fit["fit_noise"] else 0.01
    k = k + WhiteKernel(noise, NOISE if fit["fit_noise"] else "fixed")
    return k


def our_theta_in_sklearn_order(fit, d):
    """sklearn's log-theta order: [s2, l_1..l_L, (c2), (n2)]."""
    ls = fit["lengthscales"] if fit["ard"] else fit["lengthscales"][:1]
    t = [math.log(fit["signal_variance"])] + [math.log(v) for v in ls]
    if fit["constant_term"]:
        t.append(math.log(fit["constant_variance"]))
    if fit["fit_noise"]:
        t.append(math.log(fit["noise_variance"]))
    return np.array(t)


def compare(twin, data_dir, dataset, goal, rows, seed, policy, params, restarts):
    cmd = [twin, "fit-gp", f"{data_dir}/{dataset}", "--goal", goal, "--policy", policy, "--rows", str(rows),
           "--seed", str(seed)]
    for p in params:
        cmd += ["--param", p]
    fit = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    x = np.array(fit["x"])
    y = np.array(fit["y"])
    d = x.shape[1]
    kernel = sk_kernel(d, fit)
    # 1. The likelihood at our point.
    gp0 = GaussianProcessRegressor(kernel=kernel, optimizer=None, normalize_y=False, alpha=0.0)
    gp0.fit(x, y)
    at_ours = gp0.log_marginal_likelihood(our_theta_in_sklearn_order(fit, d))
    # 2. scikit-learn's own optimum.
    gp1 = GaussianProcessRegressor(kernel=kernel, n_restarts_optimizer=restarts, normalize_y=False, alpha=0.0,
                                   random_state=seed)
    gp1.fit(x, y)
    params_ = gp1.kernel_.get_params()
    ls = None
    for k, v in params_.items():
        if k.endswith("length_scale") and not k.endswith("bounds"):
            ls = np.atleast_1d(v)
    return {
        "case": f"{dataset} n={rows} seed={seed} {fit['policy']}",
        "ours_lml": fit["log_marginal_likelihood"],
        "sklearn_lml_at_ours": float(at_ours),
        "sklearn_best_lml": float(gp1.log_marginal_likelihood_value_),
        "ours_lengthscales": fit["lengthscales"] if fit["ard"] else fit["lengthscales"][:1],
        "sklearn_lengthscales": [float(v) for v in ls],
        "ours_noise": fit["noise_variance"],
        "sklearn_kernel": str(gp1.kernel_),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("twin")
    ap.add_argument("data_dir")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--restarts", type=int, default=9)
    ap.add_argument("--param", action="append", default=[])
    args = ap.parse_args()
    bad = 0
    shortfalls = []
    for policy in ("gp-ard", "gp-iso"):
        for dataset, goal, rows, seed in CASES:
            r = compare(args.twin, args.data_dir, dataset, goal, rows, seed, policy, args.param, args.restarts)
            same = abs(r["ours_lml"] - r["sklearn_lml_at_ours"]) <= 1e-6 * max(1.0, abs(r["ours_lml"]))
            short = r["sklearn_best_lml"] - r["ours_lml"]
            shortfalls.append(short)
            ok = same and short <= 5.0
            bad += not ok
            fmt = lambda v: "[" + ", ".join(f"{a:.3g}" for a in v) + "]"
            print(f"{'ok ' if ok else 'BAD'} {r['case']}: LML ours {r['ours_lml']:.6f}, sklearn at ours "
                  f"{r['sklearn_lml_at_ours']:.6f}, sklearn best {r['sklearn_best_lml']:.6f} (ours short by "
                  f"{short:+.3f}); length-scales ours {fmt(r['ours_lengthscales'])} sklearn "
                  f"{fmt(r['sklearn_lengthscales'])}; noise ours {r['ours_noise']:.3g}")
    median = float(np.median(shortfalls))
    print(f"median shortfall of our optimum {median:+.3f} nats, largest {max(shortfalls):+.3f}")
    if args.check and (bad or median > 0.1):
        print(f"{bad} case(s) disagree" + (", median shortfall above 0.1" if median > 0.1 else ""))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

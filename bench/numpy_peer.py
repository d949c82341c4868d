#!/usr/bin/env python3
"""The numpy peer of `klscope bench solve`: the same outputs as klscope's full solve, computed
with numpy in log space as docs/mathematics.md specifies, timed by itself.

Outputs: the generalized escort pi_G (with log F), the mixture pi_A, the harmonic mean pi_H, the
reverse-KL optimum with max J_RKL, MRPO with its gap beta KL(pi_MRPO || pi*_RKL), the forward-KL
optimum on pi_A with its Newton root lambda (and escaped mass) and max J_FKL, and per reference
max J_k and max J_FKL,k with the bounds sum_k alpha_k max J_k and sum_k alpha_k max J_FKL,k.

Input: a folder with rewards.npy, ref0.npy ... ref{K-1}.npy (log-probabilities, -inf for zeros)
and problem.json ({"beta": ..., "weights": [...]}). Prints one JSON object: the median seconds
of one full solve over the repetitions, their count, and the outputs; with --policies FILE it
also writes the six policies (escort, mixture, harmonic, RKL, FKL, MRPO) as raw little-endian
float64 log-probabilities, one after another, for klscope to compare element by element.
"""
import argparse
import json
import math
import time

import numpy as np

NEG_INF = -np.inf
TOLERANCE = 1e-13
MAXIMUM_ITERATIONS = 60


def log_sum_exp(x):
    """log sum exp(x) with the maximum subtracted; -inf for an empty input or all -inf."""
    if x.size == 0:
        return NEG_INF
    top = np.max(x)
    if not np.isfinite(top):
        return top
    return top + math.log(np.sum(np.exp(x - top)))


def normalize(logs):
    """The log-softmax of logs (-inf stays -inf) and its normaliser."""
    c = log_sum_exp(logs)
    return logs - c, c


def tilt(log_reference, rewards, beta):
    """pi ∝ ref exp(r/beta) and beta log sum ref exp(r/beta), the exponent formed as
    log ref + (r - r_max)/beta; ref may be unnormalised."""
    support = log_reference > NEG_INF
    top = np.max(rewards[support])
    logs = np.where(support, log_reference + (rewards - top) / beta, NEG_INF)
    logs, c = normalize(logs)
    return logs, top + beta * c


def kl(log_p, log_q):
    """KL(p || q) with 0 log 0 = 0; +inf when p has mass where q has none."""
    support = log_p > NEG_INF
    if np.any(support & (log_q == NEG_INF)):
        return math.inf
    lp = log_p[support]
    return max(0.0, float(np.dot(np.exp(lp), lp - log_q[support])))


def forward_kl(log_reference, rewards, beta):
    """pi*_FKL = beta ref/(lambda - r) on supp(ref), with mass escaping outside when an
    unsupported reward beats the root: MATH.md's safeguarded Newton iteration on u = log(lambda - r_U)."""
    support = log_reference > NEG_INF
    log_a = log_reference[support]
    r = rewards[support]
    a = np.exp(log_a)
    top = np.max(r)
    d = top - r
    at_top = d == 0
    log_beta = math.log(beta)
    log_top_term = log_beta + log_sum_exp(log_a[at_top])
    rest_a = a[~at_top]
    rest_d = d[~at_top]
    mean_gap = float(np.dot(rest_a, rest_d))

    def evaluate(u):
        delta = math.exp(u)
        top_value = math.exp(log_top_term - u)
        inverse = 1.0 / (delta + rest_d)
        term = rest_a * inverse
        return top_value + beta * float(np.sum(term)), -top_value - delta * beta * float(np.dot(term, inverse))

    mean_slack = beta - mean_gap
    low = max(log_top_term, math.log(mean_slack) if mean_slack > 0 else NEG_INF)
    high = log_beta
    left = evaluate(low)
    u = low
    residual = abs(left[0] - 1)
    sum_at_root = left[0]
    bisect_next = False
    iterations = 0
    while residual > TOLERANCE and iterations < MAXIMUM_ITERATIONS:
        iterations += 1
        step = left[0] * (left[0] - 1) / -left[1]
        following = low + math.log1p(step) if step > -1 else NEG_INF
        if bisect_next or not (low < following < high):
            following = 0.5 * (low + high)
        if not (low < following < high):
            break
        point = evaluate(following)
        if point[0] > 1:
            bisect_next = point[0] - 1 > 0.25 * (left[0] - 1)
            low = following
            left = point
        else:
            high = following
            bisect_next = False
        if abs(point[0] - 1) < residual:
            residual = abs(point[0] - 1)
            u = following
            sum_at_root = point[0]

    outside = rewards[~support]
    escapes = False
    if outside.size:
        outside_reward = float(np.max(outside))
        escapes = outside_reward > top and math.log(outside_reward - top) > u
    if escapes:
        u = math.log(outside_reward - top)
        sum_at_root = evaluate(u)[0]
    escaped_mass = max(0.0, 1 - sum_at_root) if escapes else 0.0
    correction = 0.0 if escapes else math.log(sum_at_root)
    delta = math.exp(u)
    log_denominator = np.where(at_top, u, np.log(delta + d))
    logs = np.full(rewards.shape, NEG_INF)
    logs[support] = log_beta + log_a - log_denominator - correction
    if escapes:
        winners = (~support) & (rewards == outside_reward)
        logs[winners] = math.log(escaped_mass / np.count_nonzero(winners))
    return logs, top + delta, escaped_mass


def expectation(log_p, rewards):
    support = log_p > NEG_INF
    return float(np.dot(np.exp(log_p[support]), rewards[support]))


def forward_objective(log_p, rewards, beta, references, weights):
    """J_FKL(pi) = E_pi[r] - beta sum_k alpha_k KL(pi_k || pi); -inf when an active KL is infinite."""
    penalty = 0.0
    for log_q, alpha in zip(references, weights):
        if alpha > 0:
            divergence = kl(log_q, log_p)
            if not math.isfinite(divergence):
                return -math.inf
            penalty += alpha * divergence
    return expectation(log_p, rewards) - beta * penalty


def solve(rewards, references, weights, beta):
    """Every output of the full solve, as a dict of numbers and a list of six policies."""
    active = [k for k, alpha in enumerate(weights) if alpha > 0]
    stacked = np.stack([references[k] for k in active])
    alphas = np.array([weights[k] for k in active])
    log_alphas = np.log(alphas)[:, None]
    intersection = np.all(stacked > NEG_INF, axis=0)

    # pi_G: sum_k alpha_k log pi_k on I, normalised; log F its normaliser.
    log_geometric = np.where(intersection, alphas @ np.where(intersection, stacked, 0.0), NEG_INF)
    escort, log_f = normalize(log_geometric)
    # pi_A = sum_k alpha_k pi_k, by log-sum-exp over the references.
    with np.errstate(divide="ignore"):
        weighted = log_alphas + stacked
        top = np.max(weighted, axis=0)
        shifted = np.where(np.isfinite(top), top, 0.0)
        mixture = shifted + np.log(np.sum(np.exp(weighted - shifted), axis=0))
        mixture[~np.isfinite(top)] = NEG_INF
    # pi_H ∝ (sum_k alpha_k / pi_k)^-1 on I: minus the log-sum-exp of log alpha_k - log pi_k.
    inverse = np.where(intersection, log_alphas - np.where(intersection, stacked, 0.0), 0.0)
    top = np.max(inverse, axis=0)
    harmonic = np.where(intersection, -(top + np.log(np.sum(np.exp(inverse - top), axis=0))), NEG_INF)
    harmonic, _ = normalize(harmonic)

    reverse, reverse_value = tilt(log_geometric, rewards, beta)
    mrpo, _ = tilt(harmonic, rewards, beta)
    gap = beta * kl(mrpo, reverse)
    forward, lam, escaped = forward_kl(mixture, rewards, beta)
    forward_value = forward_objective(forward, rewards, beta, references, weights)

    single_reverse = []
    single_forward = []
    for k, log_k in enumerate(references):
        single_reverse.append(tilt(log_k, rewards, beta)[1])
        optimum = forward_kl(log_k, rewards, beta)[0]
        single_forward.append(forward_objective(optimum, rewards, beta, [log_k], [1.0]))
    outputs = {
        "logF": log_f,
        "lambda": lam,
        "escapedMass": escaped,
        "reverseKLValue": reverse_value,
        "forwardKLValue": forward_value,
        "mrpoGap": gap,
        "singleReverseKLValues": single_reverse,
        "singleForwardKLValues": single_forward,
        "reverseKLBound": float(sum(weights[k] * single_reverse[k] for k in active)),
        "forwardKLBound": float(sum(weights[k] * single_forward[k] for k in active)),
    }
    return outputs, [escort, mixture, harmonic, reverse, forward, mrpo]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--seconds", type=float, default=0.3, help="minimum seconds spent timing (at least 3 runs)")
    parser.add_argument("--policies", help="write the six policies here as raw float64 log-probabilities")
    arguments = parser.parse_args()

    with open(f"{arguments.folder}/problem.json") as file:
        problem = json.load(file)
    weights = [float(w) for w in problem["weights"]]
    beta = float(problem["beta"])
    rewards = np.load(f"{arguments.folder}/rewards.npy")
    references = [np.load(f"{arguments.folder}/ref{k}.npy") for k in range(len(weights))]

    samples = []
    start = time.perf_counter()
    while len(samples) < 3 or time.perf_counter() - start < arguments.seconds:
        t0 = time.perf_counter()
        outputs, policies = solve(rewards, references, weights, beta)
        samples.append(time.perf_counter() - t0)
        if len(samples) >= 1000:
            break
    if arguments.policies:
        np.concatenate(policies).astype("<f8").tofile(arguments.policies)
    samples.sort()
    print(json.dumps({"seconds": samples[len(samples) // 2], "runs": len(samples), "outputs": outputs}))


if __name__ == "__main__":
    main()

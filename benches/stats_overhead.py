#!/usr/bin/env python3
"""Runs `cargo bench --bench stats_overhead` with the live counters on and off (the off build:
RUSTFLAGS="--cfg kendall_no_stats", in its own target directory), alternating, and prints
each round's medians and the overhead. Usage: python3 benches/stats_overhead.py [ROUNDS]"""

import json
import os
import subprocess
import sys
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
BENCHES = ["send_recv_one_thread", "try_send_try_recv_one_thread", "spsc_threads"]
TARGETS = {"on": ROOT / "target", "off": ROOT / "target" / "nostats"}


def run(build):
    env = dict(os.environ)
    env["CARGO_TARGET_DIR"] = str(TARGETS[build])
    if build == "off":
        env["RUSTFLAGS"] = (env.get("RUSTFLAGS", "") + " --cfg kendall_no_stats").strip()
    subprocess.run(
        ["cargo", "bench", "--bench", "stats_overhead", "--", "--noplot"],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )
    out = {}
    for name in BENCHES:
        est = TARGETS[build] / "criterion" / "stats_overhead" / name / "new" / "estimates.json"
        out[name] = json.loads(est.read_text())["median"]["point_estimate"]
    return out


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    times = {"on": {b: [] for b in BENCHES}, "off": {b: [] for b in BENCHES}}
    for r in range(rounds):
        for build in ("off", "on"):
            for name, ns in run(build).items():
                times[build][name].append(ns)
        print(f"round {r + 1}/{rounds} done", file=sys.stderr)
    print("| benchmark | counters on (ns/iter) | counters off (ns/iter) | overhead (median of rounds) |")
    print("|---|---:|---:|---:|")
    for name in BENCHES:
        on, off = times["on"][name], times["off"][name]
        ratios = [a / b - 1 for a, b in zip(on, off)]
        fmt = lambda v: ", ".join(f"{x:,.0f}" for x in v)
        print(f"| {name} | {fmt(on)} | {fmt(off)} | {100 * median(ratios):+.1f}% |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Turn criterion's saved estimates for `benches/queue.rs` into the markdown tables of
`benches/README.md`: msg/s (median) per implementation, the ratio to ArrayQueue, and whether
the issue's target for that row is met.

Usage: python3 benches/table.py [CRITERION_DIR]
(default: $CARGO_TARGET_DIR/criterion, else target/criterion)
"""

import json
import os
import sys
from pathlib import Path

# Scenario -> minimum Kendall / ArrayQueue ratio from issue 2 for single operations.
SINGLE_TARGET = {
    "pair": 1.0,
    "spsc": 1.5,
    "mpsc-2p1c": 1.5,
    "mpmc-2p2c": 1.5,
    "oversub-4p4c": 1.0,
    "oversub-8p8c": 1.0,
}
# Batches of 64 against ArrayQueue's single-op throughput, every scenario.
BATCH_TARGET = 4.0
ORDER = ["kendall", "kendall-nospread", "kendall-batch64", "kendall-nospread-batch64",
         "arrayqueue", "concurrent-queue", "rtrb"]
BASELINE = "arrayqueue"


def load(root):
    """{group_id: {function_id: (msg/s median, msg/s low, msg/s high)}} from every benchmark."""
    groups = {}
    for bench in sorted(root.glob("*/*/new/benchmark.json")):
        meta = json.loads(bench.read_text())
        est = json.loads((bench.parent / "estimates.json").read_text())
        elements = meta["throughput"]["Elements"]
        median = est["median"]
        ci = median["confidence_interval"]
        # Times are ns per iteration; the slower bound gives the lower rate.
        rate = lambda ns: elements / ns * 1e9
        groups.setdefault(meta["group_id"], {})[meta["function_id"]] = (
            rate(median["point_estimate"]), rate(ci["upper_bound"]), rate(ci["lower_bound"]))
    return groups


def target_for(scenario, function):
    if function.endswith("batch64"):
        return BATCH_TARGET
    if function == "kendall":
        return SINGLE_TARGET.get(scenario)
    return None


def table(group_id, rows):
    scenario = group_id.split("/")[0]
    base = rows.get(BASELINE, (None,))[0]
    out = [f"#### `{group_id}`", "",
           "| implementation | M msg/s (median) | 95% CI | ÷ ArrayQueue | target | |",
           "|---|---:|---:|---:|---:|---|"]
    for function in sorted(rows, key=lambda f: (ORDER.index(f) if f in ORDER else 99, f)):
        rate, low, high = rows[function]
        ratio = rate / base if base else None
        target = target_for(scenario, function)
        verdict = "" if target is None or ratio is None else (
            "met" if ratio >= target else "**missed**")
        out.append("| {} | {:.1f} | {:.1f}–{:.1f} | {} | {} | {} |".format(
            function, rate / 1e6, low / 1e6, high / 1e6,
            f"{ratio:.2f}×" if ratio is not None else "–",
            f"≥ {target:g}×" if target is not None else "", verdict))
    if scenario == "pair":
        out.append("")
        out.append("Pair cost (ns per push+pop): " + ", ".join(
            f"{f} {1e9 / rows[f][0]:.1f}" for f in sorted(
                rows, key=lambda f: ORDER.index(f) if f in ORDER else 99)))
    return "\n".join(out)


def main():
    if len(sys.argv) > 1:
        root = Path(sys.argv[1])
    else:
        root = Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion"
    groups = load(root)
    if not groups:
        sys.exit(f"no criterion results under {root}")
    scenarios = list(SINGLE_TARGET)
    key = lambda g: (scenarios.index(g.split("/")[0]) if g.split("/")[0] in scenarios else 99,
                     -int(g.split("/")[1]) if g.split("/")[1].isdigit() else 0)
    print("\n\n".join(table(g, groups[g]) for g in sorted(groups, key=key)))


if __name__ == "__main__":
    main()

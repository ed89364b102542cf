#!/usr/bin/env python3
"""Turn criterion's saved estimates for `benches/queue.rs` into the markdown tables of
`benches/README.md`: msg/s (median) per implementation, the ratio to ArrayQueue, and whether
the issue's target for that row is met.

Usage: python3 benches/table.py [CRITERION_DIR ...]
(default: $CARGO_TARGET_DIR/criterion, else target/criterion). With several directories (copies
of the criterion folder after separate runs) each run gets its own columns, and a target counts
as met or missed only when every run agrees ("unclear" otherwise).
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
ORDER = ["kendall", "kendall-spread", "kendall-batch64", "kendall-spread-batch64",
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


def verdict(ratios, target):
    """'met' / 'missed' when every run agrees, 'unclear' when runs disagree."""
    hits = {r >= target for r in ratios if r is not None}
    if not hits:
        return ""
    if hits == {True}:
        return "met"
    return "**missed**" if hits == {False} else "unclear"


def table(group_id, runs):
    """One markdown table for a group; `runs` holds one {function: rates} dict per run."""
    scenario = group_id.split("/")[0]
    label = (lambda i: f" (run {i + 1})") if len(runs) > 1 else (lambda i: "")
    with_ci = len(runs) == 1  # several runs: their spread says more than each interval
    head = "| implementation |"
    for i in range(len(runs)):
        head += f" M msg/s{label(i)} |" + (" 95% CI |" if with_ci else "")
        head += f" ÷ ArrayQueue{label(i)} |"
    cols = "---:|---:|---:|" if with_ci else "---:|---:|"
    out = [f"#### `{group_id}`", "", head + " target | |",
           "|---|" + cols * len(runs) + "---:|---|"]
    # Only the queue bench's members: the channel bench's groups share names like `spsc/1024`
    # and criterion keeps both benches' results side by side in one folder.
    functions = sorted({f for rows in runs for f in rows if f in ORDER}, key=ORDER.index)
    for function in functions:
        line, ratios = f"| {function} |", []
        for rows in runs:
            base = rows.get(BASELINE, (None,))[0]
            if function not in rows:
                line += " – |" * (3 if with_ci else 2)
                ratios.append(None)
                continue
            rate, low, high = rows[function]
            ratio = rate / base if base else None
            ratios.append(ratio)
            line += f" {rate / 1e6:.1f} |"
            if with_ci:
                line += f" {low / 1e6:.1f}–{high / 1e6:.1f} |"
            line += f" {ratio:.2f}× |" if ratio else " – |"
        target = target_for(scenario, function)
        line += " {} | {} |".format(f"≥ {target:g}×" if target is not None else "",
                                    verdict(ratios, target) if target is not None else "")
        out.append(line)
    if scenario == "pair":
        out.append("")
        out.append("ns per push+pop (median" + (", per run" if len(runs) > 1 else "") + "): "
                   + ", ".join(f + " " + " / ".join(
                       f"{1e9 / rows[f][0]:.1f}" for rows in runs if f in rows)
                       for f in functions))
    return "\n".join(out)


def main():
    roots = [Path(a) for a in sys.argv[1:]] or [
        Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion"]
    runs = [load(root) for root in roots]
    for root, groups in zip(roots, runs):
        if not groups:
            sys.exit(f"no criterion results under {root}")
    scenarios = list(SINGLE_TARGET)
    key = lambda g: (scenarios.index(g.split("/")[0]) if g.split("/")[0] in scenarios else 99,
                     -int(g.split("/")[1]) if g.split("/")[1].isdigit() else 0)
    group_ids = sorted({g for groups in runs for g in groups
                        if g.split("/")[0] in scenarios
                        and BASELINE in groups[g]}, key=key)
    print("\n\n".join(table(g, [groups.get(g, {}) for groups in runs]) for g in group_ids))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Turn the output of `cargo bench --bench channel` into the tables of `benches/README.md`.

Usage: cargo bench --bench channel > run1.txt; python3 benches/channel_table.py run1.txt [run2.txt]

For each group: the median rate (millions of messages, or round trips, per second) of every
member in the first run, then for each run kendall's ratio to the best peer and to
crossbeam-channel (or, in the async groups, to the best of tokio's mpsc and async-channel).
"""

import re
import sys

UNITS = {"elem/s": 1e-6, "Kelem/s": 1e-3, "Melem/s": 1.0, "Gelem/s": 1e3}
NAME = re.compile(r"^([a-z0-9_]+/\d+)/([a-z_]+)\b")
THRPT = re.compile(r"^\s+thrpt:\s+\[\S+ \S+ (\S+) (\S+) ")


def parse(path):
    """{group: {member: M/s}} in the order groups appear."""
    groups, current = {}, None
    for line in open(path, encoding="utf-8"):
        m = NAME.match(line)
        if m:
            current = m.groups()
            continue
        m = THRPT.match(line)
        if m and current and m.group(2) in UNITS:
            group, member = current
            groups.setdefault(group, {})[member] = float(m.group(1)) * UNITS[m.group(2)]
            current = None
    return groups


def main():
    runs = [parse(p) for p in sys.argv[1:]]
    if not runs or not runs[0]:
        sys.exit("usage: channel_table.py RUN.txt [RUN.txt ...] (criterion output)")
    first = runs[0]
    members = []
    for rows in first.values():
        members += [m for m in rows if m not in members]
    head = "| group | " + " | ".join(members) + " |"
    for i in range(len(runs)):
        tag = f" ({chr(65 + i)})" if len(runs) > 1 else ""
        head += f" ÷ best peer{tag} | ÷ crossbeam{tag} |"
    print(head)
    print("|---|" + "---:|" * (len(members) + 2 * len(runs)))
    for group, rows in first.items():
        line = f"| {group} | " + " | ".join(
            f"{rows[m]:.2f}" if m in rows else "" for m in members) + " |"
        for run in runs:
            r = run.get(group, {})
            k = r.get("kendall")
            if any(m not in r for m in first[group]):
                line += " – | – |"  # a run cut off inside this group: no fair ratio
                continue
            peers = {m: v for m, v in r.items() if m != "kendall"}
            best = max(peers.values()) if peers else None
            cb = r.get("crossbeam")
            line += f" {k / best:.2f}× |" if k and best else " |"
            line += f" {k / cb:.2f}× |" if k and cb else " – |"
        print(line)


if __name__ == "__main__":
    main()

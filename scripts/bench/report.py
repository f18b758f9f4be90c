"""The report of scripts/bench-vs-ovs.sh: per scenario and switch the median (with min and max) of the windows'
rows (JSON Lines, see scripts/bench/lib.sh), FastPath's ratio to Open vSwitch, as a Markdown table (printed and
written to OUT.md), JSON (OUT.json) and a bar chart of the ratios (OUT.png, when matplotlib is there).

    /usr/bin/python3 scripts/bench/report.py --rows ROWS.jsonl [--machine M.json] [--descriptions D.json] --out PREFIX
"""

import argparse
import json
import statistics
import sys

# The bar a scenario must clear: FastPath at least this many times Open vSwitch.
BAR = 1.2

# Per-window metrics, summarised as median, min and max; (row key, Markdown heading, format).
METRICS = [
    ("mpps", "Mpps", "{:.2f}"),
    ("gbps", "Gbit/s", "{:.2f}"),
    ("flow_setups_per_s", "flow setups/s", "{:,.0f}"),
    ("cycles_per_packet", "cycles/pkt", "{:.0f}"),
    ("emc_hit_rate", "EMC hits", "{:.1%}"),
    ("simple_match_hit_rate", "simple-match hits", "{:.1%}"),
    ("megaflow_hit_rate", "megaflow hits", "{:.1%}"),
    ("subtable_lookups_per_hit", "subtables/hit", "{:.2f}"),
    ("megaflows", "megaflows", "{:.0f}"),
    ("upcalls", "upcalls", "{:.0f}"),
    ("gc_collections", "GC collections", "{:.0f}"),
    ("gc_allocated_bytes", "GC alloc bytes", "{:,.0f}"),
]

SCENARIO_ORDER = ["S1", "S2", "S3", "S4", "S5", "S6", "AFXDP"]

# Where a generator offers the load (rows with "offered_mpps", the AF_XDP scenario): a switch that forwards at least
# this share of it kept up, so the generator, not the switch, set its rate.
KEPT_UP = 0.95


def load_rows(lines):
    """Parses JSON Lines, skipping blank lines; a malformed line is an error naming its number."""
    rows = []
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"row {n} is not JSON: {e}") from e
        for key in ("scenario", "switch", "window"):
            if key not in row:
                raise ValueError(f"row {n} has no '{key}'")
        if row["switch"] not in ("ovs", "fastpath"):
            raise ValueError(f"row {n}: switch must be 'ovs' or 'fastpath', not {row['switch']!r}")
        rows.append(row)
    return rows


def summary(values):
    """Median, min and max of the non-null values; None when there are none."""
    v = [x for x in values if x is not None]
    if not v:
        return None
    return {"median": statistics.median(v), "min": min(v), "max": max(v)}


def summarise(rows):
    """{scenario: {switch: {"windows": n, metric: summary}}}, scenarios in the suite's order."""
    out = {}
    names = sorted({r["scenario"] for r in rows},
                   key=lambda s: (SCENARIO_ORDER.index(s) if s in SCENARIO_ORDER else len(SCENARIO_ORDER), s))
    for name in names:
        out[name] = {}
        for sw in ("fastpath", "ovs"):
            mine = [r for r in rows if r["scenario"] == name and r["switch"] == sw]
            if not mine:
                continue
            s = {"windows": len(mine)}
            for key, _, _ in METRICS:
                s[key] = summary([r.get(key) for r in mine])
            gc = [r.get("gc_collections") for r in mine if r.get("gc_collections") is not None]
            s["gc_collections_total"] = sum(gc) if gc else None
            s["forwarded_share"] = summary([r["mpps"] / r["offered_mpps"] for r in mine
                                            if r.get("offered_mpps") and r.get("mpps") is not None])
            out[name][sw] = s
    return out


def headline(switch_summary):
    """The metric a scenario is judged by: flow setups per second where the rows have it (S4), else Mpps."""
    if switch_summary.get("flow_setups_per_s") is not None:
        return "flow_setups_per_s"
    return "mpps"


def med(s, key):
    return s[key]["median"] if s and s.get(key) else None


def scenarios_json(summ, descriptions):
    """The report's "scenarios" list: one object per scenario, FastPath against Open vSwitch."""
    result = []
    for name, by in summ.items():
        fp, ovs = by.get("fastpath"), by.get("ovs")
        metric = headline(fp or ovs)
        f, o = med(fp, metric), med(ovs, metric)
        ratio = f / o if f is not None and o else None
        entry = {
            "name": name,
            "description": descriptions.get(name, ""),
            "metric": metric,
            "fastpath_mpps": med(fp, "mpps"),
            "ovs_mpps": med(ovs, "mpps"),
            "ratio": ratio,
            "meets_bar": ratio is not None and ratio >= BAR,
            "fastpath_cycles_per_packet": med(fp, "cycles_per_packet"),
            "ovs_cycles_per_packet": med(ovs, "cycles_per_packet"),
            "fastpath_megaflows": med(fp, "megaflows"),
            "ovs_megaflows": med(ovs, "megaflows"),
            "gc_collections": fp["gc_collections_total"] if fp else None,
            "gc_allocated_bytes": med(fp, "gc_allocated_bytes"),
            # Both switches forwarded (the median of) nearly all the generator offered: the ratio measures the generator.
            "generator_bound": all(s is not None and med(s, "forwarded_share") is not None
                                   and med(s, "forwarded_share") >= KEPT_UP for s in (fp, ovs)),
        }
        for sw, s in (("fastpath", fp), ("ovs", ovs)):
            if s is None:
                continue
            entry[f"{sw}_windows"] = s["windows"]
            for key, _, _ in METRICS:
                if s[key] is not None:
                    entry[f"{sw}_{key}_median"] = s[key]["median"]
                    entry[f"{sw}_{key}_min"] = s[key]["min"]
                    entry[f"{sw}_{key}_max"] = s[key]["max"]
        result.append(entry)
    return result


def cell(s, fmt):
    """'median (min–max)', or just the median when all windows agree; '-' for no value."""
    if s is None:
        return "-"
    m = fmt.format(s["median"])
    if s["min"] == s["max"]:
        return m
    return f"{m} ({fmt.format(s['min'])}–{fmt.format(s['max'])})"


def table(headers, rows, right=()):
    """A plain Markdown table (as Spectre.Console's Markdown border prints it): padded columns, aligned pipes."""
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h)) for i, h in enumerate(headers)]

    def line(cells):
        out = []
        for i, c in enumerate(cells):
            c = str(c)
            out.append(c.rjust(widths[i]) if i in right else c.ljust(widths[i]))
        return "| " + " | ".join(out) + " |"

    sep = "| " + " | ".join(("-" * (w - 1) + ":") if i in right else "-" * w for i, w in enumerate(widths)) + " |"
    return "\n".join([line(headers), sep] + [line(r) for r in rows])


def markdown(machine, summ, scen):
    out = ["# FastPath vs Open vSwitch (OVS-DPDK), one PMD core", ""]
    if machine:
        out.append("Machine: " + ", ".join(f"{k} {v}" for k, v in machine.items() if v not in (None, "")))
        out.append("")
    heads = ["Scenario", "FastPath", "Open vSwitch", "Ratio", f">= {BAR}x"]
    rows = []
    for e in scen:
        unit = " setups/s" if e["metric"] == "flow_setups_per_s" else " Mpps"
        fmt = "{:,.0f}" if e["metric"] == "flow_setups_per_s" else "{:.2f}"
        by = summ[e["name"]]
        fpv = cell(by["fastpath"][e["metric"]], fmt) + unit if "fastpath" in by and by["fastpath"][e["metric"]] else "-"
        ovv = cell(by["ovs"][e["metric"]], fmt) + unit if "ovs" in by and by["ovs"][e["metric"]] else "-"
        ratio = f"{e['ratio']:.2f}x" if e["ratio"] is not None else "-"
        bar = "-" if e["ratio"] is None else ("yes" if e["meets_bar"] else "NO")
        name = e["name"] + (f" ({e['description']})" if e["description"] else "")
        rows.append([name, fpv, ovv, ratio, bar])
    out += [table(heads, rows, right={1, 2, 3}), ""]
    out.append("Per switch: median of the windows (min–max).")
    out.append("")
    heads = ["Scenario", "Switch", "Windows"] + [h for _, h, _ in METRICS]
    rows = []
    for name, by in summ.items():
        for sw in ("fastpath", "ovs"):
            if sw not in by:
                continue
            s = by[sw]
            rows.append([name, "FastPath" if sw == "fastpath" else "OVS", s["windows"]] + [cell(s[k], f) for k, _, f in METRICS])
    out += [table(heads, rows, right=set(range(2, 3 + len(METRICS)))), ""]
    gc = [e for e in scen if e["gc_collections"]]
    out.append("FastPath GC collections in the windows: " + (
        "none." if not gc else ", ".join(f"{e['name']} {e['gc_collections']}" for e in gc) + "."))
    below = [e["name"] for e in scen if e["ratio"] is not None and not e["meets_bar"]]
    if below:
        out.append(f"Below the {BAR}x bar: " + ", ".join(below) + ".")
    for e in scen:
        if e["generator_bound"]:
            by = summ[e["name"]]
            out.append(f"{e['name']}: both switches forwarded nearly all the generator offered (FastPath "
                       f"{med(by['fastpath'], 'forwarded_share'):.0%}, Open vSwitch {med(by['ovs'], 'forwarded_share'):.0%}, "
                       f"medians): the generator set the rate, so its ratio says nothing about the switches.")
    return "\n".join(out) + "\n"


def chart(scen, path):
    """A bar chart of FastPath/OVS per scenario with lines at 1.0 and the bar; False when matplotlib is missing."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    named = [e for e in scen if e["ratio"] is not None]
    fig, ax = plt.subplots(figsize=(max(4, 1.2 * len(named) + 2), 4))
    colours = ["#2b7bba" if e["meets_bar"] else "#d95f02" for e in named]
    bars = ax.bar([e["name"] for e in named], [e["ratio"] for e in named], color=colours)
    for b, e in zip(bars, named):
        ax.annotate(f"{e['ratio']:.2f}x", (b.get_x() + b.get_width() / 2, b.get_height()),
                    ha="center", va="bottom", fontsize=9)
    ax.axhline(1.0, color="#555555", linewidth=1, label="Open vSwitch (1.0)")
    ax.axhline(BAR, color="#d62728", linestyle="--", linewidth=1, label=f"bar ({BAR}x)")
    ax.set_ylabel("FastPath / Open vSwitch")
    ax.set_title("FastPath vs OVS-DPDK, one PMD core (median of windows)")
    ax.set_ylim(0, max([BAR * 1.25] + [e["ratio"] * 1.15 for e in named]))
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def read_json(path):
    with open(path) as f:
        return json.load(f)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", required=True)
    ap.add_argument("--machine")
    ap.add_argument("--descriptions")
    ap.add_argument("--out", required=True, help="path prefix of the .md, .json and .png files")
    a = ap.parse_args(argv)
    with open(a.rows) as f:
        rows = load_rows(f)
    if not rows:
        print("report: no rows", file=sys.stderr)
        return 1
    machine = read_json(a.machine) if a.machine else {}
    descriptions = read_json(a.descriptions) if a.descriptions else {}
    summ = summarise(rows)
    scen = scenarios_json(summ, descriptions)
    md = markdown(machine, summ, scen)
    sys.stdout.write(md)
    with open(a.out + ".md", "w") as f:
        f.write(md)
    with open(a.out + ".json", "w") as f:
        json.dump({"machine": machine, "scenarios": scen}, f, indent=2)
        f.write("\n")
    if not chart(scen, a.out + ".png"):
        print("report: matplotlib is missing (apt-get install python3-matplotlib); no chart", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

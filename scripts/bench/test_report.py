"""Tests of scripts/bench/report.py on canned rows: medians, ratios, the bar, null GC values from Open vSwitch, the
Markdown and JSON it writes, and the chart. Run: /usr/bin/python3 -m unittest discover -s scripts/bench -p 'test_*.py'
"""

import contextlib
import json
import os
import tempfile
import unittest

import report


def row(scenario, switch, window, mpps, **kw):
    r = {"scenario": scenario, "switch": switch, "window": window, "secs": 3, "mpps": mpps, "gbps": mpps * 64 * 8 / 1000,
         "flow_setups_per_s": None, "cycles_per_packet": 2100 / mpps, "emc_hit_rate": 1.0, "megaflow_hit_rate": 0.0,
         "subtable_lookups_per_hit": 0.0, "megaflows": 1, "upcalls": 0,
         "gc_collections": 0 if switch == "fastpath" else None,
         "gc_allocated_bytes": 1000 if switch == "fastpath" else None}
    r.update(kw)
    return r


CANNED = [
    row("S1", "ovs", 1, 10.0), row("S1", "fastpath", 1, 14.0),
    row("S1", "fastpath", 2, 13.0), row("S1", "ovs", 2, 12.0),
    row("S1", "ovs", 3, 11.0), row("S1", "fastpath", 3, 15.0, gc_collections=2, gc_allocated_bytes=5000),
    row("S2", "ovs", 1, 5.0, megaflows=5133), row("S2", "fastpath", 1, 5.5, megaflows=33),
    row("S4", "ovs", 1, 0.2, flow_setups_per_s=100000.0), row("S4", "fastpath", 1, 0.3, flow_setups_per_s=150000.0),
]


class ReportTests(unittest.TestCase):
    def test_a_scenario_both_switches_keep_up_with_is_generator_bound(self):
        rows = [row("AFXDP", "ovs", 1, 0.66, offered_mpps=0.67), row("AFXDP", "fastpath", 1, 0.66, offered_mpps=0.68),
                row("S1", "ovs", 1, 10.0), row("S1", "fastpath", 1, 14.0)]
        summ = report.summarise(rows)
        scen = {e["name"]: e for e in report.scenarios_json(summ, {})}
        self.assertTrue(scen["AFXDP"]["generator_bound"])
        self.assertFalse(scen["S1"]["generator_bound"])  # no generator in the rows
        md = report.markdown({}, summ, list(scen.values()))
        self.assertIn("AFXDP: both switches forwarded nearly all the generator offered (FastPath 97%, Open vSwitch 99%", md)

        # One switch dropping a tenth of the offered load is the bottleneck: the ratio stands.
        rows[0] = row("AFXDP", "ovs", 1, 0.60, offered_mpps=0.67)
        scen = {e["name"]: e for e in report.scenarios_json(report.summarise(rows), {})}
        self.assertFalse(scen["AFXDP"]["generator_bound"])

    def test_median_min_max_per_switch(self):
        s = report.summarise(CANNED)
        self.assertEqual(list(s), ["S1", "S2", "S4"])
        self.assertEqual(s["S1"]["fastpath"]["mpps"], {"median": 14.0, "min": 13.0, "max": 15.0})
        self.assertEqual(s["S1"]["ovs"]["mpps"], {"median": 11.0, "min": 10.0, "max": 12.0})
        self.assertEqual(s["S1"]["fastpath"]["windows"], 3)
        self.assertEqual(s["S1"]["fastpath"]["gc_collections_total"], 2)
        self.assertIsNone(s["S1"]["ovs"]["gc_collections"])  # OVS has no GC: null, not zero

    def test_ratio_bar_and_schema(self):
        scen = report.scenarios_json(report.summarise(CANNED), {"S1": "1 flow"})
        by = {e["name"]: e for e in scen}
        for key in ("name", "fastpath_mpps", "ovs_mpps", "ratio", "fastpath_cycles_per_packet", "ovs_cycles_per_packet",
                    "fastpath_megaflows", "ovs_megaflows", "gc_collections"):
            self.assertIn(key, by["S1"])
        self.assertAlmostEqual(by["S1"]["ratio"], 14.0 / 11.0)
        self.assertTrue(by["S1"]["meets_bar"])
        self.assertEqual(by["S1"]["description"], "1 flow")
        self.assertEqual(by["S1"]["fastpath_mpps_min"], 13.0)
        self.assertAlmostEqual(by["S2"]["ratio"], 1.1)
        self.assertFalse(by["S2"]["meets_bar"])
        self.assertEqual((by["S2"]["fastpath_megaflows"], by["S2"]["ovs_megaflows"]), (33, 5133))
        # S4 is judged by flow setups per second, not by Mpps.
        self.assertEqual(by["S4"]["metric"], "flow_setups_per_s")
        self.assertAlmostEqual(by["S4"]["ratio"], 1.5)

    def test_one_sided_scenario_has_no_ratio(self):
        scen = report.scenarios_json(report.summarise([row("S5", "fastpath", 1, 9.0)]), {})
        self.assertIsNone(scen[0]["ratio"])
        self.assertFalse(scen[0]["meets_bar"])
        self.assertIsNone(scen[0]["ovs_mpps"])

    def test_markdown_tables(self):
        summ = report.summarise(CANNED)
        md = report.markdown({"cpu": "Test CPU", "cores": 2}, summ, report.scenarios_json(summ, {}))
        self.assertIn("Machine: cpu Test CPU, cores 2", md)
        lines = md.splitlines()
        s1 = next(line for line in lines if line.startswith("| S1 ") and "x |" in line)
        self.assertRegex(s1, r"14\.00 \(13\.00–15\.00\) Mpps \| +11\.00 \(10\.00–12\.00\) Mpps \| +1\.27x \| yes")
        s2 = next(line for line in lines if line.startswith("| S2 ") and "x |" in line)
        self.assertIn("| NO ", s2)
        self.assertIn("Below the 1.2x bar: S2.", md)
        self.assertIn("FastPath GC collections in the windows: S1 2.", md)
        # Every line of a table has the same width (padded columns).
        table = [line for line in lines if line.startswith("| S") or line.startswith("| Scenario")]
        widths = {len(line) for line in table[:1] + [line for line in table if "x |" in line]}
        self.assertEqual(len(widths), 1, table)

    def test_bad_rows_are_named(self):
        with self.assertRaisesRegex(ValueError, "row 2 is not JSON"):
            report.load_rows(['{"scenario":"S1","switch":"ovs","window":1}', "{oops"])
        with self.assertRaisesRegex(ValueError, "row 1: switch"):
            report.load_rows(['{"scenario":"S1","switch":"vpp","window":1}'])
        self.assertEqual(len(report.load_rows(["", json.dumps(CANNED[0]), "  "])), 1)

    def test_main_writes_md_json_and_png(self):
        with tempfile.TemporaryDirectory() as d:
            rows = os.path.join(d, "rows.jsonl")
            with open(rows, "w") as f:
                f.write("\n".join(json.dumps(r) for r in CANNED) + "\n")
            machine = os.path.join(d, "m.json")
            with open(machine, "w") as f:
                json.dump({"cpu": "Test CPU", "cores": 2, "kernel": "6.1", "dotnet_runtime": "10.0.0", "ovs": "3.1.0",
                           "date": "20261126T000000Z"}, f)
            out = os.path.join(d, "result")
            with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
                self.assertEqual(report.main(["--rows", rows, "--machine", machine, "--out", out]), 0)
            doc = report.read_json(out + ".json")
            self.assertEqual(doc["machine"]["cpu"], "Test CPU")
            self.assertEqual([e["name"] for e in doc["scenarios"]], ["S1", "S2", "S4"])
            with open(out + ".md") as f:
                self.assertTrue(f.read().startswith("# FastPath vs Open vSwitch"))
            try:
                import matplotlib  # noqa: F401
            except ImportError:
                self.skipTest("python3-matplotlib is not installed: no chart to check")
            with open(out + ".png", "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")


if __name__ == "__main__":
    unittest.main()

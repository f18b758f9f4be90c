"""Runs scripts/bench-vs-ovs.sh --quick for real (OVS-DPDK and fastpathd, one window of 1 s each on S1) and checks
the rows and the report it writes. Needs root, Debian's OVS-DPDK and fastpathd/fpctl built in Release (as
scripts/test.sh leaves them); skipped otherwise, or when FPB_SKIP_QUICK_RUN=1. About 30-60 s.
"""

import json
import os
import subprocess
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FASTPATHD = os.path.join(ROOT, "src/FastPath.Daemon/bin/Release/net10.0/fastpathd.dll")
FPCTL = os.path.join(ROOT, "src/FastPath.Cli/bin/Release/net10.0/fpctl.dll")
OVS_DPDK = "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk"


class QuickRunTests(unittest.TestCase):
    def test_quick_run_measures_both_switches(self):
        if os.environ.get("FPB_SKIP_QUICK_RUN") == "1":
            self.skipTest("FPB_SKIP_QUICK_RUN=1")
        if os.geteuid() != 0:
            self.skipTest("needs root (huge pages, DPDK, pinned PMDs)")
        for need in (OVS_DPDK, FASTPATHD, FPCTL):
            if not os.path.exists(need):
                self.skipTest(f"{need} is missing (scripts/setup.sh, dotnet build -c Release)")
        with tempfile.TemporaryDirectory() as out:
            p = subprocess.run([os.path.join(ROOT, "scripts/bench-vs-ovs.sh"), "--quick", "--no-setup", "--results", out],
                               capture_output=True, text=True, timeout=180)
            self.assertEqual(p.returncode, 0, p.stderr[-3000:])
            rows_files = [f for f in os.listdir(out) if f.endswith(".rows.jsonl")]
            self.assertEqual(len(rows_files), 1, os.listdir(out))
            prefix = os.path.join(out, rows_files[0][:-len(".rows.jsonl")])
            with open(prefix + ".rows.jsonl") as f:
                rows = [json.loads(line) for line in f if line.strip()]
            self.assertEqual(sorted(r["switch"] for r in rows), ["fastpath", "ovs"])
            for r in rows:
                self.assertEqual((r["scenario"], r["window"], r["secs"]), ("S1", 1, 1))
                self.assertGreater(r["mpps"], 0.01, r)
                self.assertGreater(r["packets"], 10000, r)
                self.assertEqual(r["megaflows"], 1, r)  # one flow, one megaflow, from each slow path
            fp = next(r for r in rows if r["switch"] == "fastpath")
            ovs = next(r for r in rows if r["switch"] == "ovs")
            self.assertIsNotNone(fp["gc_collections"])
            self.assertIsNone(ovs["gc_collections"])
            with open(prefix + ".json") as f:
                doc = json.load(f)
            self.assertEqual([s["name"] for s in doc["scenarios"]], ["S1"])
            self.assertGreater(doc["scenarios"][0]["ratio"], 0)
            self.assertIn("cpu", doc["machine"])
            self.assertIn("| S1 ", p.stdout)
            self.assertTrue(os.path.exists(prefix + ".md"))


if __name__ == "__main__":
    unittest.main()

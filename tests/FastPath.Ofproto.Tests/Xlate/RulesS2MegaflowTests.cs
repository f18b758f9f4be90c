using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Upcalls;
using FastPath.OpenFlow.Rules;
using FastPath.Packets;
using Xunit.Abstractions;

namespace FastPath.Ofproto.Tests.Xlate;

/// <summary>
/// The benchmark's 10k-flow workload through the reference rule set (tests/data/rules-s2.txt, 51 rules of mixed
/// masks with seed-style rewrites): Open vSwitch 3.1 installs 5133 megaflows for it; FastPath must need at
/// most 100, and every packet must get exactly the actions a translation of its own would give.
/// </summary>
public class RulesS2MegaflowTests(ITestOutputHelper output)
{
    [Fact]
    public void TenThousandFlowsNeedAtMostAHundredMegaflowsAndEveryPacketIsTranslatedRight()
    {
        var h = new XlateHarness();
        string path = TestData.Path("rules-s2.txt");
        foreach (FlowRule r in FlowText.ParseFile(new StringReader(File.ReadAllText(path))))
        {
            h.Pipeline.Apply(new FlowMod(FlowModCommand.Add, r), 0);
        }

        Assert.Equal(51, h.Pipeline.Count);
        var megaflows = new List<FlowTranslation>();
        int hits = 0;
        for (int i = 0; i < 10_000; i++)
        {
            // The benchmark's generator: source 10.x.y.z counting up, one destination, source port 1000+i, port 5000.
            FlowKey key = XlateHarness.Udp($"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}", "10.200.0.1", (ushort)(1000 + (i % 50000)), 5000);
            FlowTranslation own = h.Translate(key);
            int found = megaflows.FindIndex(m => m.Megaflow.Matches(key));
            if (found < 0)
            {
                megaflows.Add(own);
                continue;
            }

            hits++;
            Assert.True(megaflows[found].Actions.AsSpan().SequenceEqual(own.Actions), $"packet {i} hit a megaflow with other actions");
        }

        output.WriteLine($"{megaflows.Count} megaflows for 10000 flows ({hits} packets hit an existing one); Open vSwitch 3.1: 5133");
        Assert.True(megaflows.Count <= 100, $"{megaflows.Count} megaflows");
    }

}

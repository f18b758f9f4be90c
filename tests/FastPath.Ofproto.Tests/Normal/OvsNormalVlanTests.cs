using FastPath.Ofproto.Normal;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Normal;

/// <summary>
/// Every VLAN mode, input and output, against what ovs-vswitchd 3.1 itself does: <see cref="OvsNormalVlanTable"/>
/// was recorded from ofproto/trace on a bridge with these ports (generate-ovs-normal-vlan.sh).
/// </summary>
public class OvsNormalVlanTests
{
    /// <summary>The ports generate-ovs-normal-vlan.sh configures; 100 is the bridge's internal port (a trunk of every VLAN).</summary>
    private static readonly NormalPort[] Ports =
    [
        new(1, PortVlanConfig.Create()),
        new(2, PortVlanConfig.Create(tag: 10)),
        new(3, PortVlanConfig.Create(tag: 20)),
        new(4, PortVlanConfig.Create(trunks: [10, 20])),
        new(5, PortVlanConfig.Create(PortVlanMode.NativeTagged, tag: 10)),
        new(6, PortVlanConfig.Create(PortVlanMode.NativeUntagged, tag: 10)),
        new(7, PortVlanConfig.Create(tag: 0)),
        new(8, PortVlanConfig.Create(PortVlanMode.NativeUntagged, tag: 20, trunks: [10])),
        new(9, PortVlanConfig.Create(priorityTags: PriorityTagsMode.IfNonzero)),
        new(10, PortVlanConfig.Create(tag: 10, priorityTags: PriorityTagsMode.IfNonzero)),
        new(11, PortVlanConfig.Create(priorityTags: PriorityTagsMode.Always)),
        new(12, PortVlanConfig.Create(PortVlanMode.NativeUntagged, tag: 0, priorityTags: PriorityTagsMode.IfNonzero)),
        new(100, PortVlanConfig.Default),
    ];

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string line in OvsNormalVlanTable.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            data.Add(line);
        }

        return data;
    }

    private static readonly ushort[] LearningHeaders = [0x0000, 0x100a, 0x1014, 0x101e];

    public static TheoryData<string> UnicastCases()
    {
        var data = new TheoryData<string>();
        foreach (string line in Lines(OvsNormalVlanTable.Unicast))
        {
            data.Add(line);
        }

        return data;
    }

    [Fact]
    public void TheTablesCoverEveryPortAndHeader()
    {
        Assert.Equal(12 * 7, Cases().Count);
        Assert.Equal(12 * 4 * 12, UnicastCases().Count);
    }

    [Fact]
    public void EveryPortLearnsWhatOpenVswitchLearns()
    {
        NormalSwitch sw = Learned();
        var expected = Lines(OvsNormalVlanTable.Fdb).Select(l => l.Split(' ')).Select(f => (uint.Parse(f[0], Inv), ushort.Parse(f[1], Inv), EthernetAddress.Parse(f[2]))).Order().ToArray();
        var actual = sw.Table.Snapshot(0).Select(e => (e.Port, e.Vlan, e.Mac)).Order().ToArray();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(UnicastCases))]
    public void UnicastGoesWhereOpenVswitchSendsIt(string line)
    {
        string[] f = line.Split(' ');
        uint inPort = uint.Parse(f[0], Inv);
        ushort inTci = Convert.ToUInt16(f[1], 16);
        ulong dst = 0x0200_0000_0000UL | uint.Parse(f[2], Inv);
        Dictionary<uint, ushort> expected = Outputs(f[3..]);

        NormalSwitch sw = Learned();
        var d = new NormalDecision();
        sw.Decide(inPort, NormalFrames.Key(inPort, 0x0200_0000_0100UL, dst, inTci), Ports, now: 1, d, learn: false);

        var actual = d.Outputs.ToArray().ToDictionary(o => o.Port, o => NormalFrames.OutTci(inTci, o));
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
    }

    private static System.Globalization.CultureInfo Inv => System.Globalization.CultureInfo.InvariantCulture;

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Dictionary<uint, ushort> Outputs(string[] f) => f[0] == "drop"
        ? []
        : f.Select(o => o.Split(':')).ToDictionary(p => uint.Parse(p[0], Inv), p => Convert.ToUInt16(p[1], 16));

    /// <summary>The switch after the generator's learning phase: each port sends from its own address with each header.</summary>
    private static NormalSwitch Learned()
    {
        var sw = new NormalSwitch();
        var d = new NormalDecision();
        for (uint q = 1; q <= 12; q++)
        {
            foreach (ushort tci in LearningHeaders)
            {
                sw.Decide(q, NormalFrames.Key(q, 0x0200_0000_0000UL | q, EthernetAddress.Broadcast, tci), Ports, now: 0, d);
            }
        }

        return sw;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BroadcastFloodsAsOpenVswitchDoes(string line)
    {
        string[] f = line.Split(' ');
        uint inPort = uint.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture);
        ushort inTci = Convert.ToUInt16(f[1], 16);
        var expected = f[2] == "drop"
            ? []
            : f[2..].Select(o => o.Split(':')).ToDictionary(p => uint.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), p => Convert.ToUInt16(p[1], 16));

        var sw = new NormalSwitch();
        var d = new NormalDecision();
        FlowKey key = NormalFrames.Key(inPort, 0x0200_0000_0001UL, EthernetAddress.Broadcast, inTci);
        sw.Decide(inPort, key, Ports, now: 0, d);

        var actual = d.Outputs.ToArray().ToDictionary(o => o.Port, o => NormalFrames.OutTci(inTci, o));
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
        Assert.Equal(expected.Count == 0, d.IsDrop);
        Assert.Equal(expected.Count == 0 ? NormalVerdict.DropVlanNotAllowed : NormalVerdict.Flood, d.Verdict);
    }
}

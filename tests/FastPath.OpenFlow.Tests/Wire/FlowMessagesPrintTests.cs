using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;
using Xunit.Abstractions;

namespace FastPath.OpenFlow.Tests.Wire;

/// <summary>
/// Flow-removed, packet-in, flow and aggregate stats replies and the NX session messages in every version:
/// ovs-ofctl ofp-print must read our bytes as the message we meant, and our decoder must give the record back.
/// </summary>
public class FlowMessagesPrintTests(ITestOutputHelper output)
{
    public static TheoryData<string> Sessions => new() { "OF10", "NXM", "OF13", "OF14", "OF15" };

    [Theory]
    [MemberData(nameof(Sessions))]
    public void FlowRemovedPrintsAsOvs(string name)
    {
        OfSession s = Session(name);
        FlowRule rule = FlowText.Parse("table=3,priority=7,cookie=0xabc,idle_timeout=30,hard_timeout=0,tcp,nw_dst=10.1.0.0/16,tp_dst=22,actions=drop");
        if (s.Version == OpenFlowVersion.OF10)
        {
            rule = rule with { TableId = s.FlowFormat == NxFlowFormat.Nxm ? rule.TableId : (byte)0, HardTimeout = 0 };
        }

        var m = new FlowRemovedMessage(rule, OfFlowRemovedReason.IdleTimeout, new FlowStats(12, 3456, 78, 500));
        byte[] bytes = OfCodec.Encode(m, s, 5);
        string printed = OfpPrint.Print(bytes);
        output.WriteLine(printed);
        Assert.DoesNotContain("error", printed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("priority=7,tcp,nw_dst=10.1.0.0/16,tp_dst=22", printed, StringComparison.Ordinal);
        Assert.Contains("reason=idle", printed, StringComparison.Ordinal);
        Assert.Contains("cookie:0xabc", printed, StringComparison.Ordinal);
        Assert.Contains("pkts12 bytes3456", printed, StringComparison.Ordinal);
        Assert.Contains("duration78.0000005s idle30", printed, StringComparison.Ordinal);
        if (s.Version != OpenFlowVersion.OF10 || s.FlowFormat == NxFlowFormat.Nxm)
        {
            Assert.Contains("table_id=3", printed, StringComparison.Ordinal);
        }

        var back = (FlowRemovedMessage)OfCodec.Decode(bytes, s);
        Assert.Equal(m.Rule.Match, back.Rule.Match);
        Assert.Equal(m with { Stats = back.Stats }, back with { Rule = back.Rule with { Instructions = m.Rule.Instructions } });
        Assert.Equal((12ul, 3456ul, 78u), (back.Stats.Packets, back.Stats.Bytes, back.Stats.DurationSeconds));
    }

    [Theory]
    [MemberData(nameof(Sessions))]
    public void PacketInPrintsAsOvs(string name)
    {
        OfSession s = Session(name);
        if (s.FlowFormat == NxFlowFormat.Nxm)
        {
            s = s with { PacketInFormat = NxPacketInFormat.NxtPacketIn };
        }

        bool rich = s.Version != OpenFlowVersion.OF10 || s.PacketInFormat == NxPacketInFormat.NxtPacketIn;
        var match = MatchText.Parse(rich ? "in_port=3,reg2=0x7,metadata=0x5" : "in_port=3");
        byte[] frame = Convert.FromHexString("ffffffffffff0000000000010806000108000604000100000000000a0000010000000000000a000002");
        var m = new PacketInMessage(FlowMod.NoBuffer, (ushort)frame.Length, OfPacketInReason.Action, rich ? (byte)4 : (byte)0, rich ? 0x99ul : ulong.MaxValue, match, frame);
        byte[] bytes = OfCodec.Encode(m, s, 6);
        string printed = OfpPrint.Print(bytes);
        output.WriteLine(printed);
        Assert.DoesNotContain("error", printed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("in_port=3", printed, StringComparison.Ordinal);
        Assert.Contains("(via action)", printed, StringComparison.Ordinal);
        Assert.Contains("arp,", printed, StringComparison.Ordinal);
        if (rich)
        {
            Assert.Contains("cookie=0x99", printed, StringComparison.Ordinal);
            Assert.Contains("table_id=4", printed, StringComparison.Ordinal);
            Assert.Contains("reg2=0x7", printed, StringComparison.Ordinal);
        }

        Assert.Equal(m, OfCodec.Decode(bytes, s));
    }

    [Theory]
    [MemberData(nameof(Sessions))]
    public void FlowStatsReplyPrintsAsDumpFlows(string name)
    {
        OfSession s = Session(name);
        string[] flows = s.Version == OpenFlowVersion.OF10 && s.FlowFormat != NxFlowFormat.Nxm
            ? ["priority=5,ip,nw_src=1.2.3.0/24,actions=output:2", "cookie=0x7,tcp,tp_dst=80,actions=drop"]
            : ["table=1,priority=5,ip,nw_src=1.2.3.0/24,actions=output:2", "cookie=0x7,tcp,tp_dst=80,reg3=0x9,actions=drop"];
        var entries = flows.Select((f, i) => new FlowStatsEntry(FlowText.Parse(f), new FlowStats((ulong)(i + 1) * 10, (ulong)(i + 1) * 1000, 3, 0, s.FlowFormat == NxFlowFormat.Nxm ? 2 : null, s.FlowFormat == NxFlowFormat.Nxm ? 3 : null))).ToList();
        MultipartReplyFor(s, entries, out var reply);
        byte[] bytes = OfCodec.Encode(reply, s, 9);
        string printed = OfpPrint.Print(bytes);
        output.WriteLine(printed);
        Assert.DoesNotContain("error", printed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(s.FlowFormat == NxFlowFormat.Nxm ? "NXST_FLOW reply" : "OFPST_FLOW reply", printed, StringComparison.Ordinal);
        Assert.Contains("n_packets=10, n_bytes=1000", printed, StringComparison.Ordinal);
        Assert.Contains("priority=5,ip,nw_src=1.2.3.0/24 actions=output:2", printed, StringComparison.Ordinal);
        Assert.Contains("cookie=0x7", printed, StringComparison.Ordinal);
        Assert.Contains("tp_dst=80 actions=drop", printed, StringComparison.Ordinal);
        Assert.Equal(reply, OfCodec.Decode(bytes, s));
    }

    [Theory]
    [MemberData(nameof(Sessions))]
    public void AggregateReplyPrintsAsDumpAggregate(string name)
    {
        OfSession s = Session(name);
        OfMessage reply = s.FlowFormat == NxFlowFormat.Nxm ? new NxAggregateStatsReply(100, 20000, 3) : new AggregateStatsReply(100, 20000, 3);
        byte[] bytes = OfCodec.Encode(reply, s, 4);
        string printed = OfpPrint.Print(bytes);
        output.WriteLine(printed);
        Assert.Contains("packet_count=100 byte_count=20000 flow_count=3", printed, StringComparison.Ordinal);
        Assert.Equal(reply, OfCodec.Decode(bytes, s));
    }

    [Fact]
    public void NxSessionMessagesPrintAsOvs()
    {
        var s = new OfSession(OpenFlowVersion.OF10);
        (OfMessage Message, string Printed)[] cases =
        [
            (new NxSetFlowFormat(NxFlowFormat.Nxm), "NXT_SET_FLOW_FORMAT (xid=0x1): format=nxm"),
            (new NxSetFlowFormat(NxFlowFormat.OpenFlow10), "NXT_SET_FLOW_FORMAT (xid=0x1): format=openflow10"),
            (new NxSetPacketInFormat(NxPacketInFormat.NxtPacketIn), "NXT_SET_PACKET_IN_FORMAT (xid=0x1): format=nxt_packet_in"),
            (new NxFlowModTableId(true), "NXT_FLOW_MOD_TABLE_ID (xid=0x1): enable"),
        ];
        foreach (var (m, printed) in cases)
        {
            byte[] bytes = OfCodec.Encode(m, s, 1);
            Assert.Equal(printed, OfpPrint.Print(bytes));
            Assert.Equal(m, OfCodec.Decode(bytes, s));
        }

        // Open vSwitch refuses formats it does not know with OFPBRC_EPERM.
        byte[] bad = OfCodec.Encode(new NxSetFlowFormat(NxFlowFormat.Nxm), s, 1);
        bad[^1] = 7;
        Assert.Equal(OfError.BadRequestPermission, Assert.Throws<OfErrorException>(() => OfCodec.Decode(bad, s)).Error);
    }

    [Fact]
    public void FlowModTableIdMovesTheTableIntoTheCommand()
    {
        var mod = new FlowMod(FlowModCommand.Add, FlowText.Parse("table=4,ip,actions=drop"));
        var on = new OfSession(OpenFlowVersion.OF10, FlowModTableId: true);
        byte[] bytes = OfCodec.Encode(new FlowModMessage(mod), on, 2);
        Assert.Equal("OFPT_FLOW_MOD (xid=0x2): ADD table:4 ip actions=drop", OfpPrint.Print(bytes));
        Assert.Equal(mod, ((FlowModMessage)OfCodec.Decode(bytes, on)).Mod);

        // Without the extension an OpenFlow 1.0 delete covers every table and a modify adds when nothing matches.
        var off = new OfSession(OpenFlowVersion.OF10);
        var del = (FlowModMessage)OfCodec.Decode(OfCodec.Encode(new FlowModMessage(new FlowMod(FlowModCommand.Delete, FlowText.Parse("ip,actions=drop"), AllTables: true)), off, 3), off);
        Assert.True(del.Mod.AllTables);
        var modify = (FlowModMessage)OfCodec.Decode(OfCodec.Encode(new FlowModMessage(new FlowMod(FlowModCommand.Modify, FlowText.Parse("ip,actions=drop"))), off, 3), off);
        Assert.True(modify.Mod.ModifyAddsIfNone);

        // OFPFF_EMERG: Open vSwitch has no emergency cache and answers OFPFMFC_TABLE_FULL.
        bytes[^1] |= 4;
        Assert.Equal(OfError.FlowModFailedTableFull, Assert.Throws<OfErrorException>(() => OfCodec.Decode(bytes, on)).Error);
    }

    private static void MultipartReplyFor(OfSession s, List<FlowStatsEntry> entries, out OfMessage reply) =>
        reply = s.FlowFormat == NxFlowFormat.Nxm ? new NxFlowStatsReply(entries) : new FlowStatsReply(entries);

    private static OfSession Session(string name) => name switch
    {
        "OF10" => new OfSession(OpenFlowVersion.OF10),
        "NXM" => new OfSession(OpenFlowVersion.OF10, NxFlowFormat.Nxm),
        "OF13" => new OfSession(OpenFlowVersion.OF13),
        "OF14" => new OfSession(OpenFlowVersion.OF14),
        _ => new OfSession(OpenFlowVersion.OF15),
    };
}

using System.Diagnostics;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Rules;
using Xunit.Abstractions;

namespace FastPath.OpenFlow.Tests.Ovs;

/// <summary>
/// dump-flows lines compared with Open vSwitch: each rule and its counters are encoded as an OpenFlow 1.3
/// flow-stats reply, printed by <c>ovs-ofctl ofp-print</c> (the function dump-flows uses), and compared with
/// <see cref="FlowText.FormatDumpFlow"/>.
/// </summary>
public class OvsDumpFlowsTests(ITestOutputHelper output)
{
    private static readonly (string Flow, FlowStats Stats, OfField[] Fields)[] Cases =
    [
        ("actions=drop", new FlowStats(0, 0, 1, 234_000_000), []),
        ("table=3,priority=5,cookie=0x1234,idle_timeout=10,hard_timeout=20,send_flow_rem,reset_counts,ip,in_port=1,actions=output:2",
            new FlowStats(7, 900, 12, 5_000_000), [OfFields.InPort, OfFields.EthType]),
        ("check_overlap,no_packet_counts,no_byte_counts,tcp,tp_dst=80,actions=controller:128,goto_table:4",
            new FlowStats(0, 0, 1, 234_567_890), [OfFields.EthType, OfFields.NwProto, OfFields.TcpDst]),
        ("priority=0,actions=normal", new FlowStats(123456789012, 98765432109876, 86400, 0), []),
        ("priority=100,ip,nw_src=10.0.0.0/8,nw_dst=192.168.1.1,actions=set_field:00:11:22:33:44:55->eth_dst,dec_ttl,group:7",
            new FlowStats(1, 64, 0, 1), [OfFields.EthType, OfFields.IpSrc, OfFields.IpDst]),
        ("reg0=5,metadata=0x10/0xf0,dl_vlan=9,actions=pop_vlan,set_queue:3,output:LOCAL,clear_actions,write_actions(output:4),write_metadata:0x1/0x1,goto_table:2",
            new FlowStats(5, 500, 3, 999_999_999), [OfFields.Reg(0), OfFields.Metadata, OfFields.VlanVid]),
        ("ipv6,ipv6_src=2001:db8::/32,actions=meter:3,push_vlan:0x88a8,in_port",
            new FlowStats(2, 3, 4, 500_000_000), [OfFields.EthType, OfFields.Ipv6Src]),
    ];

    [Fact]
    public void DumpFlowsLinesMatchOvs()
    {
        var entries = Cases.Select(c => (FlowText.Parse(c.Flow), c.Stats, c.Fields)).ToArray();
        string hex = FlowStatsReplyEncoder.Encode(entries);
        string[] ovs = OfpPrint(hex);
        Assert.Equal(Cases.Length, ovs.Length);
        var failures = new List<string>();
        for (int i = 0; i < Cases.Length; i++)
        {
            string mine = FlowText.FormatDumpFlow(entries[i].Item1, Cases[i].Stats);
            output.WriteLine(ovs[i]);
            if (" " + mine != ovs[i])
            {
                failures.Add($"{Cases[i].Flow}\n    ovs:      {ovs[i]}\n    fastpath:  {mine}");
            }

            // dump-flows output is valid add-flow input: the statistics are ignored.
            Assert.Equal(entries[i].Item1, FlowText.Parse(mine));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string[] OfpPrint(string hex)
    {
        var psi = new ProcessStartInfo("ovs-ofctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("ofp-print");
        psi.ArgumentList.Add(hex);
        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(20_000));
        Assert.True(p.ExitCode == 0 && !stdout.Contains("decode error", StringComparison.Ordinal), stdout + err.Result);
        return stdout.Split('\n').Skip(1).Where(l => l.Length > 0).ToArray();
    }
}

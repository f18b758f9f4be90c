using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Packets;

namespace FastPath.Benchmarks;

/// <summary>
/// The OpenFlow rule sets the Open vSwitch reference runs (rules-s1: one rule; rules-s2: 51 rules of mixed
/// masks with mod_nw_src rewrites), written out as (priority, match, actions) until FastPath parses
/// ovs-ofctl flow syntax itself. Output port 2 is the null port, as in the reference.
/// </summary>
public static class ReferenceRuleSets
{
    /// <summary>One OpenFlow rule: priority, match (the fields it examines) and actions.</summary>
    public sealed record Rule(int Priority, FlowMatch Match, byte[] Actions);

    private static byte[] Out2 => new ActionProgramBuilder().Output(2).ToArray();

    private static byte[] ModSrcOut2(string src) => new ActionProgramBuilder().SetIpv4Src(IPAddress.Parse(src)).Output(2).ToArray();

    /// <summary>rules-s1.txt: priority=0,in_port=1,actions=output:2.</summary>
    public static List<Rule> S1() => [new(0, new MatchBuilder().InPort(1).Build(), Out2)];

    /// <summary>rules-s2.txt: 51 rules (the same patterns and values).</summary>
    public static List<Rule> S2()
    {
        var r = new List<Rule>
        {
            new(200, new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("10.0.0.1").Build(), ModSrcOut2("10.99.0.1")),
        };
        for (int i = 1; i <= 20; i++)
        {
            r.Add(new(150, new MatchBuilder().EthType(EtherTypes.Ipv4).Ipv4Src($"10.0.{i}.0/24").Ipv4Dst("10.200.0.1").Build(), ModSrcOut2($"10.98.{i - 1}.1")));
        }

        for (int i = 0; i < 10; i++)
        {
            r.Add(new(120, new MatchBuilder().EthType(EtherTypes.Ipv4).NwProto(IpProtocols.Udp).TpDst((ushort)(6000 + i)).Build(), Out2));
        }

        for (int i = 0; i < 10; i++)
        {
            r.Add(new(110, new MatchBuilder().EthType(EtherTypes.Ipv4).Ipv4Dst($"10.{100 + i}.0.0/16").Build(), []));
        }

        for (int i = 0; i < 9; i++)
        {
            r.Add(new(100, new MatchBuilder().EthSrc([0x02, 0, 0, 0, 0x01, (byte)i]).Build(), []));
        }

        r.Add(new(0, new MatchBuilder().Build(), Out2));
        return r;
    }

    /// <summary>
    /// The megaflows a slow path would install for <paramref name="packets"/> arriving on port 1: for each
    /// packet, the highest-priority matching rule's actions, under a mask that holds in_port, eth_type and
    /// the fragment bits plus every field of every rule examined before the decision. That is correct
    /// (all examined bits are equal for every packet the megaflow matches) but wider masks than Open
    /// vSwitch's prefix tracking would produce are not attempted, so this table has more megaflows than
    /// OVS's for the same traffic: a harder workload, not an easier one.
    /// </summary>
    public static List<(FlowMatch Match, byte[] Actions)> Megaflows(List<Rule> rules, IEnumerable<byte[]> packets)
    {
        List<Rule> ordered = [.. rules.OrderByDescending(r => r.Priority)];
        FlowMatch always = new MatchBuilder().InPort(1).EthType(0xffff).NwFrag(FragFlags.Any | FragFlags.Later, FragFlags.Any | FragFlags.Later).Build();
        var seen = new HashSet<string>();
        var result = new List<(FlowMatch, byte[])>();
        foreach (byte[] frame in packets)
        {
            var p = new Packet { InPort = 1, Length = (ushort)frame.Length };
            FlowExtractor.Extract(frame, ref p, out FlowKey key);
            FlowKey mask = always.Mask;
            foreach (Rule rule in ordered)
            {
                Or(ref mask, rule.Match.Mask);
                if (rule.Match.Matches(key))
                {
                    var mf = new FlowMatch(key, mask);
                    if (seen.Add(Convert.ToHexString(mf.Key.Bytes) + Convert.ToHexString(mf.Mask.Bytes)))
                    {
                        result.Add((mf, rule.Actions));
                    }

                    break;
                }
            }
        }

        return result;
    }

    private static void Or(ref FlowKey a, in FlowKey b)
    {
        Span<ulong> aw = a.AsWords;
        ReadOnlySpan<ulong> bw = b.ReadOnlyWords;
        for (int i = 0; i < FlowKey.Words; i++)
        {
            aw[i] |= bw[i];
        }
    }
}

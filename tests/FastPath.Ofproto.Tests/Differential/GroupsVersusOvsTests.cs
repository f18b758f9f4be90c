using System.Globalization;
using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Ofproto.Tests.Ovs;
using FastPath.Ofproto.Tests.Xlate;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Text;
using FastPath.Packets;
using Xunit.Abstractions;

namespace FastPath.Ofproto.Tests.Differential;

/// <summary>
/// FastPath's group translation against Open vSwitch's on random all, indirect and fast-failover groups (bucket
/// rewrites, dec_ttl, chaining, watch ports and watch groups), with ports taken down on both: the same groups
/// and rules go into both, the same flows are traced, and every packet sent must leave on the same port with the
/// same header fields (each datapath action list is run over the flow's fields), and the final flows must agree.
/// Open vSwitch 3.1 picks select buckets by dp_hash and recirculation, which FastPath's datapath does not have,
/// so select groups are checked on FastPath's side (<see cref="Groups.GroupXlateTests"/>) and here by property.
/// </summary>
public class GroupsVersusOvsTests(ITestOutputHelper output)
{
    private const int Ports = 4;

    [Fact]
    public void RandomGroupsSendThePacketsOpenVSwitchSends()
    {
        using OvsDummySwitch ovs = OvsDummySwitch.Start(Ports);
        var failures = new List<string>();
        int compared = 0, outputs = 0, wider = 0, equal = 0, narrower = 0;
        for (int seed = 0; seed < 16; seed++)
        {
            var rng = new Random(seed);
            (List<string> groups, List<string> rules) = Generate(rng);
            ovs.DelGroups();
            ovs.DelFlows();
            ovs.AddGroups(groups);
            ovs.AddFlows(rules);
            var h = new XlateHarness();
            groups.ForEach(h.AddGroup);
            rules.ForEach(h.Add);

            int[][] downSets = [[], [2], [3], [2, 3], [2, 3, 4]];
            foreach (int[] down in downSets)
            {
                var changes = new List<(int, bool)>();
                for (int p = 2; p <= Ports; p++)
                {
                    bool up = !down.Contains(p);
                    if (h.Ports.IsLive((uint)p) != up)
                    {
                        changes.Add((p, up));
                        h.Ports.SetLive((uint)p, up);
                    }
                }

                ovs.SetAdminState([.. changes]);
                for (int f = 0; f < 8; f++)
                {
                    string flow = RandomFlow(rng);
                    OvsTrace theirs = ovs.Trace(flow);
                    PipelineMatch parsed = MatchText.Parse(flow);
                    XlateTrace ours = h.Xlate.Trace(parsed.PacketPart.Key);
                    string context = $"seed {seed}, ports down [{string.Join(",", down)}], flow {flow}\n  groups:\n    {string.Join("\n    ", groups)}\n  rules:\n    {string.Join("\n    ", rules)}";
                    if (!ours.Succeeded)
                    {
                        failures.Add($"{context}\n  FastPath refused: {ours.Error}");
                        continue;
                    }

                    compared++;
                    string ourText = ActionFormatter.Format(ours.Actions);
                    List<string> theirPackets, ourPackets;
                    try
                    {
                        theirPackets = Run(theirs.DatapathActionsText, flow);
                        ourPackets = Run(ourText, flow);
                    }
                    catch (FormatException e)
                    {
                        failures.Add($"{context}\n  cannot run the actions: {e.Message}\n  OVS: {theirs.DatapathActionsText}\n  FastPath: {ourText}");
                        continue;
                    }

                    outputs += ourPackets.Count;
                    if (!theirPackets.SequenceEqual(ourPackets))
                    {
                        failures.Add($"{context}\n  OVS: {theirs.DatapathActionsText}\n    sends {string.Join(" | ", theirPackets)}\n  FastPath: {ourText}\n    sends {string.Join(" | ", ourPackets)}");
                        continue;
                    }

                    if (!theirs.FinalFlowUnchanged && !FinalFlowAgrees(theirs.FinalFlow, ours.FinalFlow, out string why))
                    {
                        failures.Add($"{context}\n  final flows differ ({why}): OVS {theirs.FinalFlow}");
                        continue;
                    }

                    if (theirs.FinalFlowUnchanged && !ours.FinalFlow.ReadOnlyBytes[..FlowKey.Size].SequenceEqual(parsed.Key.ReadOnlyBytes[..FlowKey.Size]))
                    {
                        failures.Add($"{context}\n  OVS's final flow is unchanged, FastPath's is not");
                        continue;
                    }

                    switch (CompareWidth(theirs, ours.Megaflow.Mask))
                    {
                        case > 0: wider++; break;
                        case 0: equal++; break;
                        case < 0:
                            narrower++;
                            if (narrower <= 4)
                            {
                                output.WriteLine($"narrower: {flow}\n  OVS: {theirs.Megaflow.Text}\n  FastPath: {Datapath.Flows.MatchFormatter.Format(ours.Megaflow)}\n  actions {ourText}");
                            }

                            break;
                    }
                }
            }

            ovs.SetAdminState((2, true), (3, true), (4, true));
        }

        output.WriteLine($"{compared} flows compared, {outputs} packets sent; megaflow width against Open vSwitch: {wider} wider, {equal} equal, {narrower} narrower");
        Assert.True(failures.Count == 0, $"{failures.Count} disagreements:\n" + string.Join("\n", failures.Take(5)));
        Assert.True(compared >= 600, $"only {compared} flows compared");
        Assert.True(outputs >= compared, $"only {outputs} packets sent for {compared} flows: the groups hardly send anything");
    }

    // Random groups (each may chain to or watch an earlier one) and rules that use them from port 1.
    private static (List<string> Groups, List<string> Rules) Generate(Random rng)
    {
        var groups = new List<string>();
        var types = new List<string>();
        int count = rng.Next(2, 6);
        for (int id = 1; id <= count; id++)
        {
            string type = rng.Next(3) switch { 0 => "all", 1 => "indirect", _ => "ff" };
            int buckets = type == "indirect" ? 1 : rng.Next(1, 4);
            var parts = new List<string> { $"group_id={id}", $"type={type}" };
            for (int b = 0; b < buckets; b++)
            {
                var bucket = new List<string>();
                if (type == "ff")
                {
                    int earlierFf = types.IndexOf("ff");
                    bucket.Add(earlierFf >= 0 && rng.Next(4) == 0 ? $"watch_group:{earlierFf + 1}" : $"watch_port:{rng.Next(2, Ports + 1)}");
                }

                for (int r = rng.Next(3); r > 0; r--)
                {
                    bucket.Add(Rewrite(rng));
                }

                bucket.Add(id > 1 && rng.Next(5) == 0 ? $"group:{rng.Next(1, id)}" : $"output:{rng.Next(1, Ports + 1)}");
                parts.Add("bucket=" + string.Join(",", bucket));
            }

            groups.Add(string.Join(",", parts));
            types.Add(type);
        }

        var rules = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var actions = new List<string>();
            if (rng.Next(3) == 0)
            {
                // A rule's rewrite must suit its match (ip): no L4 fields.
                string rewrite;
                do
                {
                    rewrite = Rewrite(rng);
                }
                while (rewrite.StartsWith("mod_tp", StringComparison.Ordinal) || rewrite.StartsWith("set_field", StringComparison.Ordinal));
                actions.Add(rewrite);
            }

            int g = rng.Next(1, count + 1);
            if (rng.Next(4) == 0)
            {
                actions.Add($"write_actions(group:{g})");
            }
            else
            {
                actions.Add($"group:{g}");
                if (rng.Next(3) == 0)
                {
                    actions.Add($"output:{rng.Next(2, Ports + 1)}");
                }
            }

            string match = i switch { 0 => "priority=30,in_port=1,udp", 1 => "priority=20,in_port=1,tcp", _ => "priority=10,in_port=1,ip" };
            rules.Add($"{match},actions={string.Join(",", actions)}");
        }

        return (groups, rules);
    }

    private static string Rewrite(Random rng) => rng.Next(8) switch
    {
        0 => $"mod_nw_src:10.9.{rng.Next(256)}.{rng.Next(256)}",
        1 => $"mod_nw_dst:10.8.{rng.Next(256)}.{rng.Next(256)}",
        2 => $"mod_dl_src:02:00:00:00:07:{rng.Next(256):x2}",
        3 => $"mod_dl_dst:02:00:00:00:08:{rng.Next(256):x2}",
        4 => "dec_ttl",
        5 => $"mod_nw_tos:{rng.Next(64) * 4}",
        6 => $"mod_tp_dst:{rng.Next(1, 65536)}",
        _ => $"set_field:{rng.Next(1, 65536)}->udp_src",
    };

    private static string RandomFlow(Random rng)
    {
        string proto = rng.Next(2) == 0 ? "udp" : "tcp";
        return FormattableString.Invariant(
            $"in_port=1,{proto},dl_src=02:00:00:00:00:{rng.Next(1, 256):x2},dl_dst=02:00:00:00:01:{rng.Next(1, 256):x2},nw_src=10.0.{rng.Next(256)}.{rng.Next(1, 255)},nw_dst=10.1.{rng.Next(256)}.{rng.Next(1, 255)},nw_tos={rng.Next(64) * 4},nw_ttl={rng.Next(2, 255)},{proto}_src={rng.Next(1, 65536)},{proto}_dst={rng.Next(1, 65536)}");
    }

    // Runs a datapath action list over the flow's header fields and returns, for every output, the port and the
    // fields as the packet leaves.
    private static List<string> Run(string actionsText, string flow)
    {
        PipelineMatch m = MatchText.Parse(flow);
        FlowKey k = m.PacketPart.Key;
        string l4 = k.NwProto == IpProtocols.Tcp ? "tcp" : "udp";
        var fields = new SortedDictionary<string, UInt128>(StringComparer.Ordinal)
        {
            ["eth.src"] = Read(k, FlowKey.Offsets.DlSrc, 6),
            ["eth.dst"] = Read(k, FlowKey.Offsets.DlDst, 6),
            ["ipv4.src"] = Read(k, FlowKey.Offsets.NwSrc, 4),
            ["ipv4.dst"] = Read(k, FlowKey.Offsets.NwDst, 4),
            ["ipv4.tos"] = Read(k, FlowKey.Offsets.NwTos, 1),
            ["ipv4.ttl"] = Read(k, FlowKey.Offsets.NwTtl, 1),
            [l4 + ".src"] = Read(k, FlowKey.Offsets.TpSrc, 2),
            [l4 + ".dst"] = Read(k, FlowKey.Offsets.TpDst, 2),
        };
        var sent = new List<string>();
        foreach (OdpAction a in OdpAction.ParseList(actionsText))
        {
            if (a.IsOutput)
            {
                sent.Add($"{a.OutputPort}:" + string.Join(",", fields.Select(f => $"{f.Key}={f.Value:x}")));
            }
            else if (a.Name == "set" && a.Arguments.Count == 1)
            {
                OdpAction header = a.Arguments[0];
                foreach (OdpAction kv in header.Arguments)
                {
                    string key = header.Name + "." + kv.Name;
                    if (!fields.TryGetValue(key, out UInt128 old) || kv.Value is null)
                    {
                        throw new FormatException($"a set of {key} on a {l4} packet");
                    }

                    int slash = kv.Value.IndexOf('/', StringComparison.Ordinal);
                    UInt128 v = Value(slash < 0 ? kv.Value : kv.Value[..slash]);
                    UInt128 mask = slash < 0 ? UInt128.MaxValue : Value(kv.Value[(slash + 1)..]);
                    fields[key] = (old & ~mask) | (v & mask);
                }
            }
            else if (a.Name == "dec_ttl")
            {
                fields["ipv4.ttl"]--;
            }
            else if (a.Name != "drop")
            {
                throw new FormatException($"no model of {a.Text}");
            }
        }

        return sent;
    }

    private static UInt128 Read(in FlowKey k, int offset, int length)
    {
        UInt128 v = 0;
        foreach (byte b in XlateHarness.MaskBytes(k).AsSpan(offset, length))
        {
            v = (v << 8) | b;
        }

        return v;
    }

    private static UInt128 Value(string text)
    {
        if (text.Count(c => c == ':') == 5)
        {
            return text.Split(':').Aggregate(UInt128.Zero, (v, b) => (v << 8) | byte.Parse(b, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }

        if (text.Count(c => c == '.') == 3 && IPAddress.TryParse(text, out IPAddress? ip))
        {
            return ip.GetAddressBytes().Aggregate(UInt128.Zero, (v, b) => (v << 8) | b);
        }

        return text.StartsWith("0x", StringComparison.Ordinal)
            ? UInt128.Parse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : UInt128.Parse(text, CultureInfo.InvariantCulture);
    }

    // Every field Open vSwitch's final flow names must equal FastPath's (in_port aside).
    private static bool FinalFlowAgrees(string theirs, in PipelineKey ours, out string why)
    {
        PipelineMatch expected = MatchText.Parse(theirs);
        ReadOnlySpan<byte> m = expected.Mask.ReadOnlyBytes;
        ReadOnlySpan<byte> k = expected.Key.ReadOnlyBytes;
        ReadOnlySpan<byte> f = ours.ReadOnlyBytes;
        for (int i = FlowKey.Offsets.DlDst; i < FlowKey.Size; i++)
        {
            if (((f[i] ^ k[i]) & m[i]) != 0)
            {
                why = $"key byte {i}: OVS 0x{k[i] & m[i]:x2}, FastPath 0x{f[i] & m[i]:x2}";
                return false;
            }
        }

        why = string.Empty;
        return true;
    }

    // +1 when FastPath's megaflow is wider than Open vSwitch's, 0 equal, -1 narrower in some bit.
    private static int? CompareWidth(OvsTrace theirs, in FlowKey ourMask)
    {
        PipelineMatch ovsMegaflow;
        try
        {
            string text = string.Join(',', theirs.Megaflow.Text.Split(',').Where(t => !t.StartsWith("recirc_id", StringComparison.Ordinal) && t != "eth" && !t.StartsWith("packet_type", StringComparison.Ordinal)));
            ovsMegaflow = MatchText.Parse(text);
        }
        catch (FormatException)
        {
            return null;
        }

        ReadOnlySpan<byte> ovsMask = ovsMegaflow.Mask.ReadOnlyBytes;
        ReadOnlySpan<byte> ours = XlateHarness.MaskBytes(ourMask);
        bool extra = false, fewer = false;
        for (int i = FlowKey.Offsets.DlDst; i < FlowKey.Size; i++)
        {
            if (i == FlowKey.Offsets.NwFrag)
            {
                continue;
            }

            extra |= (ours[i] & ~ovsMask[i]) != 0;
            fewer |= (ovsMask[i] & ~ours[i]) != 0;
        }

        return extra ? -1 : fewer ? 1 : 0;
    }
}

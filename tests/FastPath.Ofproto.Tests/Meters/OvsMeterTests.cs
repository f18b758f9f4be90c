using System.Text.RegularExpressions;
using FastPath.Datapath.Meters;
using FastPath.Ofproto.Meters;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Tests.Ovs;
using FastPath.OpenFlow.Meters;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;
using Xunit.Abstractions;

namespace FastPath.Ofproto.Tests.Meters;

/// <summary>
/// Meters against Open vSwitch: the same <c>ovs-ofctl -O OpenFlow13</c> meter and flow commands go to a private
/// ovs-vswitchd (userspace datapath) and to FastPath's parser and meter table; each must be accepted or refused
/// alike (the same ovs-ofctl message, or the same OFPMMFC error), and both must then list the same meters, rules
/// and flow counts. Never skips: without Open vSwitch's binaries it fails.
/// </summary>
public sealed partial class OvsMeterTests(ITestOutputHelper output)
{
    private static readonly string[] AddMeterLines =
    [
        "meter=1,kbps,burst,stats,band=type=drop,rate=1000,burst_size=100",
        "meter=2,pktps,band=type=drop,rate=10",
        "meter=3 pktps burst stats bands=type=drop rate=5 burst_size=7 type=drop rate=20 burst_size=1",
        "meter=0x10,kbps,band=type=drop,rate=0x20",
        "meter=23,kbps,band=,type=drop,rate=3",
        "meter=24,kbps,stats,band=type=drop,rate=3,type=drop,rate=9",
        "meter=4294901760,pktps,band=type=drop,rate=4294967295",
        "meter=1,kbps,band=type=drop,rate=5",
        "meter=5,kbps,pktps,band=type=drop,rate=1",
        "meter=5,stats,band=type=drop,rate=1",
        "meter=all,kbps,band=type=drop,rate=1",
        "meter=5,kbps,bands=type=drop,rate=1,type=drop,rate=2,type=drop,rate=3,type=drop,rate=4,type=drop,rate=5,type=drop,rate=6,type=drop,rate=7,type=drop,rate=8,type=drop,rate=9",
        "meter=5,kbps,band=type=dscp_remark,rate=10,prec_level=1",
        "meter=5,kbps",
        "meter=5,band=type=drop,rate=1",
        "meter=5,kbps,band=type=drop,rate=0",
        "meter=0,kbps,band=type=drop,rate=1",
        "meter=4294901761,kbps,band=type=drop,rate=1",
        "meter=abc,kbps,band=type=drop,rate=1",
        "meter=5,kbps,band=type=foo,rate=1",
        "meter=5,kbps,band=rate=1",
        "meter=5,kbps,band=type=drop,rate=1,prec_level=2",
        "meter=5,kbps,band=type=dscp_remark,rate=1",
        "meter=5,kbps,band=type=drop",
        "meter=5,kbps,bogus=1,band=type=drop,rate=1",
        "meter=5,kbps,band=type=drop,rate=1,bogus=2",
        "meter=5,kbps,band",
        "meter=5,kbps,bands=",
        "kbps,band=type=drop,rate=1",
        "meter=5,kbps,band=type=drop,rate=5,burst_size=10",
        "meter=5,kbps,burst,band=type=drop,rate=5",
    ];

    // After AddMeterLines: modifies, rules that use meters, deletes. (command, argument)
    private static readonly (string Command, string? Argument)[] Script =
    [
        ("mod-meter", "meter=9,kbps,band=type=drop,rate=5"),
        ("mod-meter", "meter=2,pktps,stats,burst,band=type=drop,rate=7,burst_size=3"),
        ("mod-meter", "meter=2,kbps,pktps,band=type=drop,rate=7"),
        ("mod-meter", "meter=2,kbps,band=type=dscp_remark,rate=7,prec_level=1"),
        ("mod-meter", "meter=all,kbps,band=type=drop,rate=7"),
        ("mod-meter", "meter=16,pktps,bands=type=drop,rate=1,type=drop,rate=2"),
        ("add-flow", "in_port=1,actions=meter:1,output:2"),
        ("add-flow", "table=1,in_port=2,actions=meter:1,output:1"),
        ("add-flow", "in_port=2,actions=meter:2,output:1"),
        ("add-flow", "table=2,ip,actions=meter:16,goto_table:3"),
        ("add-flow", "priority=7,in_port=2,actions=meter:99,output:1"),
        ("add-flow", "priority=9,actions=output:2"),
        ("del-meter", "meter=77"),
        ("del-meter", "meter=1"),
        ("del-meter", "meter=16"),
        ("del-meters", null),
    ];

    [Fact]
    public void MeterCommandsAreAcceptedRefusedAndListedAsByOpenVswitch()
    {
        using OvsDummySwitch ovs = OvsDummySwitch.Start(2);
        var pipeline = new OfPipeline();
        var meters = new OfMeterTable(pipeline, new MeterTableMeters(new MeterTable()));
        var failures = new List<string>();

        void Run(string command, string? arg, Action mine)
        {
            string theirs = Outcome(() => _ = arg is null ? ovs.OfCtl(command) : ovs.OfCtl(command, arg));
            string ours = Outcome(mine);
            output.WriteLine($"{command} {arg}: ovs {theirs} | fastpath {ours}");
            bool numberMessage = theirs.StartsWith("syntax: invalid numeric format", StringComparison.Ordinal) && ours.StartsWith("syntax:", StringComparison.Ordinal);
            if (theirs != ours && !numberMessage)
            {
                failures.Add($"{command} {arg}\n    ovs:      {theirs}\n    fastpath: {ours}");
            }
        }

        void Compare(string when)
        {
            var theirMeters = DumpMeters(ovs);
            var ourMeters = meters.Configs().ToDictionary(c => c.MeterId);
            Assert.True(theirMeters.Count == ourMeters.Count && theirMeters.All(t => ourMeters.TryGetValue(t.Key, out var m) && m.Equals(t.Value)),
                $"{when}: meters differ\n ovs: {string.Join(" | ", theirMeters.Values.Select(MeterText.Format))}\n fastpath: {string.Join(" | ", ourMeters.Values.Select(MeterText.Format))}");
            Assert.Equal(FlowCounts(ovs), meters.Stats(OfMeterIds.All, 0).ToDictionary(s => s.MeterId, s => s.FlowCount));
            Assert.Equal(ovs.DumpFlows().Count, pipeline.Count);
        }

        foreach (string line in AddMeterLines)
        {
            Run("add-meter", line, () => meters.Apply(MeterMod.Add(MeterText.Parse(line)), 0));
        }

        Compare("after the adds");
        foreach (var (command, arg) in Script)
        {
            Run(command, arg, () =>
            {
                switch (command)
                {
                    case "mod-meter":
                        meters.Apply(MeterMod.Modify(MeterText.Parse(arg!)), 0);
                        break;
                    case "add-flow":
                        pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse(arg!)), 0);
                        break;
                    default:
                        meters.Apply(MeterMod.Delete(MeterText.ParseMeterId(arg)), 0);
                        break;
                }
            });
            Compare($"after {command} {arg}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(1, pipeline.Count);
    }

    // "ok", "OFPMMFC_<ERROR>" (the switch refused), or "syntax: <ovs-ofctl's message>" (the text was refused).
    private static string Outcome(Action run)
    {
        try
        {
            run();
            return "ok";
        }
        catch (OvsHarnessException e)
        {
            Match error = ErrorName().Match(e.Message);
            if (error.Success)
            {
                return error.Value;
            }

            Match syntax = OfctlMessage().Match(e.Message);
            return "syntax: " + (syntax.Success ? syntax.Groups[1].Value.Trim() : e.Message);
        }
        catch (FlowSyntaxException e)
        {
            return "syntax: " + e.Message;
        }
        catch (MeterModException e)
        {
            return "OFPMMFC_" + SnakeCase(e.Error.ToString());
        }
        catch (FlowModException e) when (e.Error == FlowModError.InvalidMeter)
        {
            return "OFPMMFC_INVALID_METER";
        }
    }

    private static string SnakeCase(string name) => Regex.Replace(name, "(?<=[a-z])(?=[A-Z])", "_").ToUpperInvariant();

    private static Dictionary<uint, OfMeterConfig> DumpMeters(OvsDummySwitch ovs)
    {
        // Entries follow the reply's header line, a blank line before each; printed meters parse back.
        string[] parts = ovs.OfCtl("dump-meters").Split('\n', 2);
        return parts.Length < 2 ? []
            : parts[1].Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(MeterText.Parse).ToDictionary(m => m.MeterId);
    }

    private static Dictionary<uint, uint> FlowCounts(OvsDummySwitch ovs) =>
        StatsLine().Matches(ovs.OfCtl("meter-stats"))
            .ToDictionary(m => uint.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m => uint.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex("OFPMMFC_[A-Z_]+")]
    private static partial Regex ErrorName();

    [GeneratedRegex("ovs-ofctl: (.*)")]
    private static partial Regex OfctlMessage();

    [GeneratedRegex(@"meter:(\d+) flow_count:(\d+)")]
    private static partial Regex StatsLine();
}

using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;
using Xunit.Abstractions;

namespace FastPath.OpenFlow.Tests.Ovs;

/// <summary>
/// The registry's metadata checked against Open vSwitch field by field: each name (and alias) is accepted with
/// its prerequisites, a mask is accepted exactly when the field is maskable, and set_field refuses exactly the
/// read-only fields. FastPath must agree on each.
/// </summary>
public class OvsFieldRegistryTests(ITestOutputHelper output)
{
    /// <summary>Names Open vSwitch 3.1's flow syntax does not know (OpenFlow 1.3 names FastPath accepts as well).</summary>
    private static readonly HashSet<string> NotInOvs = ["in_phy_port", "pbb_isid", "ipv6_exthdr", "ipv4_src", "ipv4_dst", "icmpv4_type", "icmpv4_code"];

    [Fact]
    public void NamesMasksAndWritabilityAgreeWithOvs()
    {
        var checks = new List<(string Flow, bool Expected, string What)>();
        foreach (OfField f in OfFields.All)
        {
            string prereq = Prereq(f.Prerequisite);
            string value = Sample(f);
            foreach (string name in f.Aliases.Prepend(f.Name).Where(n => !NotInOvs.Contains(n)))
            {
                checks.Add(($"{prereq}{name}={value},actions=drop", true, $"{name} is a match field"));
            }

            if (f.Format is not (FieldFormat.Frag or FieldFormat.TcpFlags) && f != OfFields.DlVlan && f != OfFields.DlVlanPcp && !NotInOvs.Contains(f.Name))
            {
                checks.Add(($"{prereq}{f.Name}={MaskedSample(f)},actions=drop", f.Maskable, $"{f.Name} maskable={f.Maskable}"));
            }

            if (!NotInOvs.Contains(f.Name) && f != OfFields.DlVlan && f != OfFields.DlVlanPcp && f != OfFields.TpSrc && f != OfFields.TpDst)
            {
                string vlan = f == OfFields.VlanVid || f == OfFields.VlanPcp || f == OfFields.VlanTci ? "dl_vlan=1," : string.Empty;
                string v = f == OfFields.VlanVid ? "0x1001" : f == OfFields.VlanTci ? "0x1001" : value;
                checks.Add(($"{vlan}{prereq}actions=set_field:{v}->{f.Name}", f.Writable, $"{f.Name} writable={f.Writable}"));
            }
        }

        string[] ovs = OvsOfctl.ParseFlows(checks.Select(c => c.Flow).ToArray(), openFlow13: true);
        var failures = new List<string>();
        for (int i = 0; i < checks.Count; i++)
        {
            var (flow, expected, what) = checks[i];
            bool ovsOk = !ovs[i].StartsWith("error", StringComparison.Ordinal);
            bool mineOk = Record.Exception(() => FlowText.Parse(flow)) is null;
            if (ovsOk != expected || mineOk != expected)
            {
                failures.Add($"{flow} ({what}): ovs {(ovsOk ? "accepts" : "rejects")} [{ovs[i]}], fastpath {(mineOk ? "accepts" : "rejects")}");
            }
        }

        output.WriteLine($"{checks.Count} field checks against ovs-ofctl");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Prereq(FieldPrerequisite p) => p switch
    {
        FieldPrerequisite.None => string.Empty,
        FieldPrerequisite.Vlan => "dl_vlan=1,",
        FieldPrerequisite.Ipv4 or FieldPrerequisite.IpAny => "ip,",
        FieldPrerequisite.Ipv6 => "ipv6,",
        FieldPrerequisite.Arp => "arp,",
        FieldPrerequisite.Mpls => "mpls,",
        FieldPrerequisite.Tcp or FieldPrerequisite.L4Ports => "tcp,",
        FieldPrerequisite.Udp => "udp,",
        FieldPrerequisite.Sctp => "sctp,",
        FieldPrerequisite.Icmp4 or FieldPrerequisite.IcmpAny => "icmp,",
        FieldPrerequisite.Icmp6 => "icmp6,",
        FieldPrerequisite.Nd or FieldPrerequisite.NdSolicit => "icmp6,icmp_type=135,",
        FieldPrerequisite.NdAdvert => "icmp6,icmp_type=136,",
        FieldPrerequisite.Pbb => "dl_type=0x88e7,",
        FieldPrerequisite.InPort => "in_port=1,",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    private static string Sample(OfField f) => f.Format switch
    {
        FieldFormat.Ethernet => "00:00:00:00:00:01",
        FieldFormat.Ipv4 => "1.2.3.4",
        FieldFormat.Ipv6 => "::1",
        FieldFormat.Frag => "yes",
        FieldFormat.TcpFlags => "+syn",
        FieldFormat.Ipv6ExtHdr => "+nonext",
        _ when f == OfFields.VlanVid => "0x1001",
        _ when f == OfFields.NwTos => "4",
        _ when f == OfFields.IpDscp => "1",
        _ => "1",
    };

    private static string MaskedSample(OfField f) => f.Format switch
    {
        FieldFormat.Ethernet => "00:00:00:00:00:01/00:00:00:00:00:ff",
        FieldFormat.Ipv4 => "1.2.3.4/255.255.0.0",
        FieldFormat.Ipv6 => "::1/ffff::",
        _ when f == OfFields.VlanVid => "0x1001/0x1001",
        _ when f == OfFields.NwTos => "4/0x0c",
        _ => $"1/{FieldText.Hex(f.ValueMask & 3)}",
    };
}

namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>What <see cref="OvsRuleGenerator"/> puts in its rule sets and flows.</summary>
public sealed class OvsRuleGeneratorOptions
{
    /// <summary>Ports rules output to and flows come in on: 1..<see cref="Ports"/> (the switch needs as many).</summary>
    public int Ports { get; init; } = 4;

    /// <summary>Number of OpenFlow tables; every table but the last has rules that go to a later one.</summary>
    public int Tables { get; init; } = 3;

    /// <summary>Fewest rules in a table.</summary>
    public int MinRulesPerTable { get; init; } = 2;

    /// <summary>Most rules in a table.</summary>
    public int MaxRulesPerTable { get; init; } = 8;

    /// <summary>Whether rules and flows use IPv6, TCP/UDP over IPv6 and ICMPv6.</summary>
    public bool Ipv6 { get; init; } = true;

    /// <summary>Whether rules and flows use ARP.</summary>
    public bool Arp { get; init; } = true;

    /// <summary>Whether rules match VLAN fields and push, pop and rewrite tags, and flows carry tags.</summary>
    public bool Vlan { get; init; } = true;
}

using System.Globalization;
using System.Net;

namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>
/// Seeded random OpenFlow rule sets (in <c>ovs-ofctl add-flows</c> syntax) and trace flows (in
/// <c>ofproto/trace</c> flow syntax) that hit, nearly hit and miss them: the input of the side-by-side test of
/// FastPath's slow path against Open vSwitch. The same seed gives the same rules and flows on every run.
/// </summary>
/// <remarks>
/// Rules mix exact, prefix and arbitrary masks on in_port, Ethernet addresses, VLAN, IPv4, IPv6, TCP/UDP
/// ports, ICMP and ARP fields; priorities are distinct within a table; actions rewrite fields (mod_* and
/// set_field), push and pop VLANs, decrement the TTL, output to ports 1..N, go to a later table, or drop.
/// Every rule is consistent in OpenFlow 1.3: a field is matched or rewritten only under its protocol, so
/// ovs-ofctl neither rejects it nor silently drops a field. Values come from small per-rule-set pools, so
/// that rules overlap and rewrites made in one table are matched in the next.
/// </remarks>
public sealed class OvsRuleGenerator
{
    private readonly Random rng;
    private readonly OvsRuleGeneratorOptions options;
    private readonly int seed;
    private Pools pools;

    /// <summary>A generator for <paramref name="seed"/>; <see cref="RuleSet(int)"/> makes a rule set from a seed alone.</summary>
    public OvsRuleGenerator(int seed, OvsRuleGeneratorOptions? options = null)
    {
        this.seed = seed;
        this.options = options ?? new OvsRuleGeneratorOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.Ports, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.Tables, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.MaxRulesPerTable, this.options.MinRulesPerTable);
        rng = new Random(seed);
        pools = new Pools(rng);
    }

    /// <summary>The rule set for <paramref name="seed"/> with default options.</summary>
    public static OvsRuleSet RuleSet(int seed) => new OvsRuleGenerator(seed).NextRuleSet();

    /// <summary>
    /// A new rule set (each call draws new value pools, so successive rule sets differ). Its
    /// <see cref="OvsRuleSet.Seed"/> is the generator's seed.
    /// </summary>
    public OvsRuleSet NextRuleSet()
    {
        pools = new Pools(rng);
        var rules = new List<GeneratedRule>();
        for (int table = 0; table < options.Tables; table++)
        {
            int count = rng.Next(options.MinRulesPerTable, options.MaxRulesPerTable + 1);
            var priorities = new HashSet<int>();
            while (priorities.Count < count)
            {
                // Mostly small priorities, so that dump-flows and traces stay readable, some large.
                priorities.Add(rng.Next(4) == 0 ? rng.Next(1, 65536) : rng.Next(1, 200));
            }

            foreach (int priority in priorities)
            {
                rules.Add(MakeRule(table, priority));
            }
        }

        return new OvsRuleSet(seed, rules);
    }

    /// <summary>
    /// <paramref name="count"/> trace flows for <paramref name="set"/>: most are built to satisfy one of its
    /// rules (some then have one matched bit flipped, to land just outside it), the rest are random. Every
    /// flow names its protocol and all of its header fields, so none is left to a zero default.
    /// </summary>
    public IReadOnlyList<string> TraceFlows(OvsRuleSet set, int count)
    {
        var flows = new List<string>(count);
        List<GeneratedRule> rules = set.Rules.Where(r => r.Model is not null).ToList();
        for (int i = 0; i < count; i++)
        {
            int pick = rng.Next(10);
            GeneratedRule? target = rules.Count == 0 || pick >= 8 ? null
                : pick < 6 ? Pick(rules.Where(r => r.Table == 0).DefaultIfEmpty(rules[0]).ToList())
                : Pick(rules);
            bool nearMiss = target is not null && rng.Next(4) == 0;
            flows.Add(MakeFlow(target?.Model, nearMiss) ?? MakeFlow(target?.Model, nearMiss: false)!);
        }

        return flows;
    }

    /// <summary>
    /// A trace flow that <paramref name="rule"/>'s match takes (whether the rule wins also depends on the
    /// rules above it). The rule must come from an <see cref="OvsRuleGenerator"/>.
    /// </summary>
    public string HitFlow(GeneratedRule rule) => MakeFlow(ModelOf(rule), nearMiss: false)!;

    /// <summary>
    /// A trace flow just outside <paramref name="rule"/>'s match: like <see cref="HitFlow"/> with one matched
    /// thing changed (a bit under a mask, the in_port, the VLAN tag's presence or the protocol), so the rule
    /// cannot match it; null when the rule matches every packet.
    /// </summary>
    public string? MissFlow(GeneratedRule rule) => MakeFlow(ModelOf(rule), nearMiss: true);

    private static RuleModel ModelOf(GeneratedRule rule)
        => rule.Model ?? throw new ArgumentException("the rule was not made by OvsRuleGenerator", nameof(rule));

    private GeneratedRule MakeRule(int table, int priority)
    {
        var model = new RuleModel { Proto = PickRuleProto() };
        var match = new List<string>();
        if (rng.Next(10) < 6)
        {
            model.InPort = rng.Next(1, options.Ports + 1);
            match.Add($"in_port={model.InPort}");
        }

        if (model.Proto != Proto.Any)
        {
            match.Add(Keyword(model.Proto));
        }

        if (rng.Next(5) == 0)
        {
            AddMasked(model, match, Field.DlSrc, pools.Mac(rng), MacMask());
        }

        if (rng.Next(5) == 0)
        {
            AddMasked(model, match, Field.DlDst, pools.Mac(rng), MacMask());
        }

        if (options.Vlan)
        {
            int v = rng.Next(10);
            if (v < 2)
            {
                model.Tagged = true;
                AddExact(model, match, Field.DlVlan, (ulong)pools.Vlan(rng));
                if (v == 0)
                {
                    AddExact(model, match, Field.DlVlanPcp, (ulong)rng.Next(8));
                }
            }
            else if (v == 2)
            {
                model.Tagged = false;
                match.Add("vlan_tci=0x0000/0x1000");
            }
        }

        switch (Family(model.Proto))
        {
            case Proto.Ip:
                if (rng.Next(2) == 0)
                {
                    AddIpv4(model, match, Field.NwSrc);
                }

                if (rng.Next(2) == 0)
                {
                    AddIpv4(model, match, Field.NwDst);
                }

                if (rng.Next(10) == 0)
                {
                    AddExact(model, match, Field.NwTos, (ulong)(pools.Tos(rng)));
                }

                if (model.Proto == Proto.Ip && rng.Next(5) == 0)
                {
                    model.Proto = Proto.IpOther;
                    AddExact(model, match, Field.NwProto, (ulong)OtherIpProtos[rng.Next(OtherIpProtos.Length)]);
                }

                break;
            case Proto.Ipv6:
                if (rng.Next(2) == 0)
                {
                    AddIpv6(model, match, Field.Ipv6Src);
                }

                if (rng.Next(2) == 0)
                {
                    AddIpv6(model, match, Field.Ipv6Dst);
                }

                if (rng.Next(8) == 0)
                {
                    AddMasked(model, match, Field.Ipv6Label, (UInt128)pools.Label(rng), rng.Next(2) == 0 ? 0xfffff : (UInt128)0xf0000);
                }

                if (model.Proto == Proto.Ipv6 && rng.Next(5) == 0)
                {
                    model.Proto = Proto.Ipv6Other;
                    AddExact(model, match, Field.NwProto, (ulong)OtherIpProtos[rng.Next(OtherIpProtos.Length)]);
                }

                break;
            case Proto.Arp:
                if (rng.Next(2) == 0)
                {
                    AddIpv4(model, match, Field.ArpSpa);
                }

                if (rng.Next(2) == 0)
                {
                    AddIpv4(model, match, Field.ArpTpa);
                }

                if (rng.Next(3) == 0)
                {
                    AddExact(model, match, Field.ArpOp, (ulong)rng.Next(1, 3));
                }

                break;
        }

        if (IsTransport(model.Proto))
        {
            foreach (Field f in (Field[])[Field.TpSrc, Field.TpDst])
            {
                if (rng.Next(5) < 2)
                {
                    AddMasked(model, match, f, (UInt128)pools.Port(rng), PortMask());
                }
            }
        }
        else if (model.Proto is Proto.Icmp or Proto.Icmp6)
        {
            if (rng.Next(2) == 0)
            {
                AddExact(model, match, Field.IcmpType, (ulong)pools.IcmpType(rng, model.Proto == Proto.Icmp6));
            }

            if (rng.Next(4) == 0)
            {
                AddExact(model, match, Field.IcmpCode, (ulong)rng.Next(2));
            }
        }

        var rule = new GeneratedRule(table, priority, match, MakeActions(table, model)) { Model = model };
        return rule;
    }

    private List<string> MakeActions(int table, RuleModel model)
    {
        var actions = new List<string>();
        bool canGoto = table + 1 < options.Tables;
        if (rng.Next(8) == 0)
        {
            actions.Add("drop");
            return actions;
        }

        int rewrites = rng.Next(4);
        bool mayPop = model.Tagged == true;
        bool mayPush = true;
        for (int i = 0; i < rewrites; i++)
        {
            string rewrite = Rewrite(model, mayPop, mayPush);
            // One pop per rule: a second would pop a tag the match does not promise. One push per rule: Open
            // vSwitch keeps at most two tags, and the match may already promise one (OFPBAC_BAD_TAG).
            mayPop &= rewrite != "strip_vlan";
            mayPush &= !rewrite.StartsWith("push_vlan", StringComparison.Ordinal);
            actions.AddRange(rewrite.Split(','));
        }

        int outputs = rng.Next(canGoto ? 0 : 1, 3);
        for (int i = 0; i < outputs; i++)
        {
            actions.Add($"output:{rng.Next(1, options.Ports + 1)}");
        }

        if (canGoto && (outputs == 0 || rng.Next(3) == 0))
        {
            actions.Add($"goto_table:{rng.Next(table + 1, options.Tables)}");
        }

        if (actions.Count == 0)
        {
            actions.Add("drop");
        }

        return actions;
    }

    private string Rewrite(RuleModel model, bool mayPop, bool mayPush)
    {
        var choices = new List<Func<string>>
        {
            () => $"mod_dl_src:{Format.Mac(pools.Mac(rng))}",
            () => $"set_field:{Format.Mac(pools.Mac(rng))}->eth_dst",
        };
        if (options.Vlan)
        {
            choices.Add(() => $"mod_vlan_vid:{pools.Vlan(rng)}");
            choices.Add(() => $"mod_vlan_pcp:{rng.Next(8)}");
            if (mayPush)
            {
                choices.Add(() => $"push_vlan:0x8100,mod_vlan_vid:{pools.Vlan(rng)}");
            }

            if (mayPop)
            {
                // OpenFlow 1.3 pops only a tag the match guarantees.
                choices.Add(() => "strip_vlan");
            }
        }

        switch (Family(model.Proto))
        {
            case Proto.Ip:
                choices.Add(() => $"mod_nw_src:{Format.Ipv4(pools.Ipv4(rng))}");
                choices.Add(() => $"mod_nw_dst:{Format.Ipv4(pools.Ipv4(rng))}");
                choices.Add(() => $"set_field:{Format.Ipv4(pools.Ipv4(rng))}->ip_dst");
                choices.Add(() => $"mod_nw_tos:{pools.Tos(rng)}");
                choices.Add(() => "dec_ttl");
                break;
            case Proto.Ipv6:
                choices.Add(() => $"set_field:{Format.Ipv6(pools.Ipv6(rng))}->ipv6_src");
                choices.Add(() => $"set_field:{Format.Ipv6(pools.Ipv6(rng))}->ipv6_dst");
                choices.Add(() => $"set_field:{pools.Label(rng)}->ipv6_label");
                choices.Add(() => "dec_ttl");
                break;
        }

        if (IsTransport(model.Proto))
        {
            string l4 = model.Proto is Proto.Tcp or Proto.Tcp6 ? "tcp" : "udp";
            if (Family(model.Proto) == Proto.Ip)
            {
                choices.Add(() => $"mod_tp_src:{pools.Port(rng)}");
                choices.Add(() => $"mod_tp_dst:{pools.Port(rng)}");
            }

            choices.Add(() => $"set_field:{pools.Port(rng)}->{l4}_dst");
            choices.Add(() => $"set_field:{pools.Port(rng)}->{l4}_src");
        }

        return choices[rng.Next(choices.Count)]();
    }

    /// <summary>
    /// A flow for <paramref name="target"/> (random when null). With <paramref name="nearMiss"/>, one thing the
    /// rule matches is changed so that the rule cannot match: a bit under one of its masks, its in_port, its
    /// VLAN presence or its protocol; null when the rule matches every packet.
    /// </summary>
    private string? MakeFlow(RuleModel? target, bool nearMiss)
    {
        var misses = new List<Action>();
        Proto proto = target is null ? PickFlowProto(Proto.Any) : PickFlowProto(target.Proto);
        int inPort = target?.InPort ?? rng.Next(1, options.Ports + 1);
        bool tagged = options.Vlan && (target?.Tagged ?? rng.Next(4) == 0);
        Field? flip = null;
        if (nearMiss && target is not null)
        {
            List<Proto> others = FlowProtos().Where(p => !Accepts(target.Proto, p)).ToList();
            if (others.Count > 0)
            {
                misses.Add(() => proto = others[rng.Next(others.Count)]);
            }

            if (target.InPort is int p && options.Ports > 1)
            {
                misses.Add(() => inPort = p % options.Ports + 1);
            }

            if (target.Tagged is bool t)
            {
                misses.Add(() => tagged = !t);
            }

            foreach (Field f in target.Fields.Keys)
            {
                misses.Add(() => flip = f);
            }

            if (misses.Count == 0)
            {
                return null;
            }

            misses[rng.Next(misses.Count)]();
        }

        // Random values first, then the target's matched bits over them.
        var values = new Dictionary<Field, UInt128>
        {
            [Field.DlSrc] = pools.Mac(rng),
            [Field.DlDst] = pools.Mac(rng),
        };
        if (tagged)
        {
            values[Field.DlVlan] = (ulong)pools.Vlan(rng);
            values[Field.DlVlanPcp] = (ulong)rng.Next(8);
        }

        switch (Family(proto))
        {
            case Proto.Ip:
                values[Field.NwSrc] = pools.Ipv4(rng);
                values[Field.NwDst] = pools.Ipv4(rng);
                values[Field.NwTos] = (ulong)pools.Tos(rng);
                values[Field.NwTtl] = (ulong)(rng.Next(10) == 0 ? 1 : 64);
                break;
            case Proto.Ipv6:
                values[Field.Ipv6Src] = pools.Ipv6(rng);
                values[Field.Ipv6Dst] = pools.Ipv6(rng);
                values[Field.Ipv6Label] = (ulong)pools.Label(rng);
                values[Field.NwTtl] = (ulong)(rng.Next(10) == 0 ? 1 : 64);
                break;
            case Proto.Arp:
                values[Field.ArpSpa] = pools.Ipv4(rng);
                values[Field.ArpTpa] = pools.Ipv4(rng);
                values[Field.ArpOp] = (ulong)rng.Next(1, 3);
                break;
        }

        if (proto is Proto.IpOther or Proto.Ipv6Other)
        {
            values[Field.NwProto] = (ulong)OtherIpProtos[rng.Next(OtherIpProtos.Length)];
        }

        if (IsTransport(proto))
        {
            values[Field.TpSrc] = (ulong)pools.Port(rng);
            values[Field.TpDst] = (ulong)pools.Port(rng);
        }
        else if (proto is Proto.Icmp or Proto.Icmp6)
        {
            values[Field.IcmpType] = (ulong)pools.IcmpType(rng, proto == Proto.Icmp6);
            values[Field.IcmpCode] = (ulong)rng.Next(2);
        }

        if (target is not null)
        {
            foreach (var (field, (value, mask)) in target.Fields)
            {
                if (values.TryGetValue(field, out UInt128 v))
                {
                    values[field] = (v & ~mask) | (value & mask);
                }
            }
        }

        if (flip is Field ff)
        {
            if (!values.ContainsKey(ff))
            {
                // Only a protocol change could have removed the field, and none was made.
                throw new InvalidOperationException($"flow for a near miss lacks {ff}");
            }

            UInt128 mask = target!.Fields[ff].Mask;
            if (ff == Field.NwTos)
            {
                mask &= 0xfc; // The ECN bits are not part of nw_tos.
            }

            var bits = Enumerable.Range(0, Width(ff)).Where(b => ((mask >> b) & 1) != 0).ToList();
            values[ff] ^= UInt128.One << bits[rng.Next(bits.Count)];
        }

        return RenderFlow(inPort, proto, tagged, values);
    }

    /// <summary>Whether a rule matching <paramref name="rule"/> (ignoring its fields) takes a flow of <paramref name="flow"/>.</summary>
    private static bool Accepts(Proto rule, Proto flow)
        => rule == Proto.Any || rule == flow || (rule is Proto.Ip or Proto.Ipv6 && Family(flow) == rule);

    private static string RenderFlow(int inPort, Proto proto, bool tagged, Dictionary<Field, UInt128> v)
    {
        var items = new List<string> { $"in_port={inPort}" };
        items.Add(proto switch
        {
            Proto.Any => "dl_type=0x88b5",
            Proto.IpOther => "ip",
            Proto.Ipv6Other => "ipv6",
            _ => Keyword(proto),
        });
        items.Add($"dl_src={Format.Mac(v[Field.DlSrc])}");
        items.Add($"dl_dst={Format.Mac(v[Field.DlDst])}");
        if (tagged)
        {
            items.Add($"dl_vlan={v[Field.DlVlan]}");
            items.Add($"dl_vlan_pcp={v[Field.DlVlanPcp]}");
        }

        foreach (Field f in FlowOrder)
        {
            if (v.TryGetValue(f, out UInt128 value) && f is not (Field.DlSrc or Field.DlDst or Field.DlVlan or Field.DlVlanPcp))
            {
                items.Add($"{FlowName(f, proto)}={FormatValue(f, value)}");
            }
        }

        return string.Join(',', items);
    }

    private void AddExact(RuleModel model, List<string> match, Field f, UInt128 value)
    {
        UInt128 full = FullMask(f);
        model.Fields[f] = (value & full, full);
        match.Add($"{RuleName(f, model.Proto)}={FormatValue(f, value & full)}");
    }

    private void AddMasked(RuleModel model, List<string> match, Field f, UInt128 value, UInt128 mask)
    {
        UInt128 full = FullMask(f);
        mask &= full;
        if (mask == 0)
        {
            return;
        }

        value &= mask;
        model.Fields[f] = (value, mask);
        string text = mask == full ? FormatValue(f, value) : $"{FormatValue(f, value)}/{FormatValue(f, mask)}";
        match.Add($"{RuleName(f, model.Proto)}={text}");
    }

    private void AddIpv4(RuleModel model, List<string> match, Field f)
    {
        UInt128 value = pools.Ipv4(rng);
        if (rng.Next(10) < 7)
        {
            int prefix = rng.Next(8, 33);
            UInt128 mask = prefix == 0 ? 0 : (UInt128)(uint.MaxValue << (32 - prefix));
            model.Fields[f] = (value & mask, mask);
            match.Add(prefix == 32
                ? $"{RuleName(f, model.Proto)}={Format.Ipv4(value)}"
                : $"{RuleName(f, model.Proto)}={Format.Ipv4(value & mask)}/{prefix}");
        }
        else
        {
            AddMasked(model, match, f, value, (uint)rng.NextInt64(1, 1L << 32));
        }
    }

    private void AddIpv6(RuleModel model, List<string> match, Field f)
    {
        // Prefixes only: ovs-ofctl 3.1 reads no other IPv6 mask ("invalid IPv6 address").
        UInt128 value = pools.Ipv6(rng);
        int prefix = rng.Next(16, 129);
        UInt128 mask = UInt128.MaxValue << (128 - prefix);
        model.Fields[f] = (value & mask, mask);
        match.Add(prefix == 128
            ? $"{RuleName(f, model.Proto)}={Format.Ipv6(value)}"
            : $"{RuleName(f, model.Proto)}={Format.Ipv6(value & mask)}/{prefix}");
    }

    private UInt128 MacMask() => rng.Next(5) switch
    {
        0 => 0xffff_ffff_ffffUL,
        1 => 0xffff_ff00_0000UL,
        2 => 0x0100_0000_0000UL,
        3 => 0xfeff_ffff_ffffUL,
        _ => (ulong)rng.NextInt64(1, 1L << 48),
    };

    private UInt128 PortMask() => rng.Next(5) switch
    {
        0 or 1 => 0xffff,
        2 => 0xff00,
        3 => 0xfff0,
        _ => (ulong)rng.Next(1, 0x10000),
    };

    private Proto PickRuleProto()
    {
        var protos = new List<Proto> { Proto.Any, Proto.Ip, Proto.Ip, Proto.Tcp, Proto.Tcp, Proto.Udp, Proto.Udp, Proto.Icmp };
        if (options.Ipv6)
        {
            protos.AddRange([Proto.Ipv6, Proto.Tcp6, Proto.Udp6, Proto.Icmp6]);
        }

        if (options.Arp)
        {
            protos.Add(Proto.Arp);
        }

        return protos[rng.Next(protos.Count)];
    }

    /// <summary>A concrete protocol for a flow that a rule matching <paramref name="rule"/> accepts.</summary>
    private Proto PickFlowProto(Proto rule)
    {
        List<Proto> fit = FlowProtos().Where(p => Accepts(rule, p)).ToList();
        return fit[rng.Next(fit.Count)];
    }

    /// <summary>The protocols flows carry (<see cref="Proto.Any"/>: an unknown ethertype).</summary>
    private List<Proto> FlowProtos()
    {
        List<Proto> all = [Proto.Any, Proto.Tcp, Proto.Udp, Proto.Icmp, Proto.IpOther];
        if (options.Ipv6)
        {
            all.AddRange([Proto.Tcp6, Proto.Udp6, Proto.Icmp6, Proto.Ipv6Other]);
        }

        if (options.Arp)
        {
            all.Add(Proto.Arp);
        }

        return all;
    }

    private T Pick<T>(IReadOnlyList<T> list) => list[rng.Next(list.Count)];

    private static readonly int[] OtherIpProtos = [47, 89, 103];

    private static readonly Field[] FlowOrder =
    [
        Field.DlSrc, Field.DlDst, Field.DlVlan, Field.DlVlanPcp, Field.NwProto, Field.NwSrc, Field.NwDst, Field.Ipv6Src,
        Field.Ipv6Dst, Field.Ipv6Label, Field.NwTos, Field.NwTtl, Field.ArpSpa, Field.ArpTpa, Field.ArpOp, Field.TpSrc,
        Field.TpDst, Field.IcmpType, Field.IcmpCode,
    ];

    private static string Keyword(Proto p) => p switch
    {
        Proto.Ip or Proto.IpOther => "ip",
        Proto.Tcp => "tcp",
        Proto.Udp => "udp",
        Proto.Icmp => "icmp",
        Proto.Ipv6 or Proto.Ipv6Other => "ipv6",
        Proto.Tcp6 => "tcp6",
        Proto.Udp6 => "udp6",
        Proto.Icmp6 => "icmp6",
        Proto.Arp => "arp",
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, null),
    };

    private static Proto Family(Proto p) => p switch
    {
        Proto.Ip or Proto.IpOther or Proto.Tcp or Proto.Udp or Proto.Icmp => Proto.Ip,
        Proto.Ipv6 or Proto.Ipv6Other or Proto.Tcp6 or Proto.Udp6 or Proto.Icmp6 => Proto.Ipv6,
        Proto.Arp => Proto.Arp,
        _ => Proto.Any,
    };

    private static bool IsTransport(Proto p) => p is Proto.Tcp or Proto.Udp or Proto.Tcp6 or Proto.Udp6;

    private static string RuleName(Field f, Proto p) => FlowName(f, p);

    private static string FlowName(Field f, Proto p) => f switch
    {
        Field.DlSrc => "dl_src",
        Field.DlDst => "dl_dst",
        Field.DlVlan => "dl_vlan",
        Field.DlVlanPcp => "dl_vlan_pcp",
        Field.NwSrc => "nw_src",
        Field.NwDst => "nw_dst",
        Field.NwProto => "nw_proto",
        Field.NwTos => "nw_tos",
        Field.NwTtl => "nw_ttl",
        Field.Ipv6Src => "ipv6_src",
        Field.Ipv6Dst => "ipv6_dst",
        Field.Ipv6Label => "ipv6_label",
        Field.ArpSpa => "arp_spa",
        Field.ArpTpa => "arp_tpa",
        Field.ArpOp => "arp_op",
        Field.TpSrc => p is Proto.Tcp or Proto.Tcp6 ? "tcp_src" : "udp_src",
        Field.TpDst => p is Proto.Tcp or Proto.Tcp6 ? "tcp_dst" : "udp_dst",
        Field.IcmpType => p == Proto.Icmp6 ? "icmpv6_type" : "icmp_type",
        Field.IcmpCode => p == Proto.Icmp6 ? "icmpv6_code" : "icmp_code",
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, null),
    };

    private static int Width(Field f) => f switch
    {
        Field.DlSrc or Field.DlDst => 48,
        Field.DlVlan => 12,
        Field.DlVlanPcp => 3,
        Field.NwSrc or Field.NwDst or Field.ArpSpa or Field.ArpTpa => 32,
        Field.Ipv6Src or Field.Ipv6Dst => 128,
        Field.Ipv6Label => 20,
        Field.TpSrc or Field.TpDst or Field.ArpOp => 16,
        _ => 8,
    };

    private static UInt128 FullMask(Field f) => Width(f) == 128 ? UInt128.MaxValue : (UInt128.One << Width(f)) - 1;

    private static string FormatValue(Field f, UInt128 v) => f switch
    {
        Field.DlSrc or Field.DlDst => Format.Mac(v),
        Field.NwSrc or Field.NwDst or Field.ArpSpa or Field.ArpTpa => Format.Ipv4(v),
        Field.Ipv6Src or Field.Ipv6Dst => Format.Ipv6(v),
        Field.Ipv6Label or Field.TpSrc or Field.TpDst => "0x" + ((ulong)v).ToString("x", CultureInfo.InvariantCulture),
        _ => ((ulong)v).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The protocol a rule matches or a flow carries.</summary>
    internal enum Proto
    {
        /// <summary>Rule: no protocol constraint. Flow: an Ethernet frame of an unknown type.</summary>
        Any,
        Ip,
        IpOther,
        Tcp,
        Udp,
        Icmp,
        Ipv6,
        Ipv6Other,
        Tcp6,
        Udp6,
        Icmp6,
        Arp,
    }

    /// <summary>The header fields the generator matches on.</summary>
    internal enum Field
    {
        DlSrc,
        DlDst,
        DlVlan,
        DlVlanPcp,
        NwSrc,
        NwDst,
        NwProto,
        NwTos,
        NwTtl,
        Ipv6Src,
        Ipv6Dst,
        Ipv6Label,
        ArpSpa,
        ArpTpa,
        ArpOp,
        TpSrc,
        TpDst,
        IcmpType,
        IcmpCode,
    }

    /// <summary>What a generated rule matches, kept to build flows that hit it.</summary>
    internal sealed class RuleModel
    {
        public Proto Proto { get; set; }

        public int? InPort { get; set; }

        /// <summary>True: the rule needs a VLAN tag; false: it needs none; null: either.</summary>
        public bool? Tagged { get; set; }

        public Dictionary<Field, (UInt128 Value, UInt128 Mask)> Fields { get; } = [];
    }

    /// <summary>Small value pools, drawn once per rule set, so that rules and flows share values.</summary>
    private readonly struct Pools(Random rng)
    {
        private readonly ulong[] macs = [.. Enumerable.Range(0, 5).Select(_ => RandomMac(rng)), 0x0100_5e00_0001UL];
        private readonly uint[] ipv4s = [.. Enumerable.Range(0, 6).Select(_ => RandomIpv4(rng))];
        private readonly UInt128[] ipv6s = [.. Enumerable.Range(0, 5).Select(_ => RandomIpv6(rng))];
        private readonly int[] ports = [53, 80, 443, .. Enumerable.Range(0, 4).Select(_ => rng.Next(1, 65536))];
        private readonly int[] vlans = [1, 2, 3, rng.Next(4, 4095)];

        public UInt128 Mac(Random r) => macs[r.Next(macs.Length)];

        public UInt128 Ipv4(Random r) => r.Next(8) == 0 ? RandomIpv4(r) : ipv4s[r.Next(ipv4s.Length)];

        public UInt128 Ipv6(Random r) => r.Next(8) == 0 ? RandomIpv6(r) : ipv6s[r.Next(ipv6s.Length)];

        public int Port(Random r) => r.Next(8) == 0 ? r.Next(0, 65536) : ports[r.Next(ports.Length)];

        public int Vlan(Random r) => vlans[r.Next(vlans.Length)];

        public int Tos(Random r) => r.Next(4) * 0x20 + (r.Next(2) == 0 ? 0 : 0x08);

        public int Label(Random r) => r.Next(3) == 0 ? 0 : r.Next(1, 0x100000);

        public int IcmpType(Random r, bool v6) => v6 ? (r.Next(2) == 0 ? 128 : 129) : (r.Next(2) == 0 ? 8 : 0);

        private static ulong RandomMac(Random r) => (ulong)r.NextInt64(1L << 48) & 0xfeff_ffff_ffffUL | 0x0200_0000_0000UL;

        private static uint RandomIpv4(Random r) => r.Next(3) switch
        {
            0 => 0x0a000000u | (uint)r.Next(0, 4) << 16 | (uint)r.Next(0, 4) << 8 | (uint)r.Next(1, 5),
            1 => 0xc0a80100u | (uint)r.Next(1, 5),
            _ => (uint)r.NextInt64(1, 1L << 32),
        };

        private static UInt128 RandomIpv6(Random r) => r.Next(2) == 0
            ? new UInt128(0x2001_0db8_0000_0000UL | (ulong)r.Next(0, 4) << 16, (ulong)r.Next(1, 5))
            : new UInt128(0xfe80_0000_0000_0000UL, (ulong)r.NextInt64());
    }

    /// <summary>ovs-ofctl's text forms of addresses.</summary>
    private static class Format
    {
        public static string Mac(UInt128 v)
        {
            ulong m = (ulong)v;
            return string.Join(':', Enumerable.Range(0, 6).Select(i => ((m >> (40 - 8 * i)) & 0xff).ToString("x2", CultureInfo.InvariantCulture)));
        }

        public static string Ipv4(UInt128 v)
        {
            uint a = (uint)v;
            return $"{a >> 24}.{(a >> 16) & 0xff}.{(a >> 8) & 0xff}.{a & 0xff}";
        }

        public static string Ipv6(UInt128 v)
        {
            var bytes = new byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, v);
            return new IPAddress(bytes).ToString();
        }
    }
}

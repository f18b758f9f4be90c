using System.Globalization;
using System.Text;

namespace FastPath.OpenFlow.Tests.Ovs;

/// <summary>Seeded random flows for the differential: a protocol, fields its prerequisites allow (values and masks in every accepted form), rule options and actions.</summary>
internal sealed class RandomFlows(int seed)
{
    private readonly Random rng = new(seed);

    private static readonly (string Shorthand, string[] Fields, string[] Actions)[] Protocols =
    [
        ("", ["in_port", "dl_src", "dl_dst", "metadata", "reg", "tun_id", "vlan_tci", "dl_vlan", "dl_vlan_pcp", "vlan_vid"], ["output", "set_field:reg", "set_field:metadata", "mod_dl_src", "group", "set_queue", "push_mpls"]),
        ("ip", ["nw_src", "nw_dst", "nw_tos", "ip_dscp", "nw_ecn", "nw_ttl", "ip_frag", "nw_proto"], ["mod_nw_src", "mod_nw_dst", "mod_nw_tos", "dec_ttl", "set_nw_ttl", "set_field:ip_ecn"]),
        ("tcp", ["nw_src", "nw_dst", "tp_src", "tp_dst", "tcp_flags", "nw_ttl"], ["mod_tp_src", "mod_tp_dst", "mod_nw_src", "dec_ttl"]),
        ("udp", ["nw_src", "nw_dst", "tp_src", "tp_dst", "udp_src", "udp_dst"], ["mod_tp_src", "set_field:udp_dst"]),
        ("sctp", ["nw_dst", "sctp_src", "sctp_dst"], ["set_field:sctp_src"]),
        ("icmp", ["nw_src", "icmp_type", "icmp_code"], ["set_field:icmp_type"]),
        ("ipv6", ["ipv6_src", "ipv6_dst", "ipv6_label", "nw_tos", "nw_ttl", "ip_frag", "nw_proto"], ["set_field:ipv6_src", "set_field:ipv6_label", "dec_ttl"]),
        ("tcp6", ["ipv6_src", "tp_src", "tp_dst", "tcp_flags"], ["mod_tp_dst", "set_field:tcp_src"]),
        ("udp6", ["ipv6_dst", "tp_dst"], ["mod_tp_src"]),
        ("icmp6", ["ipv6_src", "icmp_type", "icmp_code"], ["set_field:icmpv6_code"]),
        ("arp", ["arp_spa", "arp_tpa", "arp_sha", "arp_tha", "arp_op"], ["set_field:arp_spa", "set_field:arp_sha"]),
        ("rarp", ["arp_spa", "arp_op"], ["set_field:arp_op"]),
        ("mpls", ["mpls_label", "mpls_tc", "mpls_bos", "mpls_ttl"], ["set_mpls_label", "set_mpls_ttl", "dec_mpls_ttl", "pop_mpls"]),
    ];

    /// <summary>The next flow.</summary>
    public string Next()
    {
        var (shorthand, fields, actions) = Protocols[rng.Next(Protocols.Length)];
        var parts = new List<string>();
        if (rng.Next(3) == 0)
        {
            parts.Add($"priority={rng.Next(65536)}");
        }

        if (rng.Next(4) == 0)
        {
            parts.Add($"table={rng.Next(255)}");
        }

        if (rng.Next(4) == 0)
        {
            parts.Add($"cookie=0x{rng.NextInt64():x}");
        }

        if (shorthand.Length > 0)
        {
            parts.Add(shorthand);
        }

        // Any protocol may carry the L2 and metadata fields too.
        IEnumerable<string> pool = shorthand.Length > 0 ? fields.Concat(Protocols[0].Fields.Where(f => f is not ("vlan_tci" or "dl_vlan" or "dl_vlan_pcp" or "vlan_vid"))) : fields;
        foreach (string f in pool.OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)))
        {
            if (f == "nw_proto" && shorthand is not ("ip" or "ipv6"))
            {
                continue;
            }

            parts.Add(Field(f, shorthand));
        }

        var acts = new List<string>();
        foreach (string a in actions.Concat(Protocols[0].Actions).OrderBy(_ => rng.Next()).Take(rng.Next(0, 4)))
        {
            if (a == "push_mpls" && acts.Count > 0 && shorthand == "mpls")
            {
                continue;
            }

            acts.Add(Action(a));
        }

        if (acts.Contains("pop_mpls:0x0800"))
        {
            acts.Remove("pop_mpls:0x0800");
            acts.Add("pop_mpls:0x0800");
        }

        if (acts.Any(a => a.StartsWith("push_mpls", StringComparison.Ordinal)))
        {
            acts.RemoveAll(a => a.StartsWith("push_mpls", StringComparison.Ordinal));
            acts.Add("push_mpls:0x8847");
        }

        if (rng.Next(5) == 0)
        {
            acts.Add($"goto_table:{rng.Next(1, 255)}");
        }

        parts.Add("actions=" + (acts.Count == 0 ? "drop" : string.Join(",", acts)));
        return string.Join(",", parts);
    }

    private string Field(string f, string shorthand) => f switch
    {
        "in_port" => $"in_port={rng.Next(1, 65280)}",
        "dl_src" or "dl_dst" or "arp_sha" or "arp_tha" => $"{f}={Mac()}" + (rng.Next(3) == 0 ? "/" + Mac() : string.Empty),
        "metadata" or "tun_id" => $"{f}=0x{rng.NextInt64():x}" + (rng.Next(2) == 0 ? $"/0x{rng.NextInt64():x}" : string.Empty),
        "reg" => $"reg{rng.Next(8)}={U32()}" + (rng.Next(2) == 0 ? $"/0x{rng.Next():x}" : string.Empty),
        "vlan_tci" => $"vlan_tci=0x{0x1000 | rng.Next(0x10000):x4}" + (rng.Next(2) == 0 ? "/0x1fff" : string.Empty),
        "dl_vlan" => $"dl_vlan={rng.Next(4096)}",
        "dl_vlan_pcp" => $"dl_vlan_pcp={rng.Next(8)}",
        "vlan_vid" => $"vlan_vid=0x{0x1000 | rng.Next(4096):x}" + (rng.Next(2) == 0 ? "/0x1fff" : string.Empty),
        "nw_src" or "nw_dst" or "arp_spa" or "arp_tpa" => $"{f}={Ip4()}" + (rng.Next(3) switch { 0 => $"/{rng.Next(33)}", 1 => "/" + Ip4(), _ => string.Empty }),
        "nw_tos" => $"nw_tos={rng.Next(64) << 2}",
        "ip_dscp" => $"ip_dscp={rng.Next(64)}",
        "nw_ecn" => $"nw_ecn={rng.Next(4)}",
        "nw_ttl" => $"nw_ttl={rng.Next(256)}",
        "ip_frag" => $"ip_frag={new[] { "no", "yes", "first", "later", "not_later" }[rng.Next(5)]}",
        "nw_proto" => $"nw_proto={new[] { 2, 47, 50, 51, 89, 103 }[rng.Next(6)]}",
        "tp_src" or "tp_dst" or "udp_src" or "udp_dst" or "sctp_src" or "sctp_dst" =>
            $"{f}={rng.Next(65536)}" + (rng.Next(3) == 0 ? $"/0x{rng.Next(1, 65536):x}" : string.Empty),
        "tcp_flags" => rng.Next(2) == 0 ? $"tcp_flags=0x{rng.Next(0x1000):x}/0x{rng.Next(1, 0x1000):x}" : "tcp_flags=+syn-ack+fin",
        "icmp_type" or "icmp_code" => $"{f}={rng.Next(256)}",
        "ipv6_src" or "ipv6_dst" => $"{f}={Ip6()}" + (rng.Next(3) switch { 0 => $"/{rng.Next(129)}", 1 => "/" + Ip6Mask(), _ => string.Empty }),
        "ipv6_label" => $"ipv6_label=0x{rng.Next(0x100000):x}" + (rng.Next(2) == 0 ? $"/0x{rng.Next(1, 0x100000):x}" : string.Empty),
        "arp_op" => $"arp_op={rng.Next(256)}",
        "mpls_label" => $"mpls_label={rng.Next(0x100000)}",
        "mpls_tc" => $"mpls_tc={rng.Next(8)}",
        "mpls_bos" => $"mpls_bos={rng.Next(2)}",
        "mpls_ttl" => $"mpls_ttl={rng.Next(256)}",
        _ => throw new ArgumentException(f + " " + shorthand),
    };

    private string Action(string a) => a switch
    {
        "output" => rng.Next(3) == 0 ? new[] { "NORMAL", "FLOOD", "IN_PORT", "LOCAL", "controller:77" }[rng.Next(5)] : $"output:{rng.Next(1, 65280)}",
        "set_field:reg" => $"set_field:{U32()}->reg{rng.Next(8)}",
        "set_field:metadata" => $"set_field:0x{rng.NextInt64():x}->metadata",
        "mod_dl_src" => $"mod_dl_src:{Mac()}",
        "group" => $"group:{rng.Next()}",
        "set_queue" => $"set_queue:{rng.Next(1000)}",
        "push_mpls" => "push_mpls:0x8847",
        "mod_nw_src" or "mod_nw_dst" => $"{a}:{Ip4()}",
        "mod_nw_tos" => $"mod_nw_tos:{rng.Next(64) << 2}",
        "dec_ttl" => "dec_ttl",
        "set_nw_ttl" => $"set_nw_ttl:{rng.Next(256)}",
        "set_field:ip_ecn" => $"set_field:{rng.Next(4)}->ip_ecn",
        "mod_tp_src" or "mod_tp_dst" => $"{a}:{rng.Next(65536)}",
        "set_field:udp_dst" => $"set_field:{rng.Next(65536)}->udp_dst",
        "set_field:sctp_src" => $"set_field:{rng.Next(65536)}->sctp_src",
        "set_field:icmp_type" => $"set_field:{rng.Next(256)}->icmp_type",
        "set_field:ipv6_src" => $"set_field:{Ip6()}->ipv6_src",
        "set_field:ipv6_label" => $"set_field:0x{rng.Next(0x100000):x}->ipv6_label",
        "set_field:tcp_src" => $"set_field:{rng.Next(65536)}->tcp_src",
        "set_field:icmpv6_code" => $"set_field:{rng.Next(256)}->icmpv6_code",
        "set_field:arp_spa" => $"set_field:{Ip4()}->arp_spa",
        "set_field:arp_sha" => $"set_field:{Mac()}->arp_sha",
        "set_field:arp_op" => $"set_field:{rng.Next(1, 256)}->arp_op",
        "set_mpls_label" => $"set_mpls_label:{rng.Next(0x100000)}",
        "set_mpls_ttl" => $"set_mpls_ttl:{rng.Next(256)}",
        "dec_mpls_ttl" => "dec_mpls_ttl",
        "pop_mpls" => "pop_mpls:0x0800",
        _ => throw new ArgumentException(a),
    };

    private string U32() => rng.Next(2) == 0 ? ((uint)rng.NextInt64(0, 1L << 32)).ToString(CultureInfo.InvariantCulture) : $"0x{rng.NextInt64(0, 1L << 32):x}";

    private string Mac()
    {
        var b = new byte[6];
        rng.NextBytes(b);
        return string.Join(":", b.Select(x => x.ToString("x2", CultureInfo.InvariantCulture)));
    }

    private string Ip4() => $"{rng.Next(256)}.{rng.Next(256)}.{rng.Next(256)}.{rng.Next(256)}";

    /// <summary>An arbitrary IPv6 mask whose text starts with a letter: Open vSwitch 3.1 reads a mask starting with a digit as a prefix length and fails.</summary>
    private string Ip6Mask() => "f" + Ip6()[1..];

    private string Ip6()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 8; i++)
        {
            int word = rng.Next(3) == 0 ? 0 : rng.Next(65536);
            sb.Append(i > 0 ? ":" : string.Empty).Append(word.ToString("x", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}

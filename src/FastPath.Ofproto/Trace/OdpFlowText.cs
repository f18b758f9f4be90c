using System.Globalization;

namespace FastPath.Ofproto.Trace;

/// <summary>
/// A datapath flow as Open vSwitch writes it (<c>in_port(1),eth(src=..,dst=..),eth_type(0x0800),ipv4(src=..,..),udp(src=1,dst=2)</c>,
/// what <c>dpctl/dump-flows</c> prints and <c>ofproto/trace [dp] ODP_FLOW</c> takes) rewritten in <c>ovs-ofctl</c>'s
/// flow syntax, so that <see cref="TraceInput"/> reads it. Packet fields and the input port only: metadata such as
/// <c>recirc_id</c>, <c>skb_mark</c> or <c>ct_state</c> is accepted at zero (where every packet from a port starts) and
/// refused otherwise; attributes FastPath does not know are refused by name.
/// </summary>
public static class OdpFlowText
{
    private static readonly HashSet<string> ZeroMetadata = new(StringComparer.Ordinal)
    {
        "skb_priority", "skb_mark", "recirc_id", "dp_hash", "ct_state", "ct_zone", "ct_mark", "ct_label",
    };

    /// <summary>
    /// The flow in <c>ovs-ofctl</c> syntax and the datapath port it names in <c>in_port(N)</c> (null when it names none).
    /// Throws <see cref="FormatException"/> with Open vSwitch's kind of message for what it cannot read.
    /// </summary>
    public static string ToOfctl(string odp, out uint? datapathPort)
    {
        ArgumentNullException.ThrowIfNull(odp);
        var fields = new List<string>();
        datapathPort = null;
        Append(odp, fields, ref datapathPort, depth: 0);
        return string.Join(',', fields);
    }

    private static void Append(string text, List<string> fields, ref uint? datapathPort, int depth)
    {
        if (depth > 4)
        {
            throw new FormatException("odp flow: encap nested too deeply");
        }

        foreach ((string name, string args) in Attributes(text))
        {
            Dictionary<string, string> kv = KeyValues(name, args);
            switch (name)
            {
                case "in_port":
                    if (!uint.TryParse(args, NumberStyles.None, CultureInfo.InvariantCulture, out uint port))
                    {
                        throw new FormatException($"odp flow: in_port({args}): a datapath port number is needed");
                    }

                    datapathPort = port;
                    break;
                case "packet_type":
                    if (kv.GetValueOrDefault("ns", "0") != "0" || kv.GetValueOrDefault("id", "0") is not ("0" or "0x0"))
                    {
                        throw new FormatException($"odp flow: packet_type({args}): only Ethernet packets can be traced");
                    }

                    break;
                case "eth":
                    Map(kv, fields, ("src", "dl_src"), ("dst", "dl_dst"));
                    break;
                case "eth_type":
                    fields.Add("dl_type=" + args);
                    break;
                case "vlan":
                    Map(kv, fields, ("vid", "dl_vlan"), ("pcp", "dl_vlan_pcp"));
                    break;
                case "encap":
                    Append(args, fields, ref datapathPort, depth + 1);
                    break;
                case "ipv4":
                    Map(kv, fields, ("src", "nw_src"), ("dst", "nw_dst"), ("proto", "nw_proto"), ("ttl", "nw_ttl"));
                    Tos(kv, "tos", fields);
                    Frag(kv, fields);
                    break;
                case "ipv6":
                    Map(kv, fields, ("src", "ipv6_src"), ("dst", "ipv6_dst"), ("label", "ipv6_label"), ("proto", "nw_proto"), ("hlimit", "nw_ttl"));
                    Tos(kv, "tclass", fields);
                    Frag(kv, fields);
                    break;
                case "tcp" or "udp" or "sctp":
                    Map(kv, fields, ("src", "tp_src"), ("dst", "tp_dst"));
                    break;
                case "tcp_flags":
                    fields.Add("tcp_flags=" + args);
                    break;
                case "icmp":
                    Map(kv, fields, ("type", "icmp_type"), ("code", "icmp_code"));
                    break;
                case "icmpv6":
                    Map(kv, fields, ("type", "icmpv6_type"), ("code", "icmpv6_code"));
                    break;
                case "arp":
                    Map(kv, fields, ("sip", "arp_spa"), ("tip", "arp_tpa"), ("op", "arp_op"), ("sha", "arp_sha"), ("tha", "arp_tha"));
                    break;
                case "nd":
                    Map(kv, fields, ("target", "nd_target"), ("sll", "nd_sll"), ("tll", "nd_tll"));
                    break;
                case "mpls":
                    Map(kv, fields, ("label", "mpls_label"), ("tc", "mpls_tc"), ("ttl", "mpls_ttl"), ("bos", "mpls_bos"));
                    break;
                default:
                    if (!ZeroMetadata.Contains(name))
                    {
                        throw new FormatException($"odp flow: {name}(): not a packet field FastPath can trace");
                    }

                    // "0", "0/0" or "0x0/0": where a packet from a port starts. Anything else is state FastPath's trace has no way to set.
                    if (args.Split('/')[0].Trim() is not ("0" or "0x0" or ""))
                    {
                        throw new FormatException($"odp flow: {name}({args}): only packet fields and in_port can be traced (metadata starts at zero)");
                    }

                    break;
            }
        }
    }

    /// <summary>The top-level <c>name(args)</c> attributes, split at commas outside parentheses.</summary>
    private static IEnumerable<(string Name, string Args)> Attributes(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            if (i >= text.Length)
            {
                yield break;
            }

            int open = text.IndexOf('(', i);
            if (open < 0)
            {
                throw new FormatException($"odp flow: syntax error at {text[i..]}");
            }

            int depth = 0, close = -1;
            for (int j = open; j < text.Length; j++)
            {
                if (text[j] == '(')
                {
                    depth++;
                }
                else if (text[j] == ')' && --depth == 0)
                {
                    close = j;
                    break;
                }
            }

            if (close < 0)
            {
                throw new FormatException($"odp flow: unbalanced parentheses in {text[i..]}");
            }

            string name = text[i..open].Trim();
            if (name.Length == 0 || name.Contains(',', StringComparison.Ordinal))
            {
                throw new FormatException($"odp flow: syntax error at {text[i..]}");
            }

            yield return (name, text[(open + 1)..close]);
            i = close + 1;
        }
    }

    private static Dictionary<string, string> KeyValues(string name, string args)
    {
        var kv = new Dictionary<string, string>(StringComparer.Ordinal);
        if (name is "encap" or "in_port" or "eth_type" or "tcp_flags" || !args.Contains('=', StringComparison.Ordinal))
        {
            return kv;
        }

        foreach (string part in args.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"odp flow: {name}({args}): expected key=value");
            }

            kv[part[..eq]] = part[(eq + 1)..];
        }

        return kv;
    }

    private static void Map(Dictionary<string, string> kv, List<string> fields, params (string Odp, string Ofctl)[] names)
    {
        foreach ((string odp, string ofctl) in names)
        {
            if (kv.TryGetValue(odp, out string? v))
            {
                fields.Add(ofctl + "=" + v);
            }
        }
    }

    /// <summary>The IP TOS / traffic class byte, which Open vSwitch's flow syntax splits into DSCP (nw_tos) and ECN.</summary>
    private static void Tos(Dictionary<string, string> kv, string key, List<string> fields)
    {
        if (!kv.TryGetValue(key, out string? v))
        {
            return;
        }

        string value = v.Split('/')[0];
        int tos = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.Parse(value.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int d) ? d : throw new FormatException($"odp flow: {key}={v}: not a number");
        fields.Add(string.Create(CultureInfo.InvariantCulture, $"nw_tos={tos & 0xfc}"));
        fields.Add(string.Create(CultureInfo.InvariantCulture, $"nw_ecn={tos & 0x03}"));
    }

    private static void Frag(Dictionary<string, string> kv, List<string> fields)
    {
        if (kv.TryGetValue("frag", out string? frag))
        {
            fields.Add(frag switch
            {
                "no" or "first" or "later" => "ip_frag=" + frag,
                _ => throw new FormatException($"odp flow: frag={frag}: expected no, first or later"),
            });
        }
    }
}

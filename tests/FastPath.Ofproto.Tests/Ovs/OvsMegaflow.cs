namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>
/// A <c>Megaflow:</c> line of ofproto/trace, e.g.
/// <c>recirc_id=0,eth,udp,in_port=1,nw_src=192.168.1.0/24,tp_dst=0x40/0xffc0,nw_frag=no</c>: protocol
/// shorthands (<c>eth</c>, <c>ip</c>, <c>udp</c>, ...) and <c>field=value[/mask]</c> matches. A field that
/// does not appear is wildcarded: the megaflow matches any value of it.
/// </summary>
public sealed class OvsMegaflow
{
    /// <summary>The fields each protocol shorthand stands for, as ovs-ofctl defines them.</summary>
    private static readonly Dictionary<string, (string Field, string Value)[]> Shorthands = new(StringComparer.Ordinal)
    {
        ["ip"] = [("dl_type", "0x0800")],
        ["ipv6"] = [("dl_type", "0x86dd")],
        ["arp"] = [("dl_type", "0x0806")],
        ["rarp"] = [("dl_type", "0x8035")],
        ["mpls"] = [("dl_type", "0x8847")],
        ["mplsm"] = [("dl_type", "0x8848")],
        ["icmp"] = [("dl_type", "0x0800"), ("nw_proto", "1")],
        ["igmp"] = [("dl_type", "0x0800"), ("nw_proto", "2")],
        ["tcp"] = [("dl_type", "0x0800"), ("nw_proto", "6")],
        ["udp"] = [("dl_type", "0x0800"), ("nw_proto", "17")],
        ["sctp"] = [("dl_type", "0x0800"), ("nw_proto", "132")],
        ["icmp6"] = [("dl_type", "0x86dd"), ("nw_proto", "58")],
        ["tcp6"] = [("dl_type", "0x86dd"), ("nw_proto", "6")],
        ["udp6"] = [("dl_type", "0x86dd"), ("nw_proto", "17")],
        ["sctp6"] = [("dl_type", "0x86dd"), ("nw_proto", "132")],
        ["eth"] = [],
    };

    private OvsMegaflow(string text, IReadOnlyList<string> keywords, IReadOnlyDictionary<string, OvsFieldMatch> fields)
    {
        Text = text;
        Keywords = keywords;
        Fields = fields;
    }

    /// <summary>The line as printed.</summary>
    public string Text { get; }

    /// <summary>The protocol shorthands in order (<c>eth</c> means an Ethernet packet; <c>udp</c> is dl_type and nw_proto).</summary>
    public IReadOnlyList<string> Keywords { get; }

    /// <summary>The explicit <c>field=value[/mask]</c> matches, by field name, in the order printed.</summary>
    public IReadOnlyDictionary<string, OvsFieldMatch> Fields { get; }

    /// <summary>
    /// <see cref="Fields"/> plus the exact <c>dl_type</c> and <c>nw_proto</c> the shorthands stand for, so that
    /// <c>udp</c> and <c>dl_type=0x0800,nw_proto=17</c> compare equal.
    /// </summary>
    public IReadOnlyDictionary<string, OvsFieldMatch> ExpandedFields
    {
        get
        {
            var all = new SortedDictionary<string, OvsFieldMatch>(StringComparer.Ordinal);
            foreach (string k in Keywords)
            {
                foreach (var (name, value) in Shorthands[k])
                {
                    all[name] = new OvsFieldMatch(value, null);
                }
            }

            foreach (var (name, m) in Fields)
            {
                all[name] = m;
            }

            return all;
        }
    }

    /// <summary>Whether <paramref name="field"/> is matched (exactly or under a mask); shorthands count.</summary>
    public bool Matches(string field) => ExpandedFields.ContainsKey(field);

    /// <summary>
    /// Parses a megaflow; an unknown shorthand, an empty element, a field given twice or an empty value throw a
    /// <see cref="FormatException"/>.
    /// </summary>
    public static OvsMegaflow Parse(string text)
    {
        var keywords = new List<string>();
        var fields = new Dictionary<string, OvsFieldMatch>(StringComparer.Ordinal);
        var order = new List<string>();
        // packet_type=(1,0x800) holds a comma: split outside parentheses only.
        foreach (string item in OdpAction.SplitTopLevel(text))
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                if (!Shorthands.ContainsKey(item))
                {
                    throw new FormatException($"unknown protocol shorthand '{item}' in megaflow '{text}'");
                }

                keywords.Add(item);
                continue;
            }

            string name = item[..eq];
            string value = item[(eq + 1)..];
            int slash = value.IndexOf('/', StringComparison.Ordinal);
            OvsFieldMatch m = slash < 0 ? new OvsFieldMatch(value, null) : new OvsFieldMatch(value[..slash], value[(slash + 1)..]);
            if (name.Length == 0 || m.Value.Length == 0 || m.Mask is { Length: 0 })
            {
                throw new FormatException($"malformed match '{item}' in megaflow '{text}'");
            }

            if (!fields.TryAdd(name, m))
            {
                throw new FormatException($"field '{name}' appears twice in megaflow '{text}'");
            }

            order.Add(name);
        }

        return new OvsMegaflow(text, keywords, new OrderedFields(order, fields));
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    /// <summary>A read-only dictionary that enumerates in the order the fields were printed.</summary>
    private sealed class OrderedFields(List<string> order, Dictionary<string, OvsFieldMatch> map) : IReadOnlyDictionary<string, OvsFieldMatch>
    {
        public OvsFieldMatch this[string key] => map[key];

        public IEnumerable<string> Keys => order;

        public IEnumerable<OvsFieldMatch> Values => order.Select(k => map[k]);

        public int Count => order.Count;

        public bool ContainsKey(string key) => map.ContainsKey(key);

        public bool TryGetValue(string key, out OvsFieldMatch value) => map.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, OvsFieldMatch>> GetEnumerator()
            => order.Select(k => new KeyValuePair<string, OvsFieldMatch>(k, map[k])).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

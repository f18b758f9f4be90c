using System.Globalization;
using System.Text;
using FastPath.OpenFlow.Meters;
using FastPath.OpenFlow.Rules;

namespace FastPath.OpenFlow.Text;

/// <summary>
/// Meters in <c>ovs-ofctl</c>'s syntax: parsing the argument of <c>add-meter</c> and <c>mod-meter</c>
/// (<c>meter=1,kbps,burst,stats,band=type=drop,rate=1000,burst_size=100</c>) and of <c>del-meter</c>,
/// <c>dump-meters</c> and <c>meter-stats</c> (<c>meter=1</c>), and printing meters and their statistics as
/// <c>ovs-ofctl -O OpenFlow13 dump-meters</c> and <c>meter-stats</c> do.
/// </summary>
/// <remarks>
/// Parsing accepts and refuses what ovs-ofctl 3.1 does, with its messages: keywords are separated by commas,
/// spaces, tabs or newlines (so a printed meter parses back), everything after the first <c>band</c> is the
/// band list, and a band starts with <c>type=</c>. As ovs-ofctl, it checks the text only: a meter with both
/// kbps and pktps, or with stats alone, parses, and the switch refuses it. Numbers are decimal or 0x hex.
/// </remarks>
public static class MeterText
{
    private const string ValueDelimiters = ", \t\r\n";
    private const string NameDelimiters = "=, \t\r\n";

    /// <summary>Parses an add-meter or mod-meter argument. Throws <see cref="FlowSyntaxException"/>.</summary>
    public static OfMeterConfig Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int band = text.IndexOf("band", StringComparison.Ordinal);
        int eq = band < 0 ? -1 : text.IndexOf('=', band + 1);
        if (eq < 0)
        {
            throw new FlowSyntaxException("must specify bands");
        }

        var (meterId, flags) = ParseHead(text[..band], allowFlags: true);
        if (flags == OfMeterFlags.None)
        {
            throw new FlowSyntaxException("meter must specify either 'kbps' or 'pktps'");
        }

        List<OfMeterBand> bands = ParseBands(text[(eq + 1)..]);
        foreach (OfMeterBand b in bands)
        {
            if (b.Type == OfMeterBandType.Drop && b.PrecLevel != 0)
            {
                throw new FlowSyntaxException("Only 'dscp_remark' band may have 'prec_level'");
            }

            if (b.Type == OfMeterBandType.DscpRemark && b.PrecLevel == 0)
            {
                throw new FlowSyntaxException("'dscp_remark' band must have 'prec_level'");
            }

            if (b.Rate == 0)
            {
                throw new FlowSyntaxException("band must have 'rate'");
            }

            bool burst = (flags & OfMeterFlags.Burst) != 0;
            if (burst && b.BurstSize == 0)
            {
                throw new FlowSyntaxException("band must have 'burst_size' when 'burst' flag is set");
            }

            if (!burst && b.BurstSize != 0)
            {
                throw new FlowSyntaxException("band may have 'burst_size' only when 'burst' flag is set");
            }
        }

        return new OfMeterConfig { MeterId = meterId, Flags = flags, Bands = bands };
    }

    /// <summary>
    /// Parses a del-meter, dump-meters or meter-stats argument (<c>meter=N</c>, <c>meter=all</c>); null or
    /// blank means every meter (<see cref="OfMeterIds.All"/>), as ovs-ofctl. Throws <see cref="FlowSyntaxException"/>.
    /// </summary>
    public static uint ParseMeterId(string? text) =>
        string.IsNullOrWhiteSpace(text) ? OfMeterIds.All : ParseHead(text, allowFlags: false).MeterId;

    /// <summary>
    /// A meter as one entry of <c>ovs-ofctl -O OpenFlow13 dump-meters</c>: <c>meter=1 kbps burst stats bands=</c>,
    /// then a line per band (<c>type=drop rate=1000 burst_size=100</c>); lines joined by '\n', no final newline.
    /// </summary>
    public static string Format(OfMeterConfig meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        var s = new StringBuilder();
        s.Append("meter=").Append(OfMeterIds.Format(meter.MeterId)).Append(' ');
        AppendFlags(s, meter.Flags);
        s.Append("bands=");
        foreach (OfMeterBand b in meter.Bands)
        {
            s.Append("\ntype=");
            s.Append(b.Type switch
            {
                OfMeterBandType.Drop => "drop",
                OfMeterBandType.DscpRemark => "dscp_remark",
                _ => ((ushort)b.Type).ToString(CultureInfo.InvariantCulture),
            });
            s.Append(CultureInfo.InvariantCulture, $" rate={b.Rate}");
            if ((meter.Flags & OfMeterFlags.Burst) != 0)
            {
                s.Append(CultureInfo.InvariantCulture, $" burst_size={b.BurstSize}");
            }

            if (b.Type == OfMeterBandType.DscpRemark)
            {
                s.Append(CultureInfo.InvariantCulture, $" prec_level={b.PrecLevel}");
            }
        }

        return s.ToString();
    }

    /// <summary>
    /// A meter's statistics as one entry of <c>ovs-ofctl -O OpenFlow13 meter-stats</c>:
    /// <c>meter:1 flow_count:1 packet_in_count:10 byte_in_count:640 duration:2.5s bands:</c>, then a line per
    /// band (<c>0: packet_count:3 byte_count:192</c>); lines joined by '\n', no final newline.
    /// </summary>
    public static string FormatStats(OfMeterStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var s = new StringBuilder();
        s.Append("meter:").Append(OfMeterIds.Format(stats.MeterId));
        s.Append(CultureInfo.InvariantCulture, $" flow_count:{stats.FlowCount} packet_in_count:{stats.PacketInCount} byte_in_count:{stats.ByteInCount}");
        s.Append(" duration:").Append(FlowText.FormatDuration(stats.DurationSeconds, stats.DurationNanoseconds)).Append(" bands:");
        for (int i = 0; i < stats.Bands.Count; i++)
        {
            s.Append(CultureInfo.InvariantCulture, $"\n{i}: packet_count:{stats.Bands[i].Packets} byte_count:{stats.Bands[i].Bytes}");
        }

        return s.ToString();
    }

    private static void AppendFlags(StringBuilder s, OfMeterFlags flags)
    {
        if ((flags & OfMeterFlags.Kbps) != 0)
        {
            s.Append("kbps ");
        }

        if ((flags & OfMeterFlags.Pktps) != 0)
        {
            s.Append("pktps ");
        }

        if ((flags & OfMeterFlags.Burst) != 0)
        {
            s.Append("burst ");
        }

        if ((flags & OfMeterFlags.Stats) != 0)
        {
            s.Append("stats ");
        }

        ushort other = (ushort)(flags & ~(OfMeterFlags.Kbps | OfMeterFlags.Pktps | OfMeterFlags.Burst | OfMeterFlags.Stats));
        if (other != 0)
        {
            s.Append(CultureInfo.InvariantCulture, $"flags:0x{other:x} ");
        }
    }

    // The keywords before the band list: meter=ID and, for add and modify, the flags.
    private static (uint MeterId, OfMeterFlags Flags) ParseHead(string text, bool allowFlags)
    {
        var tokens = new Tokenizer(text);
        uint meterId = 0;
        OfMeterFlags flags = OfMeterFlags.None;
        while (tokens.Next(NameDelimiters) is string name)
        {
            OfMeterFlags flag = allowFlags ? name switch
            {
                "kbps" => OfMeterFlags.Kbps,
                "pktps" => OfMeterFlags.Pktps,
                "burst" => OfMeterFlags.Burst,
                "stats" => OfMeterFlags.Stats,
                _ => OfMeterFlags.None,
            }
            : OfMeterFlags.None;
            if (flag != OfMeterFlags.None)
            {
                flags |= flag;
                continue;
            }

            string value = tokens.Next(ValueDelimiters) ?? throw new FlowSyntaxException($"field {name} missing value");
            if (name != "meter")
            {
                throw new FlowSyntaxException($"unknown keyword {name}");
            }

            meterId = value switch
            {
                "all" => OfMeterIds.All,
                "controller" => OfMeterIds.Controller,
                "slowpath" => OfMeterIds.SlowPath,
                _ => (uint)FieldText.ParseInteger(value, 32, "meter"),
            };
            if (meterId == 0 || (meterId > OfMeterIds.Max && value is not ("all" or "controller" or "slowpath")))
            {
                throw new FlowSyntaxException("invalid value for meter");
            }
        }

        return meterId != 0 ? (meterId, flags) : throw new FlowSyntaxException("must specify 'meter'");
    }

    private static List<OfMeterBand> ParseBands(string text)
    {
        var tokens = new Tokenizer(text);
        var bands = new List<OfMeterBand>();
        while (tokens.Next(NameDelimiters) is string name)
        {
            string value = tokens.Next(ValueDelimiters) ?? throw new FlowSyntaxException($"field {name} missing value");
            if (name == "type")
            {
                OfMeterBandType type = value switch
                {
                    "drop" => OfMeterBandType.Drop,
                    "dscp_remark" => OfMeterBandType.DscpRemark,
                    _ => throw new FlowSyntaxException($"field type unknown value {value}"),
                };
                bands.Add(new OfMeterBand(type, 0));
                continue;
            }

            if (bands.Count == 0)
            {
                throw new FlowSyntaxException("band must start with the 'type' keyword");
            }

            OfMeterBand b = bands[^1];
            bands[^1] = name switch
            {
                "rate" => b with { Rate = (uint)FieldText.ParseInteger(value, 32, "rate") },
                "burst_size" => b with { BurstSize = (uint)FieldText.ParseInteger(value, 32, "burst_size") },
                "prec_level" => b with { PrecLevel = (byte)FieldText.ParseInteger(value, 8, "prec_level") },
                _ => throw new FlowSyntaxException($"unknown keyword {name}"),
            };
        }

        return bands.Count > 0 ? bands : throw new FlowSyntaxException("meter must have bands");
    }

    // strtok_r over a string: each token ends at any of the delimiters the caller names for it, and delimiters
    // before a token are skipped, so "meter=1" is the name "meter" (ended by '=') and the value "1".
    private struct Tokenizer(string text)
    {
        private int position;

        public string? Next(string delimiters)
        {
            while (position < text.Length && delimiters.Contains(text[position], StringComparison.Ordinal))
            {
                position++;
            }

            if (position >= text.Length)
            {
                return null;
            }

            int start = position;
            while (position < text.Length && !delimiters.Contains(text[position], StringComparison.Ordinal))
            {
                position++;
            }

            string token = text[start..position];

            // strtok_r consumes the one delimiter that ended the token.
            if (position < text.Length)
            {
                position++;
            }

            return token;
        }
    }
}

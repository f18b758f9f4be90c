using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FastPath.OpenFlow.Fields;

namespace FastPath.OpenFlow.Text;

/// <summary>Field values in Open vSwitch's flow syntax: integers, Ethernet and IP addresses, masks, flag names.</summary>
public static class FieldText
{
    private static readonly string[] TcpFlagNames = ["fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"];
    private static readonly string[] ExtHdrNames = ["nonext", "esp", "auth", "dest", "frag", "router", "hop", "unrep", "unseq"];

    /// <summary>Parses an unsigned integer in decimal or, with 0x, hexadecimal.</summary>
    public static bool TryParseInteger(ReadOnlySpan<char> text, out UInt128 value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            value = 0;
            return text.Length > 2 && text.Length <= 34 && UInt128.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        return UInt128.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses an integer that must fit <paramref name="bits"/> bits, for the option or action <paramref name="what"/>.</summary>
    public static ulong ParseInteger(string text, int bits, string what)
    {
        if (!TryParseInteger(text, out UInt128 v))
        {
            throw new FlowSyntaxException($"{text}: invalid number for {what}");
        }

        if (bits < 64 && v >> bits != 0 || v > ulong.MaxValue)
        {
            throw new FlowSyntaxException($"{text}: value too large for {what} ({bits} bits)");
        }

        return (ulong)v;
    }

    /// <summary>
    /// Parses <c>VALUE</c> or <c>VALUE/MASK</c> for <paramref name="field"/>. Without a mask the mask is every bit
    /// of the field. Fails on values wider than the field or bits the field cannot hold, and on masks for a
    /// field that is not maskable.
    /// </summary>
    public static (UInt128 Value, UInt128 Mask) ParseValue(OfField field, string text)
    {
        switch (field.Format)
        {
            case FieldFormat.Frag:
                return ParseFrag(text);
            case FieldFormat.TcpFlags when text.Length > 0 && text[0] is '+' or '-':
                return ParseFlags(field, text, TcpFlagNames);
            case FieldFormat.TcpFlags when text.Length > 0 && (char.IsAsciiLetter(text[0]) || text[0] == '['):
                return ParseFlagList(field, text, TcpFlagNames);
            case FieldFormat.Ipv6ExtHdr when text.Length > 0 && text[0] is '+' or '-':
                return ParseFlags(field, text, ExtHdrNames);
            case FieldFormat.Port:
                return (OfPorts.Parse(text, field.Name), field.FullMask);
        }

        int slash = text.IndexOf('/');
        string valueText = slash < 0 ? text : text[..slash];
        UInt128 value = ParseOne(field, valueText, text);
        UInt128 mask = field.FullMask;
        if (slash >= 0)
        {
            string maskText = text[(slash + 1)..];
            mask = field.Format switch
            {
                FieldFormat.Ipv4 or FieldFormat.Ipv6 when maskText.Length > 0 && maskText.All(char.IsAsciiDigit) => PrefixMask(field, maskText, text),
                _ => ParseOne(field, maskText, text),
            };
            if (!field.Maskable)
            {
                throw new FlowSyntaxException($"{text}: invalid mask for field {field.Name} (the field is not maskable)");
            }
        }

        if ((value & mask & ~field.ValueMask) != 0)
        {
            throw new FlowSyntaxException($"{text}: {valueText} is not a valid value for field {field.Name}");
        }

        return (value & mask, mask);
    }

    /// <summary>The field's value as flow syntax writes a set_field value or an exact match.</summary>
    public static string FormatValue(OfField field, UInt128 value) => field.Format switch
    {
        FieldFormat.Ethernet => FormatEthernet(value),
        FieldFormat.Ipv4 => FormatIpv4((uint)value),
        FieldFormat.Ipv6 => FormatIpv6(value),
        FieldFormat.Port => OfPorts.Format((uint)value),
        FieldFormat.Hex or FieldFormat.TcpFlags or FieldFormat.Ipv6ExtHdr => Hex(value),
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The field's value and mask as <c>ovs-ofctl</c> prints a match (no mask when exact).</summary>
    public static string FormatMasked(OfField field, UInt128 value, UInt128 mask)
    {
        bool exact = mask == field.ValueMask || mask == field.FullMask;
        switch (field.Format)
        {
            case FieldFormat.Ipv4:
                return exact ? FormatIpv4((uint)value)
                    : IsPrefix(mask, 32, out int p4) ? $"{FormatIpv4((uint)value)}/{p4}" : $"{FormatIpv4((uint)value)}/{FormatIpv4((uint)mask)}";
            case FieldFormat.Ipv6:
                return exact ? FormatIpv6(value)
                    : IsPrefix(mask, 128, out int p6) ? $"{FormatIpv6(value)}/{p6}" : $"{FormatIpv6(value)}/{FormatIpv6(mask)}";
            case FieldFormat.Ethernet:
                return exact ? FormatEthernet(value) : $"{FormatEthernet(value)}/{FormatEthernet(mask)}";
            case FieldFormat.TcpFlags:
                return FormatFlags(value, mask, field.ValueMask, TcpFlagNames);
            case FieldFormat.Ipv6ExtHdr:
                return FormatFlags(value, mask, field.ValueMask, ExtHdrNames);
            case FieldFormat.Frag:
                return FormatFrag(value, mask);
            default:
                return exact ? FormatValue(field, value) : $"{Hex(value)}/{Hex(mask)}";
        }
    }

    /// <summary>Whether <paramref name="mask"/> is a CIDR prefix of a <paramref name="bits"/>-bit address, and its length.</summary>
    private static bool IsPrefix(UInt128 mask, int bits, out int length)
    {
        length = (int)UInt128.PopCount(mask);
        UInt128 full = bits == 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;
        UInt128 expect = length == 0 ? 0 : (full >> (bits - length)) << (bits - length);
        return mask == expect;
    }

    /// <summary>Lower-case hexadecimal with 0x, except zero, which is "0" (C's %#x, as Open vSwitch prints field values).</summary>
    public static string Hex(UInt128 v) => v == 0 ? "0" : "0x" + v.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>An Ethernet address from its 48-bit number.</summary>
    public static string FormatEthernet(UInt128 v)
    {
        var sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--)
        {
            sb.Append(((byte)(v >> (8 * i))).ToString("x2", CultureInfo.InvariantCulture));
            if (i > 0)
            {
                sb.Append(':');
            }
        }

        return sb.ToString();
    }

    /// <summary>A dotted-quad IPv4 address from its number.</summary>
    public static string FormatIpv4(uint v) => $"{v >> 24}.{(v >> 16) & 0xff}.{(v >> 8) & 0xff}.{v & 0xff}";

    /// <summary>An IPv6 address from its number, in RFC 5952 form.</summary>
    public static string FormatIpv6(UInt128 v)
    {
        Span<byte> b = stackalloc byte[16];
        for (int i = 0; i < 16; i++)
        {
            b[i] = (byte)(v >> (8 * (15 - i)));
        }

        return new IPAddress(b).ToString();
    }

    private static UInt128 ParseOne(OfField field, string text, string whole)
    {
        switch (field.Format)
        {
            case FieldFormat.Ethernet:
                return TryParseEthernet(text, out UInt128 mac) ? mac : throw new FlowSyntaxException($"{whole}: invalid Ethernet address for {field.Name}");
            case FieldFormat.Ipv4:
                if (IPAddress.TryParse(text, out IPAddress? a4) && a4.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') == 3)
                {
                    byte[] b = a4.GetAddressBytes();
                    return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
                }

                throw new FlowSyntaxException($"{whole}: invalid IP address for {field.Name}");
            case FieldFormat.Ipv6:
                if (IPAddress.TryParse(text, out IPAddress? a6) && a6.AddressFamily == AddressFamily.InterNetworkV6 && a6.ScopeId == 0)
                {
                    UInt128 v = 0;
                    foreach (byte x in a6.GetAddressBytes())
                    {
                        v = (v << 8) | x;
                    }

                    return v;
                }

                throw new FlowSyntaxException($"{whole}: invalid IPv6 address for {field.Name}");
            default:
                if (!TryParseInteger(text, out UInt128 n))
                {
                    throw new FlowSyntaxException($"{whole}: invalid value for field {field.Name} (expected a number)");
                }

                if (n > field.FullMask)
                {
                    throw new FlowSyntaxException($"{whole}: value too large for {field.OxmLength}-byte field {field.Name}");
                }

                return n;
        }
    }

    private static UInt128 PrefixMask(OfField field, string text, string whole)
    {
        int bits = field.Bits;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int len) || len > bits)
        {
            throw new FlowSyntaxException($"{whole}: invalid prefix length for {field.Name} (0-{bits})");
        }

        return len == 0 ? 0 : (field.FullMask >> (bits - len)) << (bits - len);
    }

    /// <summary>Parses xx:xx:xx:xx:xx:xx.</summary>
    public static bool TryParseEthernet(string text, out UInt128 value)
    {
        value = 0;
        string[] parts = text.Split(':');
        if (parts.Length != 6)
        {
            return false;
        }

        foreach (string p in parts)
        {
            if (p.Length is < 1 or > 2 || !byte.TryParse(p, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte x))
            {
                return false;
            }

            value = (value << 8) | x;
        }

        return true;
    }

    private static (UInt128, UInt128) ParseFrag(string text) => text switch
    {
        "no" => (0, 1),
        "yes" => (1, 1),
        "first" => (1, 3),
        "later" => (3, 3),
        "not_later" => (0, 2),
        _ => throw new FlowSyntaxException($"{text}: unknown fragment type (valid types are \"no\", \"yes\", \"first\", \"later\", \"not_later\")"),
    };

    private static string FormatFrag(UInt128 value, UInt128 mask) => ((int)mask, (int)value) switch
    {
        (1, 0) => "no",
        (1, 1) => "yes",
        (3, 1) => "first",
        (3, 3) => "later",
        (2, 0) => "not_later",
        _ => $"{Hex(value)}/{Hex(mask)}",
    };

    private static (UInt128, UInt128) ParseFlags(OfField field, string text, string[] names)
    {
        UInt128 value = 0, mask = 0;
        int i = 0;
        while (i < text.Length)
        {
            char sign = text[i];
            if (sign is not ('+' or '-'))
            {
                throw new FlowSyntaxException($"{text}: {field.Name} flags must each start with + or -");
            }

            int j = i + 1;
            while (j < text.Length && text[j] is not ('+' or '-'))
            {
                j++;
            }

            string name = text[(i + 1)..j];
            UInt128 b = FlagBit(field, text, name, names);

            if ((mask & b) != 0)
            {
                throw new FlowSyntaxException($"{text}: {field.Name} flag \"{name}\" given twice");
            }

            mask |= b;
            if (sign == '+')
            {
                value |= b;
            }

            i = j;
        }

        return (value, mask);
    }

    /// <summary>name|name|...: exactly these flags set, every other one clear.</summary>
    private static (UInt128, UInt128) ParseFlagList(OfField field, string text, string[] names)
    {
        UInt128 value = 0;
        foreach (string name in text.Split('|'))
        {
            value |= FlagBit(field, text, name, names);
        }

        return (value, field.ValueMask);
    }

    /// <summary>
    /// The bit a flag name stands for: a known name, or, as Open vSwitch prints a bit that has none, its value in hex
    /// between brackets ("[200]").
    /// </summary>
    private static UInt128 FlagBit(OfField field, string text, string name, string[] names)
    {
        int bit = Array.IndexOf(names, name);
        if (bit >= 0)
        {
            return UInt128.One << bit;
        }

        if (name.Length > 2 && name[0] == '[' && name[^1] == ']'
            && UInt128.TryParse(name[1..^1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out UInt128 b)
            && UInt128.IsPow2(b) && (b & field.ValueMask) != 0)
        {
            return b;
        }

        throw new FlowSyntaxException($"{text}: unknown {field.Name} flag \"{name}\"");
    }

    private static string FormatFlags(UInt128 value, UInt128 mask, UInt128 all, string[] names)
    {
        var sb = new StringBuilder();
        bool exact = mask == all;
        for (int bit = 0; bit < 128; bit++)
        {
            UInt128 b = UInt128.One << bit;
            if ((mask & b) == 0)
            {
                continue;
            }

            string name = bit < names.Length ? names[bit] : $"[{b.ToString("x", CultureInfo.InvariantCulture)}]";
            if (exact)
            {
                if ((value & b) != 0)
                {
                    sb.Append(sb.Length > 0 ? "|" : string.Empty).Append(name);
                }
            }
            else
            {
                sb.Append((value & b) != 0 ? '+' : '-').Append(name);
            }
        }

        return exact && sb.Length == 0 ? "0" : sb.ToString();
    }
}

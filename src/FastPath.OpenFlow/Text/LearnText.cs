using System.Globalization;
using System.Text;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;

namespace FastPath.OpenFlow.Text;

/// <summary>
/// Open vSwitch's learn(...) in its flow syntax, parsed and printed as <c>ovs-ofctl</c> does: the options
/// (table, idle_timeout, hard_timeout, fin_idle_timeout, fin_hard_timeout, priority, cookie, send_flow_rem,
/// delete_learned, limit, result_dst), then the specs: <c>FIELD</c>, <c>FIELD=SRC</c>, <c>FIELD=VALUE</c>, <c>load:SRC-&gt;DST</c>,
/// <c>load:VALUE-&gt;DST</c> and <c>output:SRC</c>.
/// </summary>
internal static class LearnText
{
    /// <summary>Parses the text inside <c>learn(...)</c>.</summary>
    public static LearnAction Parse(string arg, string token)
    {
        var specs = new List<LearnSpec>();
        var learn = new LearnAction(specs);
        foreach (string part in TopLevelSplit.Split(arg, token))
        {
            int sep = part.IndexOfAny(['=', ':']);
            string name = sep < 0 ? part : part[..sep];
            string value = sep < 0 ? string.Empty : part[(sep + 1)..];
            switch (name)
            {
                case "table":
                    learn = learn with { Table = byte.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out byte t) && t != 0xff ? t : throw new FlowSyntaxException($"{value}: table id 255 not valid for `learn' action") };
                    break;
                case "priority":
                    learn = learn with { Priority = (ushort)FieldText.ParseInteger(value, 16, name) };
                    break;
                case "idle_timeout":
                    learn = learn with { IdleTimeout = (ushort)FieldText.ParseInteger(value, 16, name) };
                    break;
                case "hard_timeout":
                    learn = learn with { HardTimeout = (ushort)FieldText.ParseInteger(value, 16, name) };
                    break;
                case "fin_idle_timeout":
                    learn = learn with { FinIdleTimeout = (ushort)FieldText.ParseInteger(value, 16, name) };
                    break;
                case "fin_hard_timeout":
                    learn = learn with { FinHardTimeout = (ushort)FieldText.ParseInteger(value, 16, name) };
                    break;
                case "cookie":
                    learn = learn with { Cookie = FieldText.ParseInteger(value, 64, name) };
                    break;
                case "send_flow_rem":
                    learn = learn with { Flags = learn.Flags | LearnFlags.SendFlowRem };
                    break;
                case "delete_learned":
                    learn = learn with { Flags = learn.Flags | LearnFlags.DeleteLearned };
                    break;
                case "limit":
                    learn = learn with { Limit = AtoI(value) };
                    break;
                case "result_dst":
                    var (result, resultOffset, resultBits) = ActionText.ParseSubfield(value, value);
                    if (resultBits != 1)
                    {
                        throw new FlowSyntaxException("result_dst in 'learn' action must be a single bit");
                    }

                    if (!result.Writable)
                    {
                        throw new FlowSyntaxException($"{value} is read-only");
                    }

                    learn = learn with { ResultDestination = result, ResultOffset = resultOffset };
                    break;
                default:
                    specs.Add(ParseSpec(name, value, token));
                    break;
            }
        }

        return learn;
    }

    /// <summary>
    /// limit='s number as ovs-ofctl reads it, with C's atoi: leading digits after an optional sign, nothing else
    /// (limit=0x10 is 0, limit=-1 is 4294967295).
    /// </summary>
    private static uint AtoI(string text)
    {
        ReadOnlySpan<char> t = text.AsSpan().TrimStart();
        bool negative = t.Length > 0 && t[0] == '-';
        if (t.Length > 0 && t[0] is '-' or '+')
        {
            t = t[1..];
        }

        long n = 0;
        foreach (char c in t)
        {
            if (c is < '0' or > '9')
            {
                break;
            }

            n = n < long.MaxValue / 10 ? (n * 10) + (c - '0') : long.MaxValue;
        }

        return unchecked((uint)(negative ? -n : n));
    }

    private static LearnSpec ParseSpec(string name, string value, string token)
    {
        if (name == "load")
        {
            int arrow = value.IndexOf("->", StringComparison.Ordinal);
            if (arrow <= 0)
            {
                throw new FlowSyntaxException(arrow == 0 ? $"load: missing source before `->' in `{value}'" : $"load: missing `->' in `{value}'");
            }

            var (dst, dstOfs, dstBits) = Subfield(value[(arrow + 2)..], token);
            if (!dst.Writable)
            {
                throw new FlowSyntaxException($"{token}: {dst.Name} is read-only");
            }

            if (FieldText.TryParseInteger(value.AsSpan(0, arrow), out UInt128 imm))
            {
                return new LearnSpec(LearnSpecKind.Load, dstBits, null, 0, imm & FieldHeadersOnes(dstBits), dst, dstOfs);
            }

            var (src, srcOfs, srcBits) = Subfield(value[..arrow], token);
            return srcBits == dstBits ? new LearnSpec(LearnSpecKind.Load, srcBits, src, srcOfs, 0, dst, dstOfs)
                : throw new FlowSyntaxException($"{token}: source and destination widths differ ({srcBits} and {dstBits} bits)");
        }

        if (name == "output")
        {
            var (src, srcOfs, srcBits) = Subfield(value, token);
            return new LearnSpec(LearnSpecKind.Output, srcBits, src, srcOfs, 0, null, 0);
        }

        var (field, ofs, bits) = TrySubfield(name) ?? throw new FlowSyntaxException($"{token}: unknown keyword {name}");
        if (value.Length == 0)
        {
            return new LearnSpec(LearnSpecKind.Match, bits, field, ofs, 0, field, ofs);
        }

        if (TrySubfield(value) is var (src2, srcOfs2, srcBits2))
        {
            return srcBits2 == bits ? new LearnSpec(LearnSpecKind.Match, bits, src2, srcOfs2, 0, field, ofs)
                : throw new FlowSyntaxException($"{token}: bit widths of {name} ({bits}) and {value} ({srcBits2}) differ");
        }

        UInt128 v;
        if (ofs == 0 && bits == Width(field))
        {
            try
            {
                (v, _) = FieldText.ParseValue(field, value);
            }
            catch (FlowSyntaxException e)
            {
                throw new FlowSyntaxException($"{token}: {name} value {value} cannot be parsed as a subfield or an immediate value ({e.Message})");
            }

            if (field == OfFields.InPort && v >= OfPorts.InPort)
            {
                v &= 0xffff; // NXM_OF_IN_PORT's 16-bit reserved ports
            }
        }
        else if (!FieldText.TryParseInteger(value, out v) || v > FieldHeadersOnes(bits))
        {
            throw new FlowSyntaxException($"{token}: value {value} does not fit into {bits} bits");
        }

        return new LearnSpec(LearnSpecKind.Match, bits, null, 0, v, field, ofs);
    }

    /// <summary>
    /// Open vSwitch's learn_check: every field read needs its prerequisites in the rule's match (as the actions
    /// before leave it), every field matched or loaded in the learned rule needs them among the constants matched
    /// before it. Throws <see cref="FlowSyntaxException"/> (OFPBAC_MATCH_INCONSISTENT on the wire).
    /// </summary>
    public static void Validate(LearnAction learn, in PipelineMatch match)
    {
        if (learn.ResultDestination is { } result && !Prerequisites.IsSatisfied(result.Prerequisite, match))
        {
            throw new FlowSyntaxException($"learn: result_dst {result.Name} lacks correct prerequisites: needs {Prerequisites.Describe(result.Prerequisite)}");
        }

        PipelineMatch learned = PipelineMatch.Any;
        foreach (LearnSpec spec in learn.Specs)
        {
            if (spec.Source is { } src && !Prerequisites.IsSatisfied(src.Prerequisite, match))
            {
                throw new FlowSyntaxException($"learn: source field {src.Name} lacks correct prerequisites: needs {Prerequisites.Describe(src.Prerequisite)}");
            }

            if (spec.Destination is not { } dst)
            {
                continue;
            }

            if (!Prerequisites.IsSatisfied(dst.Prerequisite, learned))
            {
                throw new FlowSyntaxException($"learn: destination field {dst.Name} lacks correct prerequisites: needs {Prerequisites.Describe(dst.Prerequisite)}");
            }

            if (spec.Kind == LearnSpecKind.Match && spec.IsImmediate && dst != OfFields.InPort)
            {
                UInt128 ones = FieldHeadersOnes(spec.Bits) << spec.DestinationOffset;
                (UInt128 v, UInt128 m) = dst.Get(learned);
                dst.Set(ref learned, (v & ~ones) | ((spec.Immediate << spec.DestinationOffset) & ones), m | ones);
            }
        }
    }

    /// <summary>learn(...) as <c>ovs-ofctl</c> prints it.</summary>
    public static string Format(LearnAction l)
    {
        var s = new StringBuilder("learn(table=");
        s.Append(l.Table.ToString(CultureInfo.InvariantCulture));
        void Opt(bool on, string text)
        {
            if (on)
            {
                s.Append(',').Append(text);
            }
        }

        Opt(l.IdleTimeout != 0, string.Create(CultureInfo.InvariantCulture, $"idle_timeout={l.IdleTimeout}"));
        Opt(l.HardTimeout != 0, string.Create(CultureInfo.InvariantCulture, $"hard_timeout={l.HardTimeout}"));
        Opt(l.FinIdleTimeout != 0, string.Create(CultureInfo.InvariantCulture, $"fin_idle_timeout={l.FinIdleTimeout}"));
        Opt(l.FinHardTimeout != 0, string.Create(CultureInfo.InvariantCulture, $"fin_hard_timeout={l.FinHardTimeout}"));
        Opt(l.Priority != 0x8000, string.Create(CultureInfo.InvariantCulture, $"priority={l.Priority}"));
        Opt((l.Flags & LearnFlags.SendFlowRem) != 0, "send_flow_rem");
        Opt((l.Flags & LearnFlags.DeleteLearned) != 0, "delete_learned");
        Opt(l.Cookie != 0, $"cookie=0x{l.Cookie:x}");
        Opt(l.Limit != 0, string.Create(CultureInfo.InvariantCulture, $"limit={l.Limit}"));
        Opt(l.ResultDestination is not null, l.ResultDestination is { } r ? "result_dst=" + ActionText.Subfield(r, l.ResultOffset, 1) : string.Empty);
        foreach (LearnSpec spec in l.Specs)
        {
            s.Append(',').Append(FormatSpec(spec));
        }

        return s.Append(')').ToString();
    }

    private static string FormatSpec(LearnSpec spec)
    {
        switch (spec.Kind)
        {
            case LearnSpecKind.Match when spec.Source is null:
                OfField d = spec.Destination!;
                if (spec.DestinationOffset == 0 && spec.Bits == Width(d))
                {
                    UInt128 v = d == OfFields.InPort && spec.Immediate >= 0xfff8 ? 0xffff0000 | spec.Immediate : spec.Immediate;
                    return $"{d.Name}={FieldText.FormatValue(d, v)}";
                }

                return $"{ActionText.Subfield(d, spec.DestinationOffset, spec.Bits)}={FieldText.Hex(spec.Immediate)}";
            case LearnSpecKind.Match:
                string dst = ActionText.Subfield(spec.Destination!, spec.DestinationOffset, spec.Bits);
                return spec.Source == spec.Destination && spec.SourceOffset == spec.DestinationOffset ? dst
                    : $"{dst}={ActionText.Subfield(spec.Source!, spec.SourceOffset, spec.Bits)}";
            case LearnSpecKind.Load:
                string from = spec.Source is null ? FieldText.Hex(spec.Immediate) : ActionText.Subfield(spec.Source, spec.SourceOffset, spec.Bits);
                return $"load:{from}->{ActionText.Subfield(spec.Destination!, spec.DestinationOffset, spec.Bits)}";
            default:
                return "output:" + ActionText.Subfield(spec.Source!, spec.SourceOffset, spec.Bits);
        }
    }

    /// <summary>FIELD, FIELD[], FIELD[N] or FIELD[A..B]; null if it names no field.</summary>
    private static (OfField Field, int Offset, int Bits)? TrySubfield(string text)
    {
        if (text.Contains('[', StringComparison.Ordinal))
        {
            try
            {
                return ActionText.ParseSubfield(text, text);
            }
            catch (FlowSyntaxException)
            {
                return null;
            }
        }

        OfField? f = OfFields.FindByNxmName(text) ?? OfFields.Find(text);
        return f is null ? null : (f, 0, Width(f));
    }

    private static (OfField Field, int Offset, int Bits) Subfield(string text, string token) =>
        TrySubfield(text) ?? throw new FlowSyntaxException($"{token}: {text} is not a field or subfield");

    // Open vSwitch's in_port is 16 bits.
    private static int Width(OfField f) => f == OfFields.InPort ? ActionText.NxmInPortBits : f.Bits;

    private static UInt128 FieldHeadersOnes(int bits) => bits >= 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;
}

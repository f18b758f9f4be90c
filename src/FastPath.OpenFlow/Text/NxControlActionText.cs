using System.Globalization;
using System.Text;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;

namespace FastPath.OpenFlow.Text;

/// <summary>
/// Open vSwitch's pipeline-control actions in its flow syntax, parsed and printed as <c>ovs-ofctl</c> does:
/// <c>resubmit:PORT</c> / <c>resubmit([PORT],[TABLE])</c>, <c>output:FIELD[A..B]</c>, <c>note:HEX</c> and <c>exit</c>.
/// </summary>
internal static class NxControlActionText
{
    /// <summary>The argument of resubmit (after <c>resubmit:</c> or inside <c>resubmit(...)</c>).</summary>
    public static ResubmitAction ParseResubmit(string? arg, string token)
    {
        string[] parts = (arg ?? string.Empty).Split(',');
        uint port = OfPorts.InPort;
        byte table = ResubmitAction.CurrentTable;
        if (parts[0].Length > 0)
        {
            try
            {
                port = OfPorts.Parse(parts[0], "resubmit");
            }
            catch (FlowSyntaxException)
            {
                throw new FlowSyntaxException($"{parts[0]}: resubmit to unknown port");
            }
        }

        if (parts.Length > 1 && parts[1].Length > 0)
        {
            table = byte.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out byte t) ? t
                : throw new FlowSyntaxException($"{parts[1]}: resubmit to unknown table");
        }

        if (parts.Length > 2 && parts[2].Length > 0)
        {
            throw new FlowSyntaxException(parts[2] == "ct" ? $"{token}: resubmit with ct needs connection tracking, which FastPath does not have" : $"{parts[2]}: unknown parameter");
        }

        if (parts.Length > 3)
        {
            throw new FlowSyntaxException($"{token}: resubmit takes at most a port, a table and ct");
        }

        if (port == OfPorts.InPort && table == ResubmitAction.CurrentTable)
        {
            throw new FlowSyntaxException("at least one \"in_port\" or \"table\" must be specified on resubmit");
        }

        return new ResubmitAction(port, table);
    }

    /// <summary>resubmit as <c>ovs-ofctl</c> prints it: <c>resubmit:PORT</c> for a port alone, else <c>resubmit(PORT,TABLE)</c> leaving out what is not named.</summary>
    public static string FormatResubmit(ResubmitAction r)
    {
        if (r.InPort != OfPorts.InPort && r.Table == ResubmitAction.CurrentTable)
        {
            return "resubmit:" + OfPorts.Format(r.InPort);
        }

        string port = r.InPort == OfPorts.InPort ? string.Empty : OfPorts.Format(r.InPort);
        string table = r.Table == ResubmitAction.CurrentTable ? string.Empty : r.Table.ToString(CultureInfo.InvariantCulture);
        return $"resubmit({port},{table})";
    }

    /// <summary>output:FIELD[A..B] (sends at most 65535 bytes to a controller, as Open vSwitch's parser sets).</summary>
    public static OutputRegAction ParseOutputReg(string arg, string token)
    {
        var (field, start, bits) = ActionText.ParseSubfield(arg, token);
        return bits <= 64 ? new OutputRegAction(field, start, bits, OutputAction.NoBuffer)
            : throw new FlowSyntaxException($"{token}: output reads at most 64 bits");
    }

    /// <summary>output:FIELD[A..B] as <c>ovs-ofctl</c> prints it (max_len is not shown).</summary>
    public static string FormatOutputReg(OutputRegAction o) => "output:" + ActionText.Subfield(o.Source, o.Offset, o.Bits);

    /// <summary>note:HEX: pairs of hex digits, optionally separated by dots.</summary>
    public static NoteAction ParseNote(string? arg)
    {
        var bytes = new List<byte>();
        string text = arg ?? string.Empty;
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                i++;
                continue;
            }

            if (i + 2 > text.Length || !byte.TryParse(text.AsSpan(i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
            {
                throw new FlowSyntaxException("bad hex digit in `note' argument");
            }

            bytes.Add(b);
            i += 2;
        }

        return new NoteAction(bytes.ToArray());
    }

    /// <summary>note as <c>ovs-ofctl</c> prints it: every byte, padding included, as two hex digits, dot-separated.</summary>
    public static string FormatNote(NoteAction n)
    {
        var s = new StringBuilder("note:");
        for (int i = 0; i < n.Data.Length; i++)
        {
            if (i > 0)
            {
                s.Append('.');
            }

            s.Append(n.Data[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        return s.ToString();
    }
}

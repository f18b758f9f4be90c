using System.Globalization;
using FastPath.OpenFlow.Text;

namespace FastPath.OpenFlow.Fields;

/// <summary>OpenFlow 1.1+ port numbers (32 bits) and the reserved ports, with their flow-syntax names.</summary>
public static class OfPorts
{
    /// <summary>Highest ordinary port number (Open vSwitch keeps ports below OpenFlow 1.0's 0xff00).</summary>
    public const uint Max = 0xfeff;
    /// <summary>IN_PORT: send back out the input port.</summary>
    public const uint InPort = 0xfffffff8;
    /// <summary>TABLE: submit to the first table (packet-out only).</summary>
    public const uint Table = 0xfffffff9;
    /// <summary>NORMAL: the traditional L2/L3 switch.</summary>
    public const uint Normal = 0xfffffffa;
    /// <summary>FLOOD: every port but the input port and those with flooding disabled.</summary>
    public const uint Flood = 0xfffffffb;
    /// <summary>ALL: every port but the input port.</summary>
    public const uint All = 0xfffffffc;
    /// <summary>CONTROLLER: send to the controller as a packet-in.</summary>
    public const uint Controller = 0xfffffffd;
    /// <summary>LOCAL: the switch's local port.</summary>
    public const uint Local = 0xfffffffe;
    /// <summary>ANY: no port (wildcard in requests).</summary>
    public const uint Any = 0xffffffff;

    private static readonly (string Name, uint Port)[] Names =
    [
        ("IN_PORT", InPort), ("TABLE", Table), ("NORMAL", Normal), ("FLOOD", Flood), ("ALL", All),
        ("CONTROLLER", Controller), ("LOCAL", Local), ("ANY", Any), ("NONE", Any),
    ];

    /// <summary>The reserved port named <paramref name="name"/> (any case), if it is one.</summary>
    public static bool TryParseName(string name, out uint port)
    {
        foreach (var (n, p) in Names)
        {
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            {
                port = p;
                return true;
            }
        }

        port = 0;
        return false;
    }

    /// <summary>
    /// Parses a port: a reserved name, or a number. OpenFlow 1.0's 16-bit reserved numbers (0xfff8-0xffff) are
    /// taken as the matching reserved port, as Open vSwitch does; other numbers must be ordinary ports.
    /// </summary>
    public static uint Parse(string text, string what)
    {
        if (TryParseName(text, out uint port))
        {
            return port;
        }

        // Decimal only, as Open vSwitch: "0xfffe" is neither a number nor a port name there.
        if (!UInt128.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out UInt128 n) || n > uint.MaxValue)
        {
            throw new FlowSyntaxException($"{text}: invalid or unknown port for {what}");
        }

        uint v = (uint)n;
        if (v <= Max)
        {
            return v;
        }

        if (v is >= 0xfff8 and <= 0xffff)
        {
            return v + 0xffff0000u;
        }

        if (v >= InPort)
        {
            return v;
        }

        throw new FlowSyntaxException($"{text}: invalid or unknown port for {what} (ports are 0-{Max} or a reserved name)");
    }

    /// <summary>The port as flow syntax prints it: a reserved name in capitals, else the number.</summary>
    public static string Format(uint port)
    {
        foreach (var (n, p) in Names)
        {
            if (p == port)
            {
                return n;
            }
        }

        return port.ToString(CultureInfo.InvariantCulture);
    }
}

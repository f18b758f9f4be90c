using FastPath.OpenFlow.Fields;

namespace FastPath.OpenFlow.Wire.Ports;

/// <summary>OpenFlow 1.0's 16-bit port numbers and the 32-bit numbering (<see cref="OfPorts"/>) FastPath keeps.</summary>
public static class PortNumbers
{
    /// <summary>A 1.0 port number in 32-bit numbering: the reserved ports (0xff00 and up) move to 0xffffff00 and up.</summary>
    public static uint From10(ushort port) => port >= 0xff00 ? port + 0xffff0000u : port;

    /// <summary>A 32-bit port number as 1.0 writes it; a number 1.0 cannot express is OFPBRC_BAD_PORT.</summary>
    public static ushort To10(uint port)
    {
        if (port < 0xff00)
        {
            return (ushort)port;
        }

        if (port >= 0xffffff00)
        {
            return (ushort)(port - 0xffff0000u);
        }

        throw new OfErrorException(OfError.BadRequestBadPort, $"port {port} has no OpenFlow 1.0 number");
    }

    /// <summary>Reads a port number in <paramref name="version"/>'s width.</summary>
    public static uint Read(ref WireReader r, OpenFlowVersion version)
        => version == OpenFlowVersion.OF10 ? From10(r.U16()) : r.U32();

    /// <summary>Writes a port number in <paramref name="version"/>'s width.</summary>
    public static void Write(WireWriter w, uint port, OpenFlowVersion version)
    {
        if (version == OpenFlowVersion.OF10)
        {
            w.U16(To10(port));
        }
        else
        {
            w.U32(port);
        }
    }
}

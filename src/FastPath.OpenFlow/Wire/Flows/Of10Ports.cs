namespace FastPath.OpenFlow.Wire.Flows;

/// <summary>OpenFlow 1.0's 16-bit port numbers beside OpenFlow 1.1+'s 32-bit ones (the reserved ports 0xff00-0xffff are 0xffffff00-0xffffffff).</summary>
public static class Of10Ports
{
    /// <summary>The 32-bit port a 16-bit one names.</summary>
    public static uint ToOf11(ushort port) => port >= 0xff00 ? port + 0xffff0000u : port;

    /// <summary>The 16-bit port for a 32-bit one; throws <see cref="ArgumentException"/> for one OpenFlow 1.0 cannot name.</summary>
    public static ushort ToOf10(uint port) =>
        port >= 0xffffff00 ? (ushort)(port - 0xffff0000u)
        : port < 0xff00 ? (ushort)port
        : throw new ArgumentException($"port {port} has no OpenFlow 1.0 number", nameof(port));
}

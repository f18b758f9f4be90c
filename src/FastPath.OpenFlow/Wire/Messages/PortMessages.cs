using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Wire.Multipart;
using FastPath.OpenFlow.Wire.Ports;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_PORT_STATUS: a port was added, deleted or changed.</summary>
/// <param name="Reason">OFPPR_ADD (0), OFPPR_DELETE (1), OFPPR_MODIFY (2).</param>
/// <param name="Port">The port.</param>
public sealed record PortStatus(byte Reason, OfPortDesc Port) : OfMessage;

/// <summary>OFPT_PORT_MOD: change a port's configuration bits (under <paramref name="Mask"/>) and advertised features.</summary>
/// <param name="PortNo">The port.</param>
/// <param name="HwAddr">Its Ethernet address, which must match (OFPPMFC_BAD_HW_ADDR otherwise).</param>
/// <param name="Config">New OFPPC_* bits.</param>
/// <param name="Mask">Which bits of <paramref name="Config"/> to change.</param>
/// <param name="Advertise">Features to advertise (1.3 numbering); 0 leaves them.</param>
public sealed record PortMod(uint PortNo, ulong HwAddr, uint Config, uint Mask, uint Advertise) : OfMessage;

/// <summary>OFPMP_PORT_DESC request (OpenFlow 1.5 names one port or <see cref="OfPorts.Any"/>).</summary>
/// <param name="PortNo">The port asked for (1.5 only; all before).</param>
public sealed record PortDescRequest(uint PortNo = OfPorts.Any) : MultipartRequest;

/// <summary>OFPMP_PORT_DESC reply: every port's description.</summary>
/// <param name="Ports">The ports.</param>
public sealed record PortDescReply(IReadOnlyList<OfPortDesc> Ports) : MultipartReply, IMultipartListReply<PortDescReply, OfPortDesc>
{
    /// <inheritdoc/>
    public IReadOnlyList<OfPortDesc> Items => Ports;

    /// <inheritdoc/>
    public static PortDescReply Create(IReadOnlyList<OfPortDesc> items) => new(items);
}

/// <summary>OFPMP_PORT_STATS request.</summary>
/// <param name="PortNo">The port, or <see cref="OfPorts.Any"/> (1.0: OFPP_NONE) for all.</param>
public sealed record PortStatsRequest(uint PortNo) : MultipartRequest;

/// <summary>One port's counters (ofp_port_stats). A counter the port does not keep is all ones.</summary>
/// <param name="PortNo">The port.</param>
/// <param name="RxPackets">Packets received.</param>
/// <param name="TxPackets">Packets sent.</param>
/// <param name="RxBytes">Bytes received.</param>
/// <param name="TxBytes">Bytes sent.</param>
/// <param name="RxDropped">Received packets dropped.</param>
/// <param name="TxDropped">Packets dropped on transmit.</param>
/// <param name="RxErrors">Receive errors.</param>
/// <param name="TxErrors">Transmit errors.</param>
/// <param name="RxFrameErr">Frame alignment errors.</param>
/// <param name="RxOverErr">Overruns.</param>
/// <param name="RxCrcErr">CRC errors.</param>
/// <param name="Collisions">Collisions.</param>
/// <param name="DurationSec">1.3+: seconds the port has existed.</param>
/// <param name="DurationNsec">1.3+: and nanoseconds beyond.</param>
/// <param name="ExtraProperties">1.4+: the properties other than the ethernet one, as they were on the wire (Open vSwitch's experimenter statistics), written back unchanged.</param>
public sealed record PortStats(
    uint PortNo,
    ulong RxPackets,
    ulong TxPackets,
    ulong RxBytes,
    ulong TxBytes,
    ulong RxDropped,
    ulong TxDropped,
    ulong RxErrors,
    ulong TxErrors,
    ulong RxFrameErr,
    ulong RxOverErr,
    ulong RxCrcErr,
    ulong Collisions,
    uint DurationSec = 0,
    uint DurationNsec = 0,
    ReadOnlyMemory<byte> ExtraProperties = default);

/// <summary>OFPMP_PORT_STATS reply.</summary>
/// <param name="Stats">One entry per port.</param>
public sealed record PortStatsReply(IReadOnlyList<PortStats> Stats) : MultipartReply, IMultipartListReply<PortStatsReply, PortStats>
{
    /// <inheritdoc/>
    public IReadOnlyList<PortStats> Items => Stats;

    /// <inheritdoc/>
    public static PortStatsReply Create(IReadOnlyList<PortStats> items) => new(items);
}

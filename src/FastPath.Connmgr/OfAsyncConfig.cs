using FastPath.OpenFlow;

namespace FastPath.Connmgr;

/// <summary>
/// Which asynchronous messages a connection receives, per role: for each kind, a bit mask of reasons (bit N:
/// reason N) for a master or equal controller and one for a slave, as OFPT_SET_ASYNC carries them.
/// </summary>
/// <param name="MasterPacketIn">Packet-in reasons a master or equal controller receives.</param>
/// <param name="SlavePacketIn">Packet-in reasons a slave receives.</param>
/// <param name="MasterPortStatus">Port-status reasons a master or equal controller receives.</param>
/// <param name="SlavePortStatus">Port-status reasons a slave receives.</param>
/// <param name="MasterFlowRemoved">Flow-removed reasons a master or equal controller receives.</param>
/// <param name="SlaveFlowRemoved">Flow-removed reasons a slave receives.</param>
public sealed record OfAsyncConfig(
    uint MasterPacketIn,
    uint SlavePacketIn,
    uint MasterPortStatus,
    uint SlavePortStatus,
    uint MasterFlowRemoved,
    uint SlaveFlowRemoved)
{
    /// <summary>
    /// The configuration a new connection starts with (OpenFlow 1.3 §6.1.1, as Open vSwitch's
    /// ofputil_async_cfg_default): a master or equal controller gets packet-ins for every reason but
    /// OFPR_INVALID_TTL, every port-status and every flow-removed of its version; a slave only port-status.
    /// </summary>
    public static OfAsyncConfig Default(OpenFlowVersion version)
    {
        const uint packetIn = 0b111011;
        const uint portStatus = 0b111;
        uint flowRemoved = version switch
        {
            OpenFlowVersion.OF10 => 0b111,
            OpenFlowVersion.OF13 => 0b1111,
            _ => 0b111111,
        };
        return new OfAsyncConfig(packetIn, 0, portStatus, portStatus, flowRemoved, 0);
    }

    /// <summary>Whether a connection of <paramref name="role"/> receives <paramref name="kind"/> for <paramref name="reason"/>.</summary>
    public bool Allows(OfAsyncKind kind, OfControllerRole role, int reason)
    {
        if (reason is < 0 or > 31)
        {
            return false;
        }

        bool slave = role == OfControllerRole.Slave;
        uint mask = kind switch
        {
            OfAsyncKind.PacketIn => slave ? SlavePacketIn : MasterPacketIn,
            OfAsyncKind.PortStatus => slave ? SlavePortStatus : MasterPortStatus,
            OfAsyncKind.FlowRemoved => slave ? SlaveFlowRemoved : MasterFlowRemoved,
            _ => 0,
        };
        return (mask & (1u << reason)) != 0;
    }
}

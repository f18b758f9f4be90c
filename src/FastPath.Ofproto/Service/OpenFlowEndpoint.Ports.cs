using FastPath.Connmgr;
using FastPath.Datapath.Ports;
using FastPath.Ofproto.Bridge;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Ports;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;
using FastPath.OpenFlow.Wire.Ports;

namespace FastPath.Ofproto.Service;

/// <summary>Ports: descriptions, statistics, port-mod and port-status.</summary>
public sealed partial class OpenFlowEndpoint
{
    // The settings a port-mod may change (OFPPC_* of 1.3 plus 1.0's NO_FLOOD, which Open vSwitch keeps).
    private const OfPortConfig ModifiableConfig =
        OfPortConfig.PortDown | OfPortConfig.NoRecv | OfPortConfig.NoFwd | OfPortConfig.NoPacketIn | OfPortConfig.NoFlood;

    /// <summary>Port-status messages queued to connections.</summary>
    public long PortStatusSent { get; private set; }

    private bool DispatchPorts(OfConnection c, OfRequest request)
    {
        uint xid = request.Xid;
        switch (request.Message)
        {
            case PortDescRequest d:
                c.Send(new PortDescReply([.. Ports.Descriptions.Where(p => d.PortNo == OfPorts.Any || p.PortNo == d.PortNo)]), xid);
                return true;
            case PortStatsRequest s:
                if (s.PortNo != OfPorts.Any && Ports.Find(s.PortNo) is null)
                {
                    throw new OfErrorException(OfError.BadRequestBadPort, $"no port {OfPorts.Format(s.PortNo)}");
                }

                c.Send(new PortStatsReply([.. Ports.Descriptions.Where(p => s.PortNo == OfPorts.Any || p.PortNo == s.PortNo).Select(StatsOf)]), xid);
                return true;
            case PortMod m:
                ModifyPort(c, m);
                return true;
            default:
                return false;
        }
    }

    private void ModifyPort(OfConnection c, PortMod m)
    {
        RequireNotSlave(c);
        OfPortDesc port = Ports.Find(m.PortNo) ?? throw new OfErrorException(OfError.PortModFailedBadPort, $"no port {OfPorts.Format(m.PortNo)}");
        if (m.HwAddr != port.HwAddr)
        {
            throw new OfErrorException(OfError.PortModFailedBadHwAddr, $"port {m.PortNo} has another hardware address");
        }

        var mask = (OfPortConfig)m.Mask & ModifiableConfig;
        Ports.Configure(m.PortNo, (OfPortConfig)m.Config, mask);
    }

    // No FastPath port counts frame, overrun or CRC errors or collisions: OpenFlow's "not supported" is all-ones.
    private const ulong NotCounted = ulong.MaxValue;

    private PortStats StatsOf(OfPortDesc port)
    {
        NetdevStats s = Ports.Device(port.PortNo)?.GetStats() ?? default;
        return new PortStats(
            port.PortNo,
            (ulong)s.RxPackets,
            (ulong)s.TxPackets,
            (ulong)s.RxBytes,
            (ulong)s.TxBytes,
            (ulong)s.RxDropped,
            (ulong)s.TxDropped,
            (ulong)s.RxErrors,
            (ulong)s.TxErrors,
            NotCounted,
            NotCounted,
            NotCounted,
            NotCounted);
    }

    // Called on the ofproto thread by the port table: every connection that wants port-status hears of it.
    private void PortChanged(OfPortDesc port, PortChange change)
    {
        var message = new PortStatus((byte)change, port);
        foreach (OfConnection c in connections)
        {
            if (c.SendAsyncMessage(OfAsyncKind.PortStatus, (int)change, message))
            {
                PortStatusSent++;
            }
        }
    }
}

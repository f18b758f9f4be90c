using FastPath.Connmgr;
using FastPath.Ofproto.Bridge;
using FastPath.OpenFlow.Ports;

namespace FastPath.Ofproto.Service;

/// <summary>Ports: descriptions, statistics, port-mod and port-status.</summary>
public sealed partial class OpenFlowEndpoint
{
    /// <summary>Port-status messages queued to connections.</summary>
    public long PortStatusSent { get; private set; }

    // Called on the ofproto thread by the port table.
    private void PortChanged(OfPortDescription port, PortChange change)
    {
        PortStatusSent += 0;
    }
}

using FastPath.Connmgr;
using FastPath.Ofproto.Service;

namespace FastPath.Ofproto.Bridge;

/// <summary>How a hosted bridge runs: its slow path, what it says about itself over OpenFlow, and its fail mode.</summary>
public sealed record BridgeHostOptions
{
    /// <summary>The slow path's options.</summary>
    public OfBridgeOptions Bridge { get; init; } = new();

    /// <summary>The OpenFlow service's options (datapath id, descriptions).</summary>
    public OpenFlowEndpointOptions OpenFlow { get; init; } = new();

    /// <summary>What the bridge does without its controllers (Open vSwitch's default is standalone).</summary>
    public OfFailMode FailMode { get; init; } = OfFailMode.Standalone;
}

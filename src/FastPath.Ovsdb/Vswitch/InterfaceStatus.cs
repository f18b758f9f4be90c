namespace FastPath.Ovsdb.Vswitch;

/// <summary>What the daemon reports about an interface (the Interface columns ovs-vswitchd writes). Every property is
/// written; null empties the column (as ovs-vswitchd clears error once the interface works).</summary>
public sealed record InterfaceStatus
{
    /// <summary>ofport: the OpenFlow port number, or -1 when the interface could not be added.</summary>
    public long? Ofport { get; init; }

    /// <summary>error: why the interface could not be added or configured, or null.</summary>
    public string? Error { get; init; }

    /// <summary>link_state: "up" or "down".</summary>
    public string? LinkState { get; init; }

    /// <summary>admin_state: "up" or "down".</summary>
    public string? AdminState { get; init; }

    /// <summary>mac_in_use: the interface's MAC address (xx:xx:xx:xx:xx:xx).</summary>
    public string? MacInUse { get; init; }

    /// <summary>mtu: the MTU in use.</summary>
    public long? Mtu { get; init; }

    /// <summary>link_speed in bit/s.</summary>
    public long? LinkSpeed { get; init; }

    /// <summary>ifindex: the kernel's interface index.</summary>
    public long? Ifindex { get; init; }

    /// <summary>status: driver_name, n_rxq, xdp-mode-in-use, …; null writes an empty map.</summary>
    public IReadOnlyDictionary<string, string>? Status { get; init; }
}

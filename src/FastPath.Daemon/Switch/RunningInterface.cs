using FastPath.Datapath.Ports;
using FastPath.Ovsdb.Vswitch;

namespace FastPath.Daemon.Switch;

/// <summary>One configured interface as it runs: the row it came from, its open device and OpenFlow port, or why it could not open.</summary>
public sealed class RunningInterface(InterfaceConfig config, INetdev? device, uint? ofport, string? error)
{
    /// <summary>The Interface row this was built from.</summary>
    public InterfaceConfig Config { get; } = config;

    /// <summary>The open device; null when it failed.</summary>
    public INetdev? Device { get; } = device;

    /// <summary>The OpenFlow port number; null when the interface failed.</summary>
    public uint? OfPort { get; } = ofport;

    /// <summary>Why the interface could not be opened (its OVSDB <c>error</c>); null when it runs.</summary>
    public string? Error { get; } = error;

    /// <summary>The port's Ethernet address, when known.</summary>
    public ulong? HwAddr { get; init; }

    /// <summary>True when <paramref name="other"/> needs no new device: same type, options and requested port number.</summary>
    public bool Matches(InterfaceConfig other) =>
        other.Type == Config.Type && other.OfportRequest == Config.OfportRequest &&
        other.Options.Count == Config.Options.Count && other.Options.All(kv => Config.Options.TryGetValue(kv.Key, out string? v) && v == kv.Value);
}

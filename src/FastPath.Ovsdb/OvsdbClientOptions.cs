using FastPath.Ovsdb.Rpc;

namespace FastPath.Ovsdb;

/// <summary>How an <see cref="OvsdbClient"/> connects and how long it waits.</summary>
public sealed record OvsdbClientOptions
{
    /// <summary>The connection's limits and inactivity probe.</summary>
    public JsonRpcOptions Rpc { get; init; } = new();

    /// <summary>How long a connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

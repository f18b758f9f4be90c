using Microsoft.Extensions.Logging;

namespace FastPath.Ovsdb.Replication;

/// <summary>How an <see cref="OvsdbReplica"/> connects, reconnects and reports.</summary>
public sealed record OvsdbReplicaOptions
{
    /// <summary>The connection's options (timeouts, inactivity probe).</summary>
    public OvsdbClientOptions Client { get; init; } = new();

    /// <summary>The first wait before reconnecting (Open vSwitch's reconnect: 1 s).</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The wait doubles per failed attempt up to this (Open vSwitch's reconnect: 8 s).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Columns ("Table.column") whose changes alone raise no <see cref="OvsdbReplica.Changed"/> (as Open vSwitch's
    /// IDL "omit alert"): the replica still holds their values. For columns the client writes itself.</summary>
    public IReadOnlySet<string> OmitAlert { get; init; } = new HashSet<string>();

    /// <summary>Where connection losses and handler failures are reported.</summary>
    public ILogger? Logger { get; init; }
}

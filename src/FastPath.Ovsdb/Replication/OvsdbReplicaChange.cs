using System.Collections.Immutable;

namespace FastPath.Ovsdb.Replication;

/// <summary>What one batch changed: one per "update" notification, and one per (re)synchronisation after connecting,
/// which compares the server's contents with what the replica held (rows deleted while disconnected appear here as
/// deletes).</summary>
/// <param name="Snapshot">The replica after the batch.</param>
/// <param name="Tables">The changed rows per table (only tables with a change).</param>
/// <param name="IsResync">True for the batch that followed a (re)connection.</param>
public sealed record OvsdbReplicaChange(OvsdbReplicaSnapshot Snapshot, ImmutableSortedDictionary<string, ImmutableDictionary<Guid, OvsdbRowChange>> Tables, bool IsResync)
{
    /// <summary>The changed rows of <paramref name="table"/>.</summary>
    public ImmutableDictionary<Guid, OvsdbRowChange> Rows(string table) =>
        Tables.TryGetValue(table, out ImmutableDictionary<Guid, OvsdbRowChange>? rows) ? rows : ImmutableDictionary<Guid, OvsdbRowChange>.Empty;

    /// <summary>True when no row changed.</summary>
    public bool IsEmpty => Tables.IsEmpty;
}

using System.Collections.Immutable;
using FastPath.Ovsdb.Data;
using FastPath.Ovsdb.Schema;

namespace FastPath.Ovsdb.Replication;

/// <summary>The replica's contents at one moment: immutable, so it can be read on any thread while the replica moves on.</summary>
/// <param name="Schema">The server's schema (null before the first connection).</param>
/// <param name="Tables">Every monitored table's rows by UUID (each table present, possibly empty, once synced).</param>
/// <param name="Version">Increases with every batch applied.</param>
/// <param name="IsSynced">True while connected and up to date; false before the first sync and while reconnecting (the
/// contents are then the last known ones).</param>
public sealed record OvsdbReplicaSnapshot(OvsdbSchema? Schema, ImmutableSortedDictionary<string, ImmutableDictionary<Guid, OvsdbRow>> Tables, long Version, bool IsSynced)
{
    /// <summary>The empty replica, before any connection.</summary>
    public static OvsdbReplicaSnapshot Empty { get; } = new(null, ImmutableSortedDictionary.Create<string, ImmutableDictionary<Guid, OvsdbRow>>(StringComparer.Ordinal), 0, false);

    /// <summary>The rows of <paramref name="table"/> (none when it is not monitored).</summary>
    public ImmutableDictionary<Guid, OvsdbRow> Rows(string table) =>
        Tables.TryGetValue(table, out ImmutableDictionary<Guid, OvsdbRow>? rows) ? rows : ImmutableDictionary<Guid, OvsdbRow>.Empty;

    /// <summary>The row <paramref name="uuid"/> of <paramref name="table"/>, or null.</summary>
    public OvsdbRow? Row(string table, Guid uuid) => Rows(table).TryGetValue(uuid, out OvsdbRow? row) ? row : null;
}

using FastPath.Datapath.Meters;

namespace FastPath.Ofproto.Meters;

/// <summary>
/// Datapath meters in a <see cref="MeterTable"/>: the one PMDs made without a datapath run their meter actions
/// through, or one of their own for a slow path that translates without a datapath (tests, offline traces), where
/// the table's counters still answer meter statistics.
/// </summary>
public sealed class MeterTableMeters(MeterTable table) : IDatapathMeters
{
    /// <summary>The table.</summary>
    public MeterTable Table { get; } = table;

    /// <inheritdoc/>
    public int Capacity => MeterTable.MaxMeters;

    /// <inheritdoc/>
    public void Set(uint meterId, MeterConfig config) => Table.Set(meterId, config);

    /// <inheritdoc/>
    public MeterStats? Delete(uint meterId) => Table.Delete(meterId);

    /// <inheritdoc/>
    public MeterStats? GetStats(uint meterId) => Table.TryGetStats(meterId, out MeterStats s) ? s : null;

    /// <inheritdoc/>
    public bool Apply(uint meterId, int frameBytes) => Table.Apply(meterId, frameBytes);
}

using FastPath.Datapath;
using FastPath.Datapath.Meters;

namespace FastPath.Ofproto.Meters;

/// <summary>The meters of a <see cref="NetdevDatapath"/>, shared by all its PMDs.</summary>
public sealed class NetdevDatapathMeters(NetdevDatapath datapath) : IDatapathMeters
{
    /// <inheritdoc/>
    public int Capacity => MeterTable.MaxMeters;

    /// <inheritdoc/>
    public void Set(uint meterId, MeterConfig config) => datapath.SetMeter(meterId, config);

    /// <inheritdoc/>
    public MeterStats? Delete(uint meterId) => datapath.DeleteMeter(meterId);

    /// <inheritdoc/>
    public MeterStats? GetStats(uint meterId) => datapath.GetMeterStats(meterId);

    /// <inheritdoc/>
    public bool Apply(uint meterId, int frameBytes) => datapath.ApplyMeter(meterId, frameBytes);
}

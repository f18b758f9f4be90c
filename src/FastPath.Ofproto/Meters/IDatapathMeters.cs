using FastPath.Datapath.Meters;

namespace FastPath.Ofproto.Meters;

/// <summary>
/// The datapath meters behind OpenFlow meters: what <see cref="OfMeterTable"/> creates, changes, deletes and
/// reads. A datapath (<see cref="NetdevDatapathMeters"/>) or a bare meter table (<see cref="MeterTableMeters"/>,
/// for translations without a datapath) provides them.
/// </summary>
public interface IDatapathMeters
{
    /// <summary>Datapath meter ids are below this.</summary>
    int Capacity { get; }

    /// <summary>
    /// Installs datapath meter <paramref name="meterId"/>, or replaces its configuration (the megaflows whose
    /// actions name it meter by the new one from the next packet on).
    /// </summary>
    void Set(uint meterId, MeterConfig config);

    /// <summary>Removes datapath meter <paramref name="meterId"/>; its last counters, or null if there was none.</summary>
    MeterStats? Delete(uint meterId);

    /// <summary>Datapath meter <paramref name="meterId"/>'s counters, or null if it is not installed.</summary>
    MeterStats? GetStats(uint meterId);

    /// <summary>
    /// Runs one packet of <paramref name="frameBytes"/> through datapath meter <paramref name="meterId"/> now, for
    /// the slow path (a packet-in under the controller meter); false: a drop band is exceeded.
    /// </summary>
    bool Apply(uint meterId, int frameBytes);
}

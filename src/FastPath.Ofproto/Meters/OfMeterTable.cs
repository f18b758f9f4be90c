using System.Diagnostics;
using FastPath.Datapath.Meters;
using FastPath.Ofproto.Tables;
using FastPath.OpenFlow.Meters;

namespace FastPath.Ofproto.Meters;

/// <summary>
/// The OpenFlow meters of a bridge and meter-mod semantics as Open vSwitch implements OpenFlow 1.3's: add,
/// modify, delete (one meter or all, with the rules that use them), the OFPMMFC errors, configuration and
/// statistics replies. The virtual meters are kept like the others: the controller meter limits packet-ins
/// (<see cref="AdmitPacketIn"/>); the slowpath meter limits nothing, since FastPath sends the slow path none of the
/// packets Open vSwitch meters with it (CFM, BFD, LACP, STP, LLDP). Each OpenFlow meter is enforced by a datapath meter, allocated from
/// <see cref="IDatapathMeters"/>, so OpenFlow ids use their whole range (1 to OFPM_MAX) whatever the datapath's.
/// Owned by the ofproto thread, as the <see cref="OfPipeline"/> whose rules use the meters.
/// </summary>
/// <remarks>
/// Adding or deleting a meter changes the pipeline's version, so every megaflow is re-translated (a delete also
/// takes its rules, which alone would); a modify does not: the datapath meter changes in place under the same
/// id, and the megaflows' meter actions name that id, so they meter by the new bands from the next packet on.
/// </remarks>
public sealed class OfMeterTable
{
    /// <summary>Most bands a meter may have (the datapath's limit).</summary>
    public const int MaxBands = MeterTable.MaxBands;

    private readonly OfPipeline pipeline;
    private readonly IDatapathMeters datapath;
    private readonly SortedDictionary<uint, OfMeter> meters = [];

    // Freed datapath ids are reused last-freed-last, so a megaflow still naming a deleted meter until the
    // revalidator's next pass is unlikely to meet a new meter under that id.
    private readonly Queue<uint> freed = new();
    private uint nextDatapathId;

    /// <summary>Meters for <paramref name="pipeline"/>'s rules, enforced by <paramref name="datapath"/>; makes the pipeline accept rules that use them.</summary>
    public OfMeterTable(OfPipeline pipeline, IDatapathMeters datapath)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(datapath);
        this.pipeline = pipeline;
        this.datapath = datapath;
        pipeline.MeterExists = Contains;
    }

    /// <summary>Most meters (the datapath's meter count).</summary>
    public int MaxMeters => datapath.Capacity;

    /// <summary>Meters installed.</summary>
    public int Count => meters.Count;

    /// <summary>Whether OpenFlow meter <paramref name="meterId"/> exists.</summary>
    public bool Contains(uint meterId) => meters.ContainsKey(meterId);

    /// <summary>The datapath meter enforcing OpenFlow meter <paramref name="meterId"/>, if it exists.</summary>
    public bool TryGetDatapathId(uint meterId, out uint datapathId)
    {
        bool found = meters.TryGetValue(meterId, out OfMeter? m);
        datapathId = found ? m!.DatapathId : 0;
        return found;
    }

    /// <summary>
    /// Applies <paramref name="mod"/> at <paramref name="nowTicks"/> (Stopwatch ticks). Returns the rules a
    /// delete removed with its meters (reason <see cref="FlowRemovedReason.MeterDelete"/>), for flow-removed messages.
    /// </summary>
    /// <exception cref="MeterModException">The meter-mod is refused; nothing changed.</exception>
    public List<RemovedRule> Apply(MeterMod mod, long nowTicks)
    {
        ArgumentNullException.ThrowIfNull(mod);
        OfMeterConfig m = mod.Meter;
        uint id = m.MeterId;

        // As Open vSwitch: the id and the band count are checked before the command.
        if (mod.Command != MeterModCommand.Delete)
        {
            if (id == 0 || (id > OfMeterIds.Max && id is not (OfMeterIds.SlowPath or OfMeterIds.Controller)))
            {
                throw new MeterModException(MeterModError.InvalidMeter, $"meter id {OfMeterIds.Format(id)} is not 1 to {OfMeterIds.Max}, slowpath or controller");
            }

            if (m.Bands.Count > MaxBands)
            {
                throw new MeterModException(MeterModError.OutOfBands, $"meter {id} has {m.Bands.Count} bands, more than {MaxBands}");
            }
        }

        switch (mod.Command)
        {
            case MeterModCommand.Add:
                Add(m, nowTicks);
                return [];
            case MeterModCommand.Modify:
                Modify(m);
                return [];
            case MeterModCommand.Delete:
                return Delete(id);
            default:
                throw new MeterModException(MeterModError.BadCommand, $"meter-mod command {(ushort)mod.Command} is not add, modify or delete");
        }
    }

    /// <summary>
    /// Runs a packet-in of <paramref name="frameBytes"/> (the whole frame) through the controller meter
    /// (<see cref="OfMeterIds.Controller"/>), if there is one; false: the meter drops it. Open vSwitch meters packets
    /// to the controller in its datapath (clone(meter, userspace)); FastPath meters them where the packet-in is
    /// made, with the same buckets and counters, so meter-stats reports them alike.
    /// </summary>
    public bool AdmitPacketIn(int frameBytes) =>
        !meters.TryGetValue(OfMeterIds.Controller, out OfMeter? m) || datapath.Apply(m.DatapathId, frameBytes);

    /// <summary>The configuration of meter <paramref name="meterId"/>, or of every meter by id (<see cref="OfMeterIds.All"/>); empty if there is none.</summary>
    public IReadOnlyList<OfMeterConfig> Configs(uint meterId = OfMeterIds.All) => Select(meterId).Select(m => m.Config).ToList();

    /// <summary>
    /// The statistics of meter <paramref name="meterId"/>, or of every meter by id (<see cref="OfMeterIds.All"/>), at
    /// <paramref name="nowTicks"/>: the rules that use it, and what its datapath meter counted since the last add or modify.
    /// </summary>
    public IReadOnlyList<OfMeterStats> Stats(uint meterId, long nowTicks)
    {
        List<OfMeter> selected = Select(meterId).ToList();
        var flows = selected.ToDictionary(m => m.Config.MeterId, _ => 0u);
        foreach (OfRule rule in pipeline.Rules)
        {
            if (rule.Spec.Instructions.Meter is uint used && flows.TryGetValue(used, out uint n))
            {
                flows[used] = n + 1;
            }
        }

        var result = new List<OfMeterStats>(selected.Count);
        foreach (OfMeter m in selected)
        {
            MeterStats? dp = datapath.GetStats(m.DatapathId);
            long age = Math.Max(0, nowTicks - m.CreatedTicks);
            long seconds = age / Stopwatch.Frequency;
            long nanos = (age % Stopwatch.Frequency) * 1_000_000_000 / Stopwatch.Frequency;
            var bands = new OfMeterBandStats[m.Config.Bands.Count];
            for (int i = 0; i < bands.Length; i++)
            {
                MeterBandStats b = dp is not null && i < dp.Bands.Count ? dp.Bands[i] : default;
                bands[i] = new OfMeterBandStats((ulong)b.Packets, (ulong)b.Bytes);
            }

            result.Add(new OfMeterStats(
                m.Config.MeterId, flows[m.Config.MeterId], (ulong)(dp?.Packets ?? 0), (ulong)(dp?.Bytes ?? 0),
                (uint)Math.Min(seconds, uint.MaxValue), (uint)nanos, bands));
        }

        return result;
    }

    private IEnumerable<OfMeter> Select(uint meterId) =>
        meterId == OfMeterIds.All ? meters.Values
        : meters.TryGetValue(meterId, out OfMeter? m) ? [m] : [];

    private void Add(OfMeterConfig m, long nowTicks)
    {
        if (meters.ContainsKey(m.MeterId))
        {
            throw new MeterModException(MeterModError.MeterExists, $"meter {m.MeterId} exists");
        }

        MeterConfig config = ToDatapath(m);
        uint dpId = AllocateDatapathId(m.MeterId);
        try
        {
            datapath.Set(dpId, config);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            freed.Enqueue(dpId);
            throw new MeterModException(MeterModError.Unknown, $"the datapath refused meter {m.MeterId}: {e.Message}");
        }

        meters.Add(m.MeterId, new OfMeter(Copy(m), dpId, nowTicks));
        pipeline.Invalidate();
    }

    private void Modify(OfMeterConfig m)
    {
        if (!meters.TryGetValue(m.MeterId, out OfMeter? old))
        {
            throw new MeterModException(MeterModError.UnknownMeter, $"no meter {m.MeterId} to modify");
        }

        MeterConfig config = ToDatapath(m);
        try
        {
            datapath.Set(old.DatapathId, config);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new MeterModException(MeterModError.Unknown, $"the datapath refused meter {m.MeterId}: {e.Message}");
        }

        // No pipeline version change: see the class remarks.
        meters[m.MeterId] = old with { Config = Copy(m) };
    }

    private List<RemovedRule> Delete(uint meterId)
    {
        // Deleting a meter that does not exist succeeds, as in Open vSwitch.
        List<OfMeter> gone = Select(meterId).ToList();
        if (gone.Count == 0)
        {
            return [];
        }

        var ids = gone.Select(m => m.Config.MeterId).ToHashSet();
        List<RemovedRule> removed = pipeline.RemoveWhere(
            r => r.Spec.Instructions.Meter is uint used && ids.Contains(used), FlowRemovedReason.MeterDelete);
        foreach (OfMeter m in gone)
        {
            meters.Remove(m.Config.MeterId);
            datapath.Delete(m.DatapathId);
            freed.Enqueue(m.DatapathId);
        }

        pipeline.Invalidate();
        return removed;
    }

    private uint AllocateDatapathId(uint meterId)
    {
        if (nextDatapathId < (uint)datapath.Capacity)
        {
            return nextDatapathId++;
        }

        return freed.TryDequeue(out uint id) ? id
            : throw new MeterModException(MeterModError.OutOfMeters, $"meter {meterId}: all {datapath.Capacity} datapath meters are in use");
    }

    // The checks Open vSwitch's dpif layer and userspace datapath make, in their order, as OpenFlow errors.
    private static MeterConfig ToDatapath(OfMeterConfig m)
    {
        const OfMeterFlags known = OfMeterFlags.Kbps | OfMeterFlags.Pktps | OfMeterFlags.Burst | OfMeterFlags.Stats;
        OfMeterFlags unit = m.Flags & (OfMeterFlags.Kbps | OfMeterFlags.Pktps);
        if (unit is not (OfMeterFlags.Kbps or OfMeterFlags.Pktps))
        {
            throw new MeterModException(MeterModError.BadFlags, $"meter {m.MeterId} needs exactly one of kbps and pktps");
        }

        if ((m.Flags & ~known) != 0)
        {
            throw new MeterModException(MeterModError.BadFlags, $"meter {m.MeterId}: unknown flags 0x{(ushort)(m.Flags & ~known):x}");
        }

        if (m.Bands.Count == 0)
        {
            throw new MeterModException(MeterModError.OutOfBands, $"meter {m.MeterId} has no band");
        }

        if (m.Bands.Any(b => b.Rate == 0))
        {
            throw new MeterModException(MeterModError.BadRate, $"meter {m.MeterId}: a band's rate must not be 0");
        }

        var bands = new MeterBand[m.Bands.Count];
        for (int i = 0; i < bands.Length; i++)
        {
            OfMeterBand b = m.Bands[i];
            if (b.Type != OfMeterBandType.Drop)
            {
                string type = b.Type == OfMeterBandType.DscpRemark ? "dscp_remark" : $"type {(ushort)b.Type}";
                throw new MeterModException(MeterModError.BadBand, $"meter {m.MeterId}: {type} bands are not supported (only drop)");
            }

            if (b.PrecLevel != 0)
            {
                throw new MeterModException(MeterModError.BadBandValue, $"meter {m.MeterId}: a drop band has no prec_level");
            }

            bands[i] = new MeterBand(MeterBandType.Drop, b.Rate, b.BurstSize);
        }

        return new MeterConfig((MeterFlags)(ushort)m.Flags, bands);
    }

    // The caller's list may change after the meter-mod: keep a copy.
    private static OfMeterConfig Copy(OfMeterConfig m) => m with { Bands = m.Bands.ToArray() };
}

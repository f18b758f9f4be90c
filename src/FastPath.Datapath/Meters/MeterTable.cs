using System.Runtime.CompilerServices;
using FastPath.Native;

namespace FastPath.Datapath.Meters;

/// <summary>
/// The meters of one datapath, shared by all its PMDs (a meter's rate is global, not per PMD), as Open
/// vSwitch's dpif-netdev meters: ids from 0 to <see cref="MaxMeters"/> - 1, drop bands in kbps or pktps.
/// </summary>
/// <remarks>
/// <see cref="Set"/>, <see cref="Delete"/> and <see cref="TryGetStats"/> are safe from any thread and
/// take a lock among themselves; <see cref="Apply(uint, int, ulong)"/>, the hot path, takes none and allocates nothing: it
/// reads the meter's slot once and works on that meter's buckets with atomics. A meter deleted while a
/// PMD is in <see cref="Apply(uint, int, ulong)"/> finishes that packet; later packets find no meter and pass, as Open
/// vSwitch lets packets through a meter id that is not (or no longer) installed.
/// Time is in ticks of a clock given at construction: the TSC for a datapath (the PMDs pass their
/// batch's TSC), any counter a test drives.
/// </remarks>
public sealed class MeterTable
{
    /// <summary>
    /// Meter ids are below this: 2^18, Open vSwitch's userspace datapath's MAX_METERS, which OpenFlow's meter features
    /// report as the switch's max_meter (a slot is a reference: the table costs 2 MiB).
    /// </summary>
    public const int MaxMeters = 1 << 18;

    /// <summary>Most bands a meter may have (as Open vSwitch's userspace datapath).</summary>
    public const int MaxBands = 8;

    private readonly Meter?[] meters = new Meter?[MaxMeters];
    private readonly ulong ticksPerSecond;
    private readonly Func<ulong> clock;
    private readonly Lock gate = new();

    /// <summary>A table timed by the CPU's time-stamp counter (<see cref="Cpu.ReadTsc"/>), the PMDs' clock.</summary>
    public MeterTable()
        : this(Cpu.TscHz, Cpu.ReadTsc)
    {
    }

    /// <summary>A table timed by <paramref name="clock"/>, which ticks <paramref name="ticksPerSecond"/> times a second.</summary>
    /// <remarks>
    /// <paramref name="clock"/> is read by <see cref="Set"/>, to start a meter's buckets, and by
    /// <see cref="Apply(uint, int)"/>; PMDs' packets bring their own time.
    /// </remarks>
    public MeterTable(ulong ticksPerSecond, Func<ulong> clock)
    {
        ArgumentOutOfRangeException.ThrowIfZero(ticksPerSecond);
        ArgumentNullException.ThrowIfNull(clock);
        this.ticksPerSecond = ticksPerSecond;
        this.clock = clock;
    }

    /// <summary>Clock ticks per second.</summary>
    public ulong TicksPerSecond => ticksPerSecond;

    /// <summary>
    /// Installs meter <paramref name="meterId"/>, or replaces it (new buckets, full; counters from zero, as
    /// Open vSwitch's datapath does).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is not below <see cref="MaxMeters"/>.</exception>
    /// <exception cref="ArgumentException">The flags or bands are not a valid meter.</exception>
    /// <exception cref="NotSupportedException">A band is not a drop band.</exception>
    public void Set(uint meterId, MeterConfig config)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(meterId, (uint)MaxMeters);
        ArgumentNullException.ThrowIfNull(config);
        Check(config);
        lock (gate)
        {
            var meter = new Meter(config, ticksPerSecond, (long)clock());
            Volatile.Write(ref meters[meterId], meter);
        }
    }

    /// <summary>Removes meter <paramref name="meterId"/>; its last counters, or null if there was none.</summary>
    public MeterStats? Delete(uint meterId)
    {
        if (meterId >= MaxMeters)
        {
            return null;
        }

        lock (gate)
        {
            Meter? old = Interlocked.Exchange(ref meters[meterId], null);
            return old?.Snapshot();
        }
    }

    /// <summary>The counters of meter <paramref name="meterId"/>, if it is installed.</summary>
    public bool TryGetStats(uint meterId, out MeterStats stats)
    {
        Meter? m = meterId < MaxMeters ? Volatile.Read(ref meters[meterId]) : null;
        stats = m?.Snapshot()!;
        return m is not null;
    }

    /// <summary>
    /// Runs one packet of <paramref name="frameBytes"/> (the whole Ethernet frame) through meter
    /// <paramref name="meterId"/> at time <paramref name="now"/> (clock ticks). False: a drop band is
    /// exceeded and the packet must be dropped. True: within every band, or no such meter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Apply(uint meterId, int frameBytes, ulong now)
    {
        Meter?[] table = meters;
        if (meterId >= (uint)table.Length)
        {
            return true;
        }

        Meter? m = Volatile.Read(ref table[meterId]);
        return m is null || m.Apply(frameBytes, (long)now);
    }

    /// <summary>
    /// <see cref="Apply(uint, int, ulong)"/> at the table's clock's time now: for a packet metered outside a PMD
    /// (the slow path's controller meter), where no batch time exists.
    /// </summary>
    public bool Apply(uint meterId, int frameBytes) => Apply(meterId, frameBytes, clock());

    private static void Check(MeterConfig config)
    {
        MeterFlags unit = config.Flags & (MeterFlags.Kbps | MeterFlags.Pktps);
        if (unit is not (MeterFlags.Kbps or MeterFlags.Pktps))
        {
            throw new ArgumentException($"a meter needs exactly one of kbps and pktps, not {config.Flags}", nameof(config));
        }

        if ((config.Flags & ~(MeterFlags.Kbps | MeterFlags.Pktps | MeterFlags.Burst | MeterFlags.Stats)) != 0)
        {
            throw new ArgumentException($"unknown meter flags 0x{(ushort)config.Flags:x}", nameof(config));
        }

        if (config.Bands is null || config.Bands.Count is 0 or > MaxBands)
        {
            throw new ArgumentException($"a meter needs 1 to {MaxBands} bands, not {config.Bands?.Count ?? 0}", nameof(config));
        }

        foreach (MeterBand b in config.Bands)
        {
            if (b.Type != MeterBandType.Drop)
            {
                throw new NotSupportedException($"meter band type {b.Type} is not supported by the datapath (only drop bands)");
            }

            if (b.Rate == 0)
            {
                throw new ArgumentException("a meter band's rate must be at least 1", nameof(config));
            }
        }
    }
}

using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using FastPath.Connmgr;

namespace FastPath.Daemon.Coverage;

/// <summary>
/// Open vSwitch's coverage counters for fastpathd: every counter published on the
/// <see cref="ConnmgrCoverage.MeterName"/> meter (the slow path, the OpenFlow connections, the daemon), plus
/// totals read from elsewhere at sampling time (<see cref="AddSource"/>: the PMDs' own counters, so nothing is
/// added to the packet path). As in coverage.c, the totals are sampled every 5 seconds into a minute of
/// 5-second slots and an hour of 1-minute slots, from which <c>coverage/show</c> prints its three rates.
/// </summary>
public sealed class CoverageRegistry : IDisposable
{
    /// <summary>Seconds between samples (coverage.c's COVERAGE_RUN_INTERVAL).</summary>
    public const int SampleSeconds = 5;

    private const int MinuteSlots = 12;
    private const int HourSlots = 60;

    private readonly Lock gate = new();
    private readonly List<Counter> counters = [];
    private readonly Dictionary<string, Counter> byName = new(StringComparer.Ordinal);
    private readonly List<Func<IEnumerable<KeyValuePair<string, long>>>> sources = [];
    private readonly MeterListener listener = new();
    private readonly Timer? timer;
    private long samples;

    /// <summary>Starts listening; with <paramref name="sampleAutomatically"/>, samples every <see cref="SampleSeconds"/> seconds.</summary>
    public CoverageRegistry(bool sampleAutomatically = true)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ConnmgrCoverage.MeterName && instrument is Counter<long>)
            {
                l.EnableMeasurementEvents(instrument, Get(instrument.Name));
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, state) => Interlocked.Add(ref ((Counter)state!).Total, value));
        listener.Start();
        if (sampleAutomatically)
        {
            timer = new Timer(_ => Sample(), null, TimeSpan.FromSeconds(SampleSeconds), TimeSpan.FromSeconds(SampleSeconds));
        }
    }

    /// <summary>
    /// Adds counters whose totals <paramref name="read"/> returns when asked (at each sample and each show). A
    /// total that goes down (its owner was cleared or removed) counts as no events, never as negative ones.
    /// </summary>
    public void AddSource(IEnumerable<string> names, Func<IEnumerable<KeyValuePair<string, long>>> read)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(read);
        foreach (string n in names)
        {
            Get(n);
        }

        lock (gate)
        {
            sources.Add(read);
        }
    }

    /// <summary>Takes a 5-second sample (the timer calls this; tests may too).</summary>
    public void Sample()
    {
        Pull();
        lock (gate)
        {
            long idx = samples++;
            foreach (Counter c in counters)
            {
                long total = Interlocked.Read(ref c.Total);
                c.Minute[idx % MinuteSlots] = Math.Max(0, total - c.LastSampled);
                c.LastSampled = total;
                if ((idx + 1) % MinuteSlots == 0)
                {
                    c.Hour[((idx + 1) / MinuteSlots) % HourSlots] = c.Minute.Sum();
                }
            }
        }
    }

    /// <summary>
    /// Open vSwitch 3.1's <c>coverage/show</c>: the header with a hash of which counters were hit, one line per
    /// counter hit at least once (in the order they were registered) with its rates over the last 5 seconds,
    /// minute and hour and its total, then how many were never hit.
    /// </summary>
    public string Show()
    {
        Pull();
        var sb = new StringBuilder();
        lock (gate)
        {
            long last = (samples + MinuteSlots - 1) % MinuteSlots;
            var hit = counters.Where(c => Interlocked.Read(ref c.Total) > 0).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"Event coverage, avg rate over last: {SampleSeconds} seconds, last minute, last hour,  hash={Hash(hit):x8}:\n");
            foreach (Counter c in hit)
            {
                double fiveSeconds = samples == 0 ? 0 : c.Minute[last] / (double)SampleSeconds;
                sb.Append(CultureInfo.InvariantCulture, $"{c.Name,-26} {fiveSeconds,5:F1}/sec {c.Minute.Sum() / 60.0,9:F3}/sec {c.Hour.Sum() / 3600.0,13:F4}/sec   total: {Interlocked.Read(ref c.Total)}\n");
            }

            sb.Append(CultureInfo.InvariantCulture, $"{counters.Count - hit.Count} events never hit\n");
        }

        return sb.ToString();
    }

    /// <summary>The total of counter <paramref name="name"/> (0 if there is none).</summary>
    public long Total(string name)
    {
        Pull();
        lock (gate)
        {
            return byName.TryGetValue(name, out Counter? c) ? Interlocked.Read(ref c.Total) : 0;
        }
    }

    /// <summary>The total of counter <paramref name="name"/>; false if there is no such counter.</summary>
    public bool TryGetTotal(string name, out long total)
    {
        Pull();
        lock (gate)
        {
            total = byName.TryGetValue(name, out Counter? c) ? Interlocked.Read(ref c.Total) : 0;
            return c is not null;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        timer?.Dispose();
        listener.Dispose();
    }

    // Open vSwitch hashes the names of the counters that were hit, so two dumps with the same hash hit the same
    // events; FNV-1a over those names does the same here.
    private static uint Hash(IEnumerable<Counter> hit)
    {
        uint h = 2166136261;
        foreach (Counter c in hit)
        {
            foreach (char ch in c.Name)
            {
                h = (h ^ ch) * 16777619;
            }

            h = (h ^ 0) * 16777619;
        }

        return h;
    }

    private Counter Get(string name)
    {
        lock (gate)
        {
            if (!byName.TryGetValue(name, out Counter? c))
            {
                c = new Counter(name);
                byName.Add(name, c);
                counters.Add(c);
            }

            return c;
        }
    }

    private void Pull()
    {
        Func<IEnumerable<KeyValuePair<string, long>>>[] read;
        lock (gate)
        {
            read = [.. sources];
        }

        foreach (var source in read)
        {
            IEnumerable<KeyValuePair<string, long>> totals;
            try
            {
                totals = source().ToList();
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or ObjectDisposedException)
            {
                // A bridge going away while it is read: its counters are read again at the next sample.
                continue;
            }

            foreach ((string name, long total) in totals)
            {
                Counter c = Get(name);
                long now = Interlocked.Read(ref c.Total);
                c.PulledBase += Math.Max(0, total - c.PulledLast);
                c.PulledLast = total;
                if (c.PulledBase > now)
                {
                    Interlocked.Exchange(ref c.Total, c.PulledBase);
                }
            }
        }
    }

    private sealed class Counter(string name)
    {
        public readonly string Name = name;
        public readonly long[] Minute = new long[MinuteSlots];
        public readonly long[] Hour = new long[HourSlots];
        public long Total;
        public long LastSampled;
        public long PulledLast;
        public long PulledBase;
    }
}

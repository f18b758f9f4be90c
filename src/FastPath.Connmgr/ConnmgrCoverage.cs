using System.Diagnostics.Metrics;

namespace FastPath.Connmgr;

/// <summary>
/// The OpenFlow connections' coverage counters, under Open vSwitch's names for the same events (vconn.c, rconn.c):
/// counted per message on the connections' own tasks, never on the packet path. Published on the
/// <see cref="MeterName"/> meter, where fastpathd's <c>coverage/show</c> reads them.
/// </summary>
public static class ConnmgrCoverage
{
    /// <summary>The meter every FastPath coverage counter is published on.</summary>
    public const string MeterName = "FastPath.Coverage";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>vconn_open: an OpenFlow connection opened (accepted or connected).</summary>
    public static readonly Counter<long> VconnOpen = Meter.CreateCounter<long>("vconn_open");

    /// <summary>vconn_received: a message received.</summary>
    public static readonly Counter<long> VconnReceived = Meter.CreateCounter<long>("vconn_received");

    /// <summary>vconn_sent: a message written to the socket.</summary>
    public static readonly Counter<long> VconnSent = Meter.CreateCounter<long>("vconn_sent");

    /// <summary>rconn_queued: a message queued for sending.</summary>
    public static readonly Counter<long> RconnQueued = Meter.CreateCounter<long>("rconn_queued");

    /// <summary>rconn_sent: a queued message sent.</summary>
    public static readonly Counter<long> RconnSent = Meter.CreateCounter<long>("rconn_sent");

    /// <summary>rconn_discarded: a droppable message (packet-in) discarded because the queue was full.</summary>
    public static readonly Counter<long> RconnDiscarded = Meter.CreateCounter<long>("rconn_discarded");

    /// <summary>rconn_overflow: a connection closed because its peer did not drain its queue.</summary>
    public static readonly Counter<long> RconnOverflow = Meter.CreateCounter<long>("rconn_overflow");
}

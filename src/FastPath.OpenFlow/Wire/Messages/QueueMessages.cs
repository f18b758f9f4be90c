using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>One queue's configuration (ofp_packet_queue in 1.0/1.3, ofp_queue_desc in 1.4+).</summary>
/// <param name="PortNo">The port it belongs to.</param>
/// <param name="QueueId">The queue.</param>
/// <param name="MinRate">Guaranteed rate in 1/10 of a percent, if set.</param>
/// <param name="MaxRate">Maximum rate in 1/10 of a percent, if set (1.3+).</param>
public sealed record QueueConfig(uint PortNo, uint QueueId, ushort? MinRate = null, ushort? MaxRate = null);

/// <summary>OFPT_QUEUE_GET_CONFIG_REQUEST (1.0/1.3): the queues of a port.</summary>
/// <param name="PortNo">The port (or <see cref="OfPorts.Any"/>).</param>
public sealed record QueueGetConfigRequest(uint PortNo) : OfMessage;

/// <summary>OFPT_QUEUE_GET_CONFIG_REPLY (1.0/1.3).</summary>
/// <param name="PortNo">The port asked about.</param>
/// <param name="Queues">Its queues.</param>
public sealed record QueueGetConfigReply(uint PortNo, IReadOnlyList<QueueConfig> Queues) : OfMessage;

/// <summary>OFPMP_QUEUE_DESC request (1.4+).</summary>
/// <param name="PortNo">The port or <see cref="OfPorts.Any"/>.</param>
/// <param name="QueueId">The queue or OFPQ_ALL (0xffffffff).</param>
public sealed record QueueDescRequest(uint PortNo, uint QueueId) : MultipartRequest;

/// <summary>OFPMP_QUEUE_DESC reply (1.4+).</summary>
/// <param name="Queues">The queues.</param>
public sealed record QueueDescReply(IReadOnlyList<QueueConfig> Queues) : MultipartReply, IMultipartListReply<QueueDescReply, QueueConfig>
{
    /// <inheritdoc/>
    public IReadOnlyList<QueueConfig> Items => Queues;

    /// <inheritdoc/>
    public static QueueDescReply Create(IReadOnlyList<QueueConfig> items) => new(items);
}

/// <summary>OFPMP_QUEUE_STATS request.</summary>
/// <param name="PortNo">The port or <see cref="OfPorts.Any"/> (1.0: OFPP_ALL).</param>
/// <param name="QueueId">The queue or OFPQ_ALL.</param>
public sealed record QueueStatsRequest(uint PortNo, uint QueueId) : MultipartRequest;

/// <summary>One queue's counters (ofp_queue_stats); a counter not kept is all ones.</summary>
/// <param name="PortNo">The port.</param>
/// <param name="QueueId">The queue.</param>
/// <param name="TxBytes">Bytes sent.</param>
/// <param name="TxPackets">Packets sent.</param>
/// <param name="TxErrors">Packets dropped for overrun.</param>
/// <param name="DurationSec">1.3+: seconds the queue has existed.</param>
/// <param name="DurationNsec">1.3+: and nanoseconds beyond.</param>
public sealed record QueueStats(uint PortNo, uint QueueId, ulong TxBytes, ulong TxPackets, ulong TxErrors, uint DurationSec = 0, uint DurationNsec = 0);

/// <summary>OFPMP_QUEUE_STATS reply.</summary>
/// <param name="Stats">One entry per queue.</param>
public sealed record QueueStatsReply(IReadOnlyList<QueueStats> Stats) : MultipartReply, IMultipartListReply<QueueStatsReply, QueueStats>
{
    /// <inheritdoc/>
    public IReadOnlyList<QueueStats> Items => Stats;

    /// <inheritdoc/>
    public static QueueStatsReply Create(IReadOnlyList<QueueStats> items) => new(items);
}

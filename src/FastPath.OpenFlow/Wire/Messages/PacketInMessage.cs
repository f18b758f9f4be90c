using FastPath.OpenFlow.Flows;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_PACKET_IN (every version) or NXT_PACKET_IN: a packet sent to the controller.</summary>
/// <param name="BufferId">The switch's buffer holding the whole packet, or <see cref="Rules.FlowMod.NoBuffer"/>.</param>
/// <param name="TotalLength">The packet's full length (<paramref name="Data"/> may be a prefix).</param>
/// <param name="Reason">Why it was sent.</param>
/// <param name="TableId">The table whose rule sent it (OpenFlow 1.0 does not carry it: 0).</param>
/// <param name="Cookie">That rule's cookie (OpenFlow 1.0: not carried, all-ones).</param>
/// <param name="Match">The packet's pipeline metadata: in_port always, and metadata, tun_id and registers when non-zero.</param>
/// <param name="Data">The packet bytes sent.</param>
public sealed record PacketInMessage(
    uint BufferId, ushort TotalLength, OfPacketInReason Reason, byte TableId, ulong Cookie, PipelineMatch Match, byte[] Data) : OfMessage
{
    /// <summary>The controller action's userdata (only NXT_PACKET_IN2 carries it), or null.</summary>
    public byte[]? Userdata { get; init; }

    /// <inheritdoc/>
    public bool Equals(PacketInMessage? other) =>
        other is not null && BufferId == other.BufferId && TotalLength == other.TotalLength && Reason == other.Reason
        && TableId == other.TableId && Cookie == other.Cookie && Match == other.Match && Data.AsSpan().SequenceEqual(other.Data)
        && (Userdata ?? []).AsSpan().SequenceEqual(other.Userdata ?? []);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(BufferId, TotalLength, Reason, TableId, Cookie, Data.Length);
}

/// <summary>OFPR_*: why a packet went to the controller (OpenFlow 1.3 numbering; 1.0 has the first three).</summary>
public enum OfPacketInReason : byte
{
    /// <summary>OFPR_NO_MATCH (1.3: OFPR_TABLE_MISS in 1.4+).</summary>
    NoMatch = 0,

    /// <summary>OFPR_ACTION: an output to CONTROLLER.</summary>
    Action = 1,

    /// <summary>OFPR_INVALID_TTL.</summary>
    InvalidTtl = 2,

    /// <summary>OFPR_ACTION_SET (1.4+).</summary>
    ActionSet = 3,

    /// <summary>OFPR_GROUP (1.4+).</summary>
    Group = 4,

    /// <summary>OFPR_PACKET_OUT (1.4+).</summary>
    PacketOut = 5,
}

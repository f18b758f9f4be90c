namespace FastPath.OpenFlow.Wire.Multipart;

/// <summary>
/// A multipart (statistics) request: OFPT_STATS_REQUEST in OpenFlow 1.0, OFPT_MULTIPART_REQUEST in 1.3+. Each kind
/// is a sealed record deriving from this, registered in <see cref="MultipartKinds"/>.
/// </summary>
public abstract record MultipartRequest : OfMessage
{
    /// <summary>
    /// OFPMPF_REQ_MORE (OpenFlow 1.3+): this is one part of a request continued in further messages with the same
    /// xid. <see cref="MultipartReassembler"/> joins the parts; a decoded whole request has it false.
    /// </summary>
    public bool More { get; init; }
}

namespace FastPath.OpenFlow.Wire;

/// <summary>
/// One OpenFlow error, named by its OpenFlow 1.3 type and code (OpenFlow 1.4/1.5 share the numbering; the
/// OpenFlow 1.0 encoding, which numbers differently and lacks some errors, is chosen when the message is written).
/// </summary>
/// <param name="Type">The error type.</param>
/// <param name="Code">The code within the type, in OpenFlow 1.3 numbering.</param>
public readonly record struct OfError(OfErrorType Type, ushort Code)
{
    /// <summary>OFPHFC_INCOMPATIBLE: no common version.</summary>
    public static readonly OfError HelloIncompatible = new(OfErrorType.HelloFailed, 0);

    /// <summary>OFPBRC_BAD_VERSION: the header's version is not the negotiated one.</summary>
    public static readonly OfError BadRequestBadVersion = new(OfErrorType.BadRequest, 0);

    /// <summary>OFPBRC_BAD_TYPE: unknown or unsupported message type.</summary>
    public static readonly OfError BadRequestBadType = new(OfErrorType.BadRequest, 1);

    /// <summary>OFPBRC_BAD_MULTIPART (OFPBRC_BAD_STAT in 1.0): unknown multipart type.</summary>
    public static readonly OfError BadRequestBadMultipart = new(OfErrorType.BadRequest, 2);

    /// <summary>OFPBRC_BAD_EXPERIMENTER: unknown experimenter id.</summary>
    public static readonly OfError BadRequestBadExperimenter = new(OfErrorType.BadRequest, 3);

    /// <summary>OFPBRC_BAD_EXP_TYPE: unknown experimenter message type.</summary>
    public static readonly OfError BadRequestBadExpType = new(OfErrorType.BadRequest, 4);

    /// <summary>OFPBRC_EPERM: not permitted (a slave's state-changing request).</summary>
    public static readonly OfError BadRequestPermission = new(OfErrorType.BadRequest, 5);

    /// <summary>OFPBRC_BAD_LEN: a length does not fit the bytes or the structure.</summary>
    public static readonly OfError BadRequestBadLen = new(OfErrorType.BadRequest, 6);

    /// <summary>OFPBRC_BUFFER_UNKNOWN: the buffer id names no buffered packet.</summary>
    public static readonly OfError BadRequestBufferUnknown = new(OfErrorType.BadRequest, 8);

    /// <summary>OFPBRC_BAD_TABLE_ID.</summary>
    public static readonly OfError BadRequestBadTableId = new(OfErrorType.BadRequest, 9);

    /// <summary>OFPBRC_IS_SLAVE: a slave controller tried to change state.</summary>
    public static readonly OfError BadRequestIsSlave = new(OfErrorType.BadRequest, 10);

    /// <summary>OFPBRC_BAD_PORT.</summary>
    public static readonly OfError BadRequestBadPort = new(OfErrorType.BadRequest, 11);

    /// <summary>OFPBRC_MULTIPART_BUFFER_OVERFLOW.</summary>
    public static readonly OfError BadRequestMultipartBufferOverflow = new(OfErrorType.BadRequest, 13);

    /// <summary>OFPBRC_MULTIPART_REQUEST_TIMEOUT (OpenFlow 1.4+): a split multipart request was not completed in time.</summary>
    public static readonly OfError BadRequestMultipartRequestTimeout = new(OfErrorType.BadRequest, 14);

    /// <inheritdoc/>
    public override string ToString() => $"{Type}({(ushort)Type}),code {Code}";
}

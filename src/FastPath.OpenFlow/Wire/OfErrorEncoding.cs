namespace FastPath.OpenFlow.Wire;

/// <summary>How an <see cref="OfError"/> is numbered on the wire of each version, and back.</summary>
public static class OfErrorEncoding
{
    /// <summary>The (type, code) pair <paramref name="error"/> is sent as over <paramref name="version"/>.</summary>
    public static (ushort Type, ushort Code) ToWire(OfError error, OpenFlowVersion version)
    {
        if (version != OpenFlowVersion.OF10)
        {
            return ((ushort)error.Type, error.Code);
        }

        // OpenFlow 1.0 numbers its six types differently; the rest is refined with the error catalogue.
        return error.Type switch
        {
            OfErrorType.HelloFailed => (0, error.Code),
            OfErrorType.BadRequest => (1, error.Code),
            OfErrorType.BadAction => (2, error.Code),
            OfErrorType.FlowModFailed => (3, error.Code),
            OfErrorType.PortModFailed => (4, error.Code),
            OfErrorType.QueueOpFailed => (5, error.Code),
            _ => (1, OfError.BadRequestBadType.Code),
        };
    }

    /// <summary>The error a (type, code) pair received over <paramref name="version"/> names.</summary>
    public static OfError FromWire(ushort type, ushort code, OpenFlowVersion version)
    {
        if (version != OpenFlowVersion.OF10)
        {
            return new OfError((OfErrorType)type, code);
        }

        return type switch
        {
            3 => new OfError(OfErrorType.FlowModFailed, code),
            4 => new OfError(OfErrorType.PortModFailed, code),
            5 => new OfError(OfErrorType.QueueOpFailed, code),
            _ => new OfError((OfErrorType)type, code),
        };
    }
}

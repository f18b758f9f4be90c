using FastPath.Ofproto.Xlate;

namespace FastPath.Ofproto.Bridge;

/// <summary>How an <see cref="OfBridge"/> runs its slow path.</summary>
public sealed record OfBridgeOptions
{
    /// <summary>The slow-path thread's options (upcalls, revalidation).</summary>
    public OfprotoOptions Ofproto { get; init; } = new();

    /// <summary>Translation options (table miss behaviour, miss_send_len).</summary>
    public XlateOptions Xlate { get; init; } = new();

    /// <summary>How often timeouts are checked. OpenFlow counts them in whole seconds, so a tenth is plenty.</summary>
    public TimeSpan ExpiryInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}

namespace FastPath.OpenFlow;

/// <summary>OpenFlow wire protocol versions FastPath will speak (the protocol arrives with its own issue).</summary>
public enum OpenFlowVersion : byte
{
    /// <summary>OpenFlow 1.0.</summary>
    OF10 = 0x01,
    /// <summary>OpenFlow 1.3.</summary>
    OF13 = 0x04,
    /// <summary>OpenFlow 1.4.</summary>
    OF14 = 0x05,
    /// <summary>OpenFlow 1.5.</summary>
    OF15 = 0x06,
}

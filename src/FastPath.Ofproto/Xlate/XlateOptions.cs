namespace FastPath.Ofproto.Xlate;

/// <summary>How the pipeline treats what the rules do not say.</summary>
public sealed record XlateOptions
{
    /// <summary>
    /// What a table miss does: OpenFlow 1.3 and later drop (unless a table-miss rule says otherwise); OpenFlow
    /// 1.0 sends to the controller. The connection manager sets it from the negotiated version.
    /// </summary>
    public bool TableMissToController { get; init; }

    /// <summary>Bytes of a missed packet sent to the controller (OFPC's miss_send_len, 128 by default).</summary>
    public ushort MissSendLength { get; init; } = 128;

    /// <summary>Most tables one packet may pass through (a guard; goto_table only goes forward, so 255 is enough).</summary>
    public int MaxTables { get; init; } = 255;
}

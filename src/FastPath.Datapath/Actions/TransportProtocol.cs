namespace FastPath.Datapath.Actions;

/// <summary>The transport protocols whose ports a set-field action rewrites; values are IP protocol numbers.</summary>
public enum TransportProtocol : byte
{
    /// <summary>TCP.</summary>
    Tcp = 6,
    /// <summary>UDP.</summary>
    Udp = 17,
    /// <summary>SCTP.</summary>
    Sctp = 132,
}

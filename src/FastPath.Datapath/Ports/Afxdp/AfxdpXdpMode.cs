namespace FastPath.Datapath.Ports.Afxdp;

/// <summary>How the XDP program that redirects packets to the sockets is attached.</summary>
public enum AfxdpXdpMode
{
    /// <summary>Try native (driver) mode first, fall back to generic mode. Only valid as an option.</summary>
    Auto,

    /// <summary>Driver mode: XDP runs in the driver before an skb exists.</summary>
    Native,

    /// <summary>Generic (SKB) mode: works on every interface, after the skb is built, so slower.</summary>
    Generic,
}

namespace FastPath.Datapath.Ports.Afxdp;

/// <summary>Whether packets are copied between kernel buffers and the UMEM.</summary>
public enum AfxdpCopyMode
{
    /// <summary>Try zero-copy first (native mode only), fall back to copy mode. Only valid as an option.</summary>
    Auto,

    /// <summary>The kernel copies each packet into (or out of) a UMEM frame; every driver supports it (veth does only this).</summary>
    Copy,

    /// <summary>The driver DMAs straight into UMEM frames; needs driver support and native mode.</summary>
    ZeroCopy,
}

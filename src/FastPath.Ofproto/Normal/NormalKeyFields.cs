namespace FastPath.Ofproto.Normal;

/// <summary>The flow key fields a NORMAL decision read; the megaflow must match them exactly (VLAN TCIs under their masks).</summary>
[Flags]
public enum NormalKeyFields : byte
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>in_port.</summary>
    InPort = 1,

    /// <summary>dl_src (learning depends on it).</summary>
    DlSrc = 2,

    /// <summary>dl_dst.</summary>
    DlDst = 4,

    /// <summary>dl_type (the partial VLAN tag check).</summary>
    DlType = 8,

    /// <summary>The outer VLAN TCI, under <see cref="NormalDecision.Vlan0TciMask"/>.</summary>
    Vlan0Tci = 16,

    /// <summary>The inner VLAN TCI, under <see cref="NormalDecision.Vlan1TciMask"/>.</summary>
    Vlan1Tci = 32,
}

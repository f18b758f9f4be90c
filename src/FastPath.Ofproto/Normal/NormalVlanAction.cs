namespace FastPath.Ofproto.Normal;

/// <summary>What to do to the frame's outer VLAN header before an output, relative to the frame as it arrived.</summary>
public enum NormalVlanAction : byte
{
    /// <summary>Leave the headers as they are.</summary>
    None,

    /// <summary>Push an 802.1Q header (TPID 0x8100) with <see cref="NormalOutput.Vid"/> and <see cref="NormalOutput.Pcp"/>.</summary>
    Push,

    /// <summary>Remove the outer header (an inner header, if any, becomes the outer one).</summary>
    Pop,

    /// <summary>Set the outer header's VID to <see cref="NormalOutput.Vid"/>, keeping its TPID and priority.</summary>
    SetVid,
}

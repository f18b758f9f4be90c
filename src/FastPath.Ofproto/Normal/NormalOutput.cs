namespace FastPath.Ofproto.Normal;

/// <summary>One output of a NORMAL decision: a port, and the VLAN change the frame needs first.</summary>
/// <param name="Port">The output port.</param>
/// <param name="VlanAction">The VLAN change, relative to the frame as it arrived (not to the previous output).</param>
/// <param name="Vid">The VID for <see cref="NormalVlanAction.Push"/> and <see cref="NormalVlanAction.SetVid"/>, else 0.</param>
/// <param name="Pcp">The priority for <see cref="NormalVlanAction.Push"/>, else 0.</param>
public readonly record struct NormalOutput(uint Port, NormalVlanAction VlanAction, ushort Vid = 0, byte Pcp = 0)
{
    /// <summary>The TPID a pushed header gets.</summary>
    public const ushort PushTpid = 0x8100;

    /// <inheritdoc/>
    public override string ToString() => VlanAction switch
    {
        NormalVlanAction.Push => $"push_vlan(vid={Vid},pcp={Pcp}),{Port}",
        NormalVlanAction.Pop => $"pop_vlan,{Port}",
        NormalVlanAction.SetVid => $"set_vid({Vid}),{Port}",
        _ => Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

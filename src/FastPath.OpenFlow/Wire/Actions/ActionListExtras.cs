namespace FastPath.OpenFlow.Wire.Actions;

/// <summary>
/// What an action list held besides actions: OpenFlow 1.0's stand-in for an instruction (Nicira
/// write_metadata) and OpenFlow 1.5's meter action. Only a flow's instructions can take them; every other list
/// refuses them (<see cref="RefuseAll"/>).
/// </summary>
internal struct ActionListExtras
{
    /// <summary>NXAST_WRITE_METADATA's value and mask, if one came.</summary>
    public (ulong Value, ulong Mask)? WriteMetadata;

    /// <summary>Whether an action followed the write_metadata, or a second one came.</summary>
    public bool WriteMetadataNotLast;

    /// <summary>OFPAT_METER's meter id (OpenFlow 1.5), if one came.</summary>
    public uint? Meter;

    /// <summary>Whether the meter was not the first action, or a second meter came.</summary>
    public bool MeterNotFirst;

    /// <summary>Whether anything but actions came.</summary>
    public readonly bool Any => WriteMetadata is not null || Meter is not null;

    /// <summary>Called for each ordinary action decoded: an instruction stand-in before it is out of place.</summary>
    public void SawAction()
    {
        if (WriteMetadata is not null)
        {
            WriteMetadataNotLast = true;
        }
    }

    /// <summary>Throws for anything an action list outside a flow's instructions cannot carry.</summary>
    public readonly void RefuseAll()
    {
        if (WriteMetadata is not null)
        {
            // Open vSwitch refuses instructions inside a plain action list as out of order.
            throw new OfErrorException(OfError.BadActionUnsupportedOrder, "write_metadata is an instruction: not allowed in this action list");
        }

        if (Meter is not null)
        {
            throw new OfErrorException(OfError.BadActionBadType, "meter is supported only as the first action of a flow's apply_actions");
        }
    }
}

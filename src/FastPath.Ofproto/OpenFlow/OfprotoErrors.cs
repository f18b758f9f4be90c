using FastPath.Ofproto.Groups;
using FastPath.Ofproto.Meters;
using FastPath.Ofproto.Tables;
using FastPath.OpenFlow.Wire;

namespace FastPath.Ofproto.OpenFlow;

/// <summary>The OpenFlow errors (OpenFlow 1.3 numbering) the slow path's refusals are answered with.</summary>
public static class OfprotoErrors
{
    /// <summary>The error for a refused flow-mod.</summary>
    public static OfError Of(FlowModError error) => error switch
    {
        FlowModError.Overlap => new(OfErrorType.FlowModFailed, 3), // OFPFMFC_OVERLAP
        FlowModError.BadTableId => new(OfErrorType.FlowModFailed, 2), // OFPFMFC_BAD_TABLE_ID
        FlowModError.BadGotoTable => new(OfErrorType.BadInstruction, 2), // OFPBIC_BAD_TABLE_ID
        FlowModError.BadOutPort => new(OfErrorType.BadAction, 4), // OFPBAC_BAD_OUT_PORT
        FlowModError.BadOutGroup => new(OfErrorType.BadAction, 9), // OFPBAC_BAD_OUT_GROUP
        FlowModError.InvalidMeter => new(OfErrorType.MeterModFailed, 2), // OFPMMFC_INVALID_METER, as Open vSwitch answers
        FlowModError.BadAction => new(OfErrorType.BadAction, 13), // OFPBAC_MATCH_INCONSISTENT
        _ => new(OfErrorType.FlowModFailed, 0), // OFPFMFC_UNKNOWN
    };

    /// <summary>The error for a refused group-mod.</summary>
    public static OfError Of(GroupModError error) => error switch
    {
        GroupModError.GroupExists => new(OfErrorType.GroupModFailed, 0),
        GroupModError.InvalidGroup => new(OfErrorType.GroupModFailed, 1),
        GroupModError.OutOfGroups => new(OfErrorType.GroupModFailed, 3),
        GroupModError.OutOfBuckets => new(OfErrorType.GroupModFailed, 4),
        GroupModError.ChainingUnsupported => new(OfErrorType.GroupModFailed, 5),
        GroupModError.WatchUnsupported => new(OfErrorType.GroupModFailed, 6),
        GroupModError.Loop => new(OfErrorType.GroupModFailed, 7),
        GroupModError.UnknownGroup => new(OfErrorType.GroupModFailed, 8),
        GroupModError.ChainedGroup => new(OfErrorType.GroupModFailed, 9),
        GroupModError.BadType => new(OfErrorType.GroupModFailed, 10),
        GroupModError.BadCommand => new(OfErrorType.GroupModFailed, 11),
        GroupModError.BadBucket => new(OfErrorType.GroupModFailed, 12),
        GroupModError.BadWatch => new(OfErrorType.GroupModFailed, 13),
        GroupModError.BadOutGroup => new(OfErrorType.BadAction, 9), // OFPBAC_BAD_OUT_GROUP
        _ => new(OfErrorType.GroupModFailed, 1),
    };

    /// <summary>The error for a refused meter-mod (the enum holds the OFPMMFC codes).</summary>
    public static OfError Of(MeterModError error) => new(OfErrorType.MeterModFailed, (ushort)error);
}

using FastPath.Ofproto.Groups;
using FastPath.Ofproto.Meters;
using FastPath.Ofproto.Tables;
using FastPath.OpenFlow.Wire;

namespace FastPath.Ofproto.Service;

/// <summary>The OpenFlow errors the slow path's refusals are answered with.</summary>
public static class OfprotoErrors
{
    /// <summary>The error for a refused flow-mod.</summary>
    public static OfError Of(FlowModError error) => error switch
    {
        FlowModError.Overlap => OfError.FlowModFailedOverlap,
        FlowModError.BadTableId => OfError.FlowModFailedBadTableId,
        FlowModError.BadGotoTable => OfError.BadInstructionBadTableId,
        FlowModError.BadOutPort => OfError.BadActionBadOutPort,
        FlowModError.BadOutGroup => OfError.BadActionBadOutGroup,
        FlowModError.InvalidMeter => OfError.MeterModFailedInvalidMeter, // what Open vSwitch answers
        FlowModError.BadAction => OfError.BadActionMatchInconsistent,
        _ => OfError.FlowModFailedUnknown,
    };

    /// <summary>The error for a refused group-mod.</summary>
    public static OfError Of(GroupModError error) => error switch
    {
        GroupModError.GroupExists => OfError.GroupModFailedGroupExists,
        GroupModError.InvalidGroup => OfError.GroupModFailedInvalidGroup,
        GroupModError.OutOfGroups => OfError.GroupModFailedOutOfGroups,
        GroupModError.OutOfBuckets => OfError.GroupModFailedOutOfBuckets,
        GroupModError.ChainingUnsupported => OfError.GroupModFailedChainingUnsupported,
        GroupModError.WatchUnsupported => OfError.GroupModFailedWatchUnsupported,
        GroupModError.Loop => OfError.GroupModFailedLoop,
        GroupModError.UnknownGroup => OfError.GroupModFailedUnknownGroup,
        GroupModError.ChainedGroup => OfError.GroupModFailedChainedGroup,
        GroupModError.BadType => OfError.GroupModFailedBadType,
        GroupModError.BadCommand => OfError.GroupModFailedBadCommand,
        GroupModError.BadBucket => OfError.GroupModFailedBadBucket,
        GroupModError.BadWatch => OfError.GroupModFailedBadWatch,
        GroupModError.BadOutGroup => OfError.BadActionBadOutGroup,
        _ => OfError.GroupModFailedInvalidGroup,
    };

    /// <summary>The error for a refused meter-mod (the enum holds the OFPMMFC codes).</summary>
    public static OfError Of(MeterModError error) => new(OfErrorType.MeterModFailed, (ushort)error);
}

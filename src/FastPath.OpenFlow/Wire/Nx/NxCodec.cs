using System.Collections.Frozen;
using FastPath.OpenFlow.Wire.Flows;
using FastPath.OpenFlow.Wire.Messages;
using FastPath.OpenFlow.Wire.Monitor;
using FastPath.OpenFlow.Wire.Switch;

namespace FastPath.OpenFlow.Wire.Nx;

/// <summary>
/// Vendor (OpenFlow 1.0 OFPT_VENDOR) and experimenter (1.3+ OFPT_EXPERIMENTER) messages: the header after ofp_header
/// is the vendor id and a 32-bit subtype (Nicira's nicira_header, OpenFlow's ofp_experimenter_header), and the body is
/// dispatched to the entries of <see cref="Entries"/>. An unknown vendor is OFPBRC_BAD_VENDOR (1.3:
/// OFPBRC_BAD_EXPERIMENTER), an unknown subtype OFPBRC_BAD_SUBTYPE (OFPBRC_BAD_EXP_TYPE), as Open vSwitch answers.
/// </summary>
public static class NxCodec
{
    /// <summary>Nicira's vendor id (NX_VENDOR_ID), under which Open vSwitch's extensions travel.</summary>
    public const uint NiciraVendorId = 0x00002320;

    /// <summary>The Open Networking Foundation's experimenter id (ONF_VENDOR_ID: OpenFlow 1.3 bundle extension).</summary>
    public const uint OnfVendorId = 0x4f4e4600;

    /// <summary>ONFT_BUNDLE_CONTROL: OpenFlow 1.4's bundle control as an OpenFlow 1.3 ONF experimenter message.</summary>
    public const uint OnfBundleControl = 2300;

    /// <summary>ONFT_BUNDLE_ADD_MESSAGE.</summary>
    public const uint OnfBundleAddMessage = 2301;

    /// <summary>Bytes of the vendor header after ofp_header (vendor id, subtype).</summary>
    public const int HeaderLength = 8;

    /// <summary>
    /// Every vendor message the codec knows, one line each: <c>NxEntry.Nicira&lt;Record&gt;(NxType.X, Codec.Decode,
    /// Codec.Encode[, when])</c>. For encoding, the first entry taking the record on the session wins.
    /// </summary>
    public static IReadOnlyList<NxEntry> Entries { get; } =
    [
        NxEntry.Nicira<SetControllerId>(NxType.SetControllerId, NxSwitchCodec.DecodeSetControllerId, NxSwitchCodec.EncodeSetControllerId),
        NxEntry.Nicira<FlowModMessage>(NxType.FlowMod, FlowModCodec.DecodeNx, FlowModCodec.EncodeNx, (_, s) => s.Version == OpenFlowVersion.OF10 && s.FlowFormat == NxFlowFormat.Nxm),
        NxEntry.Nicira<FlowRemovedMessage>(NxType.FlowRemoved, FlowRemovedCodec.DecodeNx, FlowRemovedCodec.EncodeNx, (_, s) => s.Version == OpenFlowVersion.OF10 && s.FlowFormat == NxFlowFormat.Nxm),
        NxEntry.Nicira<PacketInMessage>(NxType.PacketIn, PacketInCodec.DecodeNx, PacketInCodec.EncodeNx, (_, s) => s.PacketInFormat == NxPacketInFormat.NxtPacketIn),
        NxEntry.Nicira<PacketInMessage>(NxType.PacketIn2, PacketIn2Codec.Decode, PacketIn2Codec.Encode, (_, s) => s.PacketInFormat == NxPacketInFormat.NxtPacketIn2),
        NxEntry.Nicira<NxSetFlowFormat>(NxType.SetFlowFormat, NxSessionCodec.DecodeSetFlowFormat, NxSessionCodec.EncodeSetFlowFormat),
        NxEntry.Nicira<NxSetPacketInFormat>(NxType.SetPacketInFormat, NxSessionCodec.DecodeSetPacketInFormat, NxSessionCodec.EncodeSetPacketInFormat),
        NxEntry.Nicira<NxFlowModTableId>(NxType.FlowModTableId, NxSessionCodec.DecodeFlowModTableId, NxSessionCodec.EncodeFlowModTableId),
        NxEntry.Nicira<RoleMessage>(NxType.RoleRequest, RoleAsyncCodec.DecodeNxRoleRequest, RoleAsyncCodec.EncodeNxRole, (m, s) => !m.IsReply && s.Version == OpenFlowVersion.OF10),
        NxEntry.Nicira<RoleMessage>(NxType.RoleReply, RoleAsyncCodec.DecodeNxRoleReply, RoleAsyncCodec.EncodeNxRole, (m, s) => m.IsReply && s.Version == OpenFlowVersion.OF10),
        NxEntry.Nicira<AsyncConfig>(NxType.SetAsyncConfig, RoleAsyncCodec.DecodeNxSetAsync, RoleAsyncCodec.EncodeNxSetAsync, (m, s) => m.IsSet && s.Version == OpenFlowVersion.OF10),
        NxEntry.Of<BundleControl>(OnfVendorId, OnfBundleControl, BundleCodec.DecodeControl, BundleCodec.EncodeControl, (_, s) => s.Version == OpenFlowVersion.OF13),
        NxEntry.Of<BundleAddMessage>(OnfVendorId, OnfBundleAddMessage, BundleCodec.DecodeAdd, BundleCodec.EncodeAdd, (_, s) => s.Version == OpenFlowVersion.OF13),
        NxEntry.Nicira<Groups.GroupModMessage>(NxType.GroupMod, Groups.GroupCodec.DecodeNxGroupMod, Groups.GroupCodec.EncodeNxGroupMod, (_, s) => s.Version == OpenFlowVersion.OF10),
        NxEntry.Nicira<FlowMonitorCancel>(NxType.FlowMonitorCancel, FlowMonitorCodec.DecodeNxCancel, FlowMonitorCodec.EncodeCancel, (_, s) => s.Version == OpenFlowVersion.OF10),
        NxEntry.Nicira<FlowMonitorPaused>(NxType.FlowMonitorPaused, FlowMonitorCodec.DecodeNxPaused, FlowMonitorCodec.EncodeMarker, (m, s) => !m.Resumed && s.Version == OpenFlowVersion.OF10),
        NxEntry.Nicira<FlowMonitorPaused>(NxType.FlowMonitorResumed, FlowMonitorCodec.DecodeNxResumed, FlowMonitorCodec.EncodeMarker, (m, s) => m.Resumed && s.Version == OpenFlowVersion.OF10),
        NxEntry.Of<FlowMonitorCancel>(OnfVendorId, FlowMonitorCodec.OnfFlowMonitor, FlowMonitorCodec.DecodeOnfCancel, FlowMonitorCodec.EncodeCancel, (_, s) => s.Version == OpenFlowVersion.OF13),
        NxEntry.Of<FlowMonitorPaused>(OnfVendorId, FlowMonitorCodec.OnfFlowMonitorPaused, FlowMonitorCodec.DecodeOnfPaused, FlowMonitorCodec.EncodeMarker, (m, s) => !m.Resumed && s.Version == OpenFlowVersion.OF13),
        NxEntry.Of<FlowMonitorPaused>(OnfVendorId, FlowMonitorCodec.OnfFlowMonitorResumed, FlowMonitorCodec.DecodeOnfResumed, FlowMonitorCodec.EncodeMarker, (m, s) => m.Resumed && s.Version == OpenFlowVersion.OF13),
    ];

    private static readonly FrozenDictionary<(uint Vendor, uint Subtype), NxEntry> ByType =
        Entries.GroupBy(e => (e.Vendor, e.Subtype)).ToFrozenDictionary(g => g.Key, g => g.First());

    private static readonly FrozenDictionary<Type, NxEntry[]> ByRecord =
        Entries.GroupBy(e => e.RecordType).ToFrozenDictionary(g => g.Key, g => g.ToArray());

    /// <summary>Decodes a vendor/experimenter message's body (everything after ofp_header).</summary>
    public static OfMessage Decode(ref WireReader body, OfSession session)
    {
        if (body.Remaining < HeaderLength)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"vendor message of {body.Remaining + OfHeader.Size} bytes has no vendor header");
        }

        uint vendor = body.U32();
        uint subtype = body.U32();
        if (vendor != NiciraVendorId && vendor != OnfVendorId)
        {
            throw new OfErrorException(OfError.BadRequestBadExperimenter, $"vendor 0x{vendor:x8} is not supported");
        }

        if (!ByType.TryGetValue((vendor, subtype), out NxEntry? entry))
        {
            throw new OfErrorException(OfError.BadRequestBadExpType, $"vendor 0x{vendor:x8} message subtype {subtype} is not supported");
        }

        OfMessage m = entry.Decode(ref body, session);
        if (!body.AtEnd)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"vendor 0x{vendor:x8} subtype {subtype} has {body.Remaining} bytes beyond its structure");
        }

        return m;
    }

    /// <summary>
    /// Encodes <paramref name="message"/> as a vendor message into <paramref name="w"/> (holding the ofp_header
    /// placeholder) if an entry takes it on <paramref name="session"/>; false otherwise, writing nothing.
    /// </summary>
    public static bool TryEncode(OfMessage message, WireWriter w, OfSession session)
    {
        if (!ByRecord.TryGetValue(message.GetType(), out NxEntry[]? entries))
        {
            return false;
        }

        foreach (NxEntry e in entries)
        {
            if (e.EncodesOn(message, session))
            {
                w.U32(e.Vendor);
                w.U32(e.Subtype);
                e.Encode(message, w, session);
                return true;
            }
        }

        return false;
    }
}

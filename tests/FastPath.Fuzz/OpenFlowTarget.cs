using System.Buffers.Binary;
using FastPath.OpenFlow;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.Fuzz;

/// <summary>
/// The OpenFlow codec: <see cref="OfCodec.Decode"/> of arbitrary bytes in every version, then, for what decodes,
/// encode → decode must give the same message back and encoding it again the same bytes.
/// </summary>
/// <remarks>
/// The codec's contract: bad input throws <see cref="OfErrorException"/> (the error the switch answers with);
/// <see cref="OfCodec.Encode"/> throws <see cref="NotSupportedException"/> for a message the version cannot carry
/// and <see cref="ArgumentException"/> for one longer than a message holds. Anything else is a finding.
/// The header's version picks the session's version (1.0, 1.3, 1.4 or 1.5); a version FastPath does not speak
/// picks one by its low two bits, so the wrong-version path is fuzzed too. The xid's low bits pick the flow
/// format and packet-in format a 1.0 session negotiated with Nicira extensions, its bit 8 whether
/// NXT_FLOW_MOD_TABLE_ID was enabled (the table id in an OpenFlow 1.0 flow-mod command's high byte). The harness writes the input's
/// length into the header, so mutations reach the bodies instead of dying on the length check (which the unit
/// tests cover).
/// </remarks>
internal sealed class OpenFlowTarget : FuzzTarget
{
    private static readonly OpenFlowVersion[] Versions = [OpenFlowVersion.OF10, OpenFlowVersion.OF13, OpenFlowVersion.OF14, OpenFlowVersion.OF15];

    /// <inheritdoc/>
    public override string Name => "openflow";

    /// <inheritdoc/>
    public override void Run(ReadOnlySpan<byte> input)
    {
        byte[] frame = input.ToArray();
        if (frame.Length >= OfHeader.Size && frame.Length <= ushort.MaxValue)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)frame.Length);
        }

        uint xid = frame.Length >= OfHeader.Size ? BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(4)) : 0;
        OfSession session = SessionFor(frame, xid);
        OfMessage message;
        try
        {
            message = OfCodec.Decode(frame, session);
        }
        catch (OfErrorException)
        {
            return;
        }

        if (message is PacketInMessage packetIn)
        {
            // A packet-in goes out in the format the connection asked for, which carries less than NXT_PACKET_IN2
            // (OFPT_PACKET_IN 1.0 has no cookie, table or metadata): as in Open vSwitch, by design. Its round trip is
            // through the format it came in.
            session = session with { PacketInFormat = PacketInFormatOf(frame) };
            RoundTrip(message, session, xid, packetIn with { Reason = SentReason(packetIn.Reason, session.Version) });
            return;
        }

        if (message is FlowRemovedMessage && session.Version == OpenFlowVersion.OF10 && PacketInFormatOf(frame) != NxPacketInFormat.Standard)
        {
            // NXT_FLOW_REMOVED is what a 1.0 connection in the NXM flow format gets; ofp_flow_removed (the OpenFlow 1.0
            // flow format) has no table id, so Open vSwitch's ofputil_encode_flow_removed drops it there. Like a
            // packet-in, its round trip is through the format it came in.
            session = session with { FlowFormat = NxFlowFormat.Nxm };
        }

        if (message is FlowRemovedMessage removed && removed.Reason == OfFlowRemovedReason.MeterDelete && session.Version < OpenFlowVersion.OF14)
        {
            // Before 1.4 a meter delete is sent as OFPRR_DELETE (Open vSwitch's ofputil_encode_flow_removed).
            RoundTrip(message, session, xid, removed with { Reason = OfFlowRemovedReason.Delete });
            return;
        }

        if (message is FlowModMessage && session.Version != OpenFlowVersion.OF10 && IsNxFlowMod(frame))
        {
            // NXT_FLOW_MOD on 1.1+ keeps 1.0's meanings (a modify that matches nothing adds, the cookie is the new
            // cookie), which OFPT_FLOW_MOD, what the codec sends on these versions, cannot say: as Open vSwitch, by
            // design. What it sends must round-trip.
            byte[] sent;
            try
            {
                sent = OfCodec.Encode(message, session, xid);
            }
            catch (NotSupportedException)
            {
                return;
            }

            RoundTrip(OfCodec.Decode(sent, session), session, xid);
            return;
        }

        RoundTrip(message, session, xid);
    }

    /// <summary>Whether a frame is Nicira's NXT_FLOW_MOD (vendor 0x2320, subtype 13).</summary>
    public static bool IsNxFlowMod(ReadOnlySpan<byte> frame) =>
        frame.Length >= 16 && frame[1] == 4 && BinaryPrimitives.ReadUInt32BigEndian(frame[8..]) == 0x00002320
        && BinaryPrimitives.ReadUInt32BigEndian(frame[12..]) == 13;

    /// <summary>
    /// The reason a version says for <paramref name="reason"/>: before 1.4, the reasons 1.4 added go as OFPR_ACTION
    /// (Open vSwitch's encode_packet_in_reason), though a received one is read as it is.
    /// </summary>
    public static OfPacketInReason SentReason(OfPacketInReason reason, OpenFlowVersion version) =>
        version < OpenFlowVersion.OF14 && reason is OfPacketInReason.ActionSet or OfPacketInReason.Group or OfPacketInReason.PacketOut
            ? OfPacketInReason.Action
            : reason;

    /// <summary>The packet-in format of a frame that decoded as a packet-in: NXT_PACKET_IN2, NXT_PACKET_IN or standard.</summary>
    public static NxPacketInFormat PacketInFormatOf(ReadOnlySpan<byte> frame)
    {
        const byte Vendor = 4;
        if (frame.Length >= 16 && frame[1] == Vendor && BinaryPrimitives.ReadUInt32BigEndian(frame[8..]) == 0x00002320)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(frame[12..]) == 30 ? NxPacketInFormat.NxtPacketIn2 : NxPacketInFormat.NxtPacketIn;
        }

        return NxPacketInFormat.Standard;
    }

    /// <summary>The session an input is decoded in (see the remarks).</summary>
    public static OfSession SessionFor(ReadOnlySpan<byte> frame, uint xid)
    {
        byte wire = frame.Length > 0 ? frame[0] : (byte)0;
        OpenFlowVersion version = OfVersions.IsSupported(wire) ? (OpenFlowVersion)wire : Versions[wire & 3];
        var flowFormat = (xid & 1) != 0 ? NxFlowFormat.Nxm : NxFlowFormat.OpenFlow10;
        var packetInFormat = (NxPacketInFormat)((xid >> 1) % 3);
        return new OfSession(version, flowFormat, packetInFormat, FlowModTableId: (xid & 0x100) != 0);
    }

    /// <inheritdoc/>
    public override IEnumerable<byte[]> Seeds(string repoRoot)
    {
        foreach (byte[] vector in TestVectors.OpenFlowMessages(repoRoot))
        {
            yield return vector;
        }

        // One of each message the codec knows in every version, so no version starts from nothing.
        OfMessage[] messages =
        [
            new Echo(false, [1, 2, 3, 4]), new Echo(true, []), new FeaturesRequest(), new BarrierMessage(false),
            new BarrierMessage(true), new ErrorMessage(OfError.BadRequestBadType, [0x04, 0xc8, 0x00, 0x08, 0, 0, 0, 1]),
        ];
        foreach (OpenFlowVersion version in Versions)
        {
            yield return OfCodec.EncodeHello(OfVersions.Supported, 1);
            foreach (OfMessage m in messages)
            {
                yield return OfCodec.Encode(m, new OfSession(version), 2);
            }
        }
    }

    /// <summary>
    /// Actions a version sends in another form, as Open vSwitch 3.1 does (ovs-ofctl -O OpenFlow14/15 parse-flow
    /// 'mpls,actions=set_mpls_label:7,set_mpls_tc:3,load:0x1005->NXM_NX_REG0[0..15]' prints set_field:7->mpls_label,
    /// set_field:3->mpls_tc and, on 1.5, set_field:0x1005/0xffff->reg0): from 1.3 set_mpls_label and set_mpls_tc go
    /// out as OFPAT_SET_FIELD, which decodes as set_field (encode_SET_MPLS_LABEL/TC); on 1.5 a reg_load goes out as
    /// OFPAT_SET_FIELD (encode_SET_FIELD drops reg_load there), so only <see cref="SetFieldAction.IsLoad"/> changes.
    /// Everything else about the action must still be equal.
    /// </summary>
    public static bool SameOnTheWire(object expected, object actual, OpenFlowVersion version) => (expected, actual) switch
    {
        (SetMplsLabelAction l, SetFieldAction f) => version != OpenFlowVersion.OF10
            && f == new SetFieldAction(OfFields.MplsLabel, l.Label, OfFields.MplsLabel.FullMask),
        (SetMplsTcAction t, SetFieldAction f) => version != OpenFlowVersion.OF10
            && f == new SetFieldAction(OfFields.MplsTc, t.Tc, OfFields.MplsTc.FullMask),
        (SetFieldAction e, SetFieldAction f) => version >= OpenFlowVersion.OF15 && e.IsLoad && !f.IsLoad && f == e with { IsLoad = false },
        _ => false,
    };

    private static void RoundTrip(OfMessage message, OfSession session, uint xid, OfMessage? expected = null)
    {
        byte[] encoded;
        try
        {
            encoded = OfCodec.Encode(message, session, xid);
        }
        catch (NotSupportedException)
        {
            return; // a message this version cannot carry (a hello is only ever built by EncodeHello)
        }
        catch (ArgumentException e) when (e.GetType() == typeof(ArgumentException) && e.ParamName == "message")
        {
            return; // longer than one message holds
        }

        OfMessage again;
        try
        {
            again = OfCodec.Decode(encoded, session);
        }
        catch (OfErrorException e)
        {
            throw new FuzzFinding($"the codec refuses its own encoding of {message} ({Convert.ToHexString(encoded)}): {e.Message}", e);
        }

        // Where matches go as NXM or OXM, an OpenFlow 1.0 ICMP type or code above 255 comes back as its low byte, as in Open vSwitch.
        bool icmpInEightBits = session.Version != OpenFlowVersion.OF10 || session.FlowFormat == NxFlowFormat.Nxm;
        if (StructuralEquality.FirstDifference(expected ?? message, again, (a, b) =>
            SameOnTheWire(a, b, session.Version) || (icmpInEightBits && StructuralEquality.SameAsNxmOrOxm(a, b))) is { } diff)
        {
            throw new FuzzFinding($"decode → encode → decode changed the message ({session}): {diff}; encoded {Convert.ToHexString(encoded)}");
        }

        byte[] twice = OfCodec.Encode(again, session, xid);
        if (!twice.AsSpan().SequenceEqual(encoded))
        {
            throw new FuzzFinding($"encoding the same message twice gave {Convert.ToHexString(encoded)} then {Convert.ToHexString(twice)}");
        }
    }
}

using System.Buffers.Binary;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Wire.Match;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Flows;

/// <summary>
/// NXT_PACKET_IN2 (body after vendor and subtype): Open vSwitch's property-based packet-in, which a connection asks
/// for with NXT_SET_PACKET_IN_FORMAT(NXPIF_NXT_PACKET_IN2) on any version — <c>ovs-ofctl monitor</c> always does.
/// </summary>
/// <remarks>
/// Properties as Open vSwitch 3.1 writes them (each <c>type, len</c>, padded to 8 bytes): NXPINT_PACKET (the bytes
/// sent), NXPINT_FULL_LEN (only when the packet was cut), NXPINT_BUFFER_ID (only when buffered), NXPINT_TABLE_ID,
/// NXPINT_COOKIE (only when a rule sent it: all-ones means none), NXPINT_REASON, NXPINT_METADATA (the pipeline
/// fields as bare OXM, <c>in_port</c> as OXM_OF_IN_PORT on every version), NXPINT_USERDATA (the controller action's
/// userdata, when it has some). Continuations (NXPINT_CONTINUATION) are neither sent nor accepted: FastPath's
/// controller action never pauses the pipeline.
/// </remarks>
public static class PacketIn2Codec
{
    private const ushort PropPacket = 0;
    private const ushort PropFullLen = 1;
    private const ushort PropBufferId = 2;
    private const ushort PropTableId = 3;
    private const ushort PropCookie = 4;
    private const ushort PropReason = 5;
    private const ushort PropMetadata = 6;
    private const ushort PropUserdata = 7;
    private const ushort PropContinuation = 8;

    /// <summary>Encodes an NXT_PACKET_IN2 body.</summary>
    public static void Encode(PacketInMessage m, WireWriter w, OfSession s)
    {
        int start = Begin(w, PropPacket);
        w.Bytes(m.Data);
        End(w, start);
        if (m.TotalLength != m.Data.Length)
        {
            start = Begin(w, PropFullLen);
            w.U32(m.TotalLength);
            End(w, start);
        }

        if (m.BufferId != FlowMod.NoBuffer)
        {
            start = Begin(w, PropBufferId);
            w.U32(m.BufferId);
            End(w, start);
        }

        start = Begin(w, PropTableId);
        w.U8(m.TableId);
        End(w, start);
        if (m.Cookie != ulong.MaxValue)
        {
            start = Begin(w, PropCookie);
            w.Zeros(4);
            w.U64(m.Cookie);
            End(w, start);
        }

        start = Begin(w, PropReason);
        w.U8(PacketInCodec.WireReason(m.Reason, s.Version));
        End(w, start);
        start = Begin(w, PropMetadata);
        OxmMatchCodec.EncodeTlvs(w, m.Match, MatchDialects.ForVersion(s.Version));
        End(w, start);
        if (m.Userdata is { Length: > 0 } userdata)
        {
            start = Begin(w, PropUserdata);
            w.Bytes(userdata);
            End(w, start);
        }
    }

    /// <summary>
    /// Decodes an NXT_PACKET_IN2 body. A missing packet is OFPBRC_BAD_LEN; an unknown or continuation property
    /// OFPBPC_BAD_TYPE; a property of the wrong size OFPBPC_BAD_LEN.
    /// </summary>
    public static PacketInMessage Decode(ref WireReader body, OfSession s)
    {
        _ = s;
        byte[]? data = null;
        uint? fullLength = null;
        uint buffer = FlowMod.NoBuffer;
        byte table = 0;
        ulong cookie = ulong.MaxValue;
        var reason = OfPacketInReason.NoMatch;
        PipelineMatch match = default;
        byte[]? userdata = null;
        while (!body.AtEnd)
        {
            if (body.Remaining < 4)
            {
                throw new OfErrorException(OfError.BadPropertyBadLen, "a property header needs 4 bytes");
            }

            ReadOnlySpan<byte> rest = body.Rest;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(rest);
            ushort length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            int padded = (length + 7) & ~7;
            if (length < 4 || padded > body.Remaining)
            {
                throw new OfErrorException(OfError.BadPropertyBadLen, $"property {type} of length {length} in {body.Remaining} bytes");
            }

            WireReader p = body.Sub(padded);
            p.Skip(4);
            int payload = length - 4;
            switch (type)
            {
                case PropPacket:
                    data = p.Bytes(payload).ToArray();
                    break;
                case PropFullLen:
                    fullLength = Fixed(ref p, type, payload, 4).U32();
                    break;
                case PropBufferId:
                    buffer = Fixed(ref p, type, payload, 4).U32();
                    break;
                case PropTableId:
                    table = Fixed(ref p, type, payload, 1).U8();
                    break;
                case PropCookie:
                    {
                        WireReader c = Fixed(ref p, type, payload, 12);
                        c.Skip(4);
                        cookie = c.U64();
                        break;
                    }

                case PropReason:
                    reason = (OfPacketInReason)Fixed(ref p, type, payload, 1).U8();
                    break;
                case PropMetadata:
                    match = OxmMatchCodec.DecodeTlvs(p.Bytes(payload), out _, out _, allowCookie: false);
                    break;
                case PropUserdata:
                    userdata = p.Bytes(payload).ToArray();
                    break;
                case PropContinuation:
                default:
                    throw new OfErrorException(OfError.BadPropertyBadType, $"NXT_PACKET_IN2 property {type} is not supported");
            }
        }

        if (data is null)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, "NXT_PACKET_IN2 without a packet");
        }

        ushort total = (ushort)Math.Min(fullLength ?? (uint)data.Length, ushort.MaxValue);
        return new PacketInMessage(buffer, total, reason, table, cookie, match, data) { Userdata = userdata };
    }

    private static WireReader Fixed(ref WireReader p, ushort type, int payload, int size)
    {
        if (payload != size)
        {
            throw new OfErrorException(OfError.BadPropertyBadLen, $"NXT_PACKET_IN2 property {type} has {payload} bytes, not {size}");
        }

        return p.Sub(size);
    }

    private static int Begin(WireWriter w, ushort type)
    {
        int start = w.Length;
        w.U16(type);
        w.U16(0);
        return start;
    }

    private static void End(WireWriter w, int start)
    {
        w.PatchU16(start + 2, (ushort)(w.Length - start));
        w.PadTo(start, 8);
    }
}

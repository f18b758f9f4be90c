using FastPath.OpenFlow.Wire.Flows;
using FastPath.OpenFlow.Wire.Groups;
using FastPath.OpenFlow.Wire.Messages;
using FastPath.OpenFlow.Wire.Meters;
using FastPath.OpenFlow.Wire.Multipart;
using FastPath.OpenFlow.Wire.Nx;
using FastPath.OpenFlow.Wire.Ports;
using FastPath.OpenFlow.Wire.Switch;
using FastPath.OpenFlow.Wire.Tables;

namespace FastPath.OpenFlow.Wire;

/// <summary>
/// Decodes whole OpenFlow messages of every supported version into <see cref="OfMessage"/>s and encodes them
/// back. Anything malformed, unknown or unsupported throws <see cref="OfErrorException"/> carrying the error
/// the switch answers with; nothing is ever read beyond the message.
/// </summary>
public static partial class OfCodec
{
    /// <summary>Bytes of a hello element header.</summary>
    private const int HelloElementHeader = 4;

    /// <summary>
    /// Decodes one complete message (<paramref name="frame"/> is exactly the header's length).
    /// <paramref name="session"/> supplies the negotiated version; a hello is accepted at any version.
    /// </summary>
    public static OfMessage Decode(ReadOnlySpan<byte> frame, OfSession session)
    {
        if (!OfHeader.TryRead(frame, out OfHeader header) || header.Length != frame.Length || header.Length < OfHeader.Size)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"message of {frame.Length} bytes, header says {header.Length}");
        }

        var body = new WireReader(frame[OfHeader.Size..]);
        if (header.Type == (byte)Of13Type.Hello)
        {
            return DecodeHello(ref body);
        }

        if (header.Version != (byte)session.Version)
        {
            throw new OfErrorException(OfError.BadRequestBadVersion, $"version 0x{header.Version:x2} on a 0x{(byte)session.Version:x2} connection");
        }

        OfMessage message = session.Version == OpenFlowVersion.OF10
            ? Decode10((Of10Type)header.Type, ref body, session)
            : Decode13((Of13Type)header.Type, ref body, session);
        if (message is BundleAddMessage bundled)
        {
            BundleCodec.CheckXid(bundled, header.Xid);
        }

        return message;
    }

    /// <summary>Encodes <paramref name="message"/> as one message of <paramref name="session"/>'s version.</summary>
    public static byte[] Encode(OfMessage message, OfSession session, uint xid)
    {
        var w = new WireWriter();
        w.Zeros(OfHeader.Size);
        byte type = session.Version == OpenFlowVersion.OF10 ? Encode10(message, w, session) : Encode13(message, w, session);
        if (w.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"{message.GetType().Name} needs {w.Length} bytes, more than one message holds", nameof(message));
        }

        byte[] bytes = w.ToArray();
        new OfHeader((byte)session.Version, type, (ushort)bytes.Length, xid).Write(bytes);
        return bytes;
    }

    /// <summary>
    /// Encodes <paramref name="message"/> as the messages it needs: a multipart reply longer than one message is split
    /// between entries, every part but the last flagged OFPMPF_REPLY_MORE; anything else is one message, as
    /// <see cref="Encode"/>.
    /// </summary>
    public static IReadOnlyList<byte[]> EncodeAll(OfMessage message, OfSession session, uint xid)
        => message is MultipartReply reply ? MultipartCodec.EncodeAll(reply, session, xid) : [Encode(message, session, xid)];

    /// <summary>Encodes a hello offering <paramref name="bitmap"/>'s versions, headed with the highest of them.</summary>
    public static byte[] EncodeHello(uint bitmap, uint xid)
    {
        var w = new WireWriter();
        w.Zeros(OfHeader.Size);
        w.U16(1); // OFPHET_VERSIONBITMAP
        w.U16(HelloElementHeader + 4);
        w.U32(bitmap);
        w.PadTo(0);
        byte[] bytes = w.ToArray();
        byte highest = (byte)(31 - System.Numerics.BitOperations.LeadingZeroCount(bitmap));
        new OfHeader(highest, (byte)Of13Type.Hello, (ushort)bytes.Length, xid).Write(bytes);
        return bytes;
    }

    private static Hello DecodeHello(ref WireReader body)
    {
        uint? bitmap = null;
        while (body.Remaining >= HelloElementHeader)
        {
            ushort type = body.U16();
            ushort length = body.U16();
            if (length < HelloElementHeader)
            {
                throw new OfErrorException(OfError.BadRequestBadLen, $"hello element of length {length}");
            }

            WireReader element = body.Sub(length - HelloElementHeader);
            if (type == 1 && element.Remaining >= 4)
            {
                // Only the first word matters: no version above 31 exists.
                bitmap = element.U32();
            }

            body.Skip(Math.Min(body.Remaining, (8 - (length % 8)) % 8));
        }

        return new Hello(bitmap);
    }

    private static OfMessage Decode10(Of10Type type, ref WireReader body, OfSession session) => type switch
    {
        Of10Type.Error => DecodeError(ref body, session),
        Of10Type.EchoRequest => new Echo(false, body.Rest.ToArray()),
        Of10Type.EchoReply => new Echo(true, body.Rest.ToArray()),
        Of10Type.FeaturesRequest => new FeaturesRequest(),
        Of10Type.BarrierRequest => new BarrierMessage(false),
        Of10Type.BarrierReply => new BarrierMessage(true),
        Of10Type.FlowMod => FlowModCodec.Decode(ref body, session),
        Of10Type.FlowRemoved => FlowRemovedCodec.Decode(ref body, session),
        Of10Type.PacketIn => PacketInCodec.Decode(ref body, session),
        Of10Type.PacketOut => PacketOutCodec.Decode(ref body, session),
        Of10Type.Vendor => NxCodec.Decode(ref body, session),
        Of10Type.FeaturesReply => SwitchMessagesCodec.DecodeFeaturesReply(ref body, session),
        Of10Type.GetConfigRequest => new GetConfigRequest(),
        Of10Type.GetConfigReply => SwitchMessagesCodec.DecodeSwitchConfig(ref body, false),
        Of10Type.SetConfig => SwitchMessagesCodec.DecodeSwitchConfig(ref body, true),
        Of10Type.PortStatus => PortMessagesCodec.DecodePortStatus(ref body, session),
        Of10Type.PortMod => PortMessagesCodec.DecodePortMod(ref body, session),
        Of10Type.QueueGetConfigRequest => QueueCodec.DecodeGetConfigRequest(ref body, session),
        Of10Type.QueueGetConfigReply => QueueCodec.DecodeGetConfigReply(ref body, session),
        Of10Type.StatsRequest => MultipartCodec.DecodeRequest(ref body, session),
        Of10Type.StatsReply => MultipartCodec.DecodeReply(ref body, session),
        _ => throw new OfErrorException(OfError.BadRequestBadType, $"OpenFlow 1.0 message type {(byte)type} is not supported"),
    };

    private static OfMessage Decode13(Of13Type type, ref WireReader body, OfSession session) => type switch
    {
        Of13Type.Error => DecodeError(ref body, session),
        Of13Type.EchoRequest => new Echo(false, body.Rest.ToArray()),
        Of13Type.EchoReply => new Echo(true, body.Rest.ToArray()),
        Of13Type.FeaturesRequest => new FeaturesRequest(),
        Of13Type.BarrierRequest => new BarrierMessage(false),
        Of13Type.BarrierReply => new BarrierMessage(true),
        Of13Type.FlowMod => FlowModCodec.Decode(ref body, session),
        Of13Type.FlowRemoved => FlowRemovedCodec.Decode(ref body, session),
        Of13Type.PacketIn => PacketInCodec.Decode(ref body, session),
        Of13Type.PacketOut => PacketOutCodec.Decode(ref body, session),
        Of13Type.GroupMod => GroupCodec.DecodeGroupMod(ref body, session),
        Of13Type.MeterMod => MeterCodec.DecodeMeterMod(ref body, session),
        Of13Type.Experimenter => NxCodec.Decode(ref body, session),
        Of13Type.FeaturesReply => SwitchMessagesCodec.DecodeFeaturesReply(ref body, session),
        Of13Type.GetConfigRequest => new GetConfigRequest(),
        Of13Type.GetConfigReply => SwitchMessagesCodec.DecodeSwitchConfig(ref body, false),
        Of13Type.SetConfig => SwitchMessagesCodec.DecodeSwitchConfig(ref body, true),
        Of13Type.PortStatus => PortMessagesCodec.DecodePortStatus(ref body, session),
        Of13Type.PortMod => PortMessagesCodec.DecodePortMod(ref body, session),
        Of13Type.QueueGetConfigRequest when session.Version == OpenFlowVersion.OF13 => QueueCodec.DecodeGetConfigRequest(ref body, session),
        Of13Type.QueueGetConfigReply when session.Version == OpenFlowVersion.OF13 => QueueCodec.DecodeGetConfigReply(ref body, session),
        Of13Type.RoleRequest => RoleAsyncCodec.DecodeRole(ref body, false),
        Of13Type.RoleReply => RoleAsyncCodec.DecodeRole(ref body, true),
        Of13Type.RoleStatus when session.Version >= OpenFlowVersion.OF14 => RoleAsyncCodec.DecodeRoleStatus(ref body),
        Of13Type.GetAsyncRequest => new GetAsyncRequest(),
        Of13Type.GetAsyncReply => RoleAsyncCodec.DecodeAsync(ref body, session, false),
        Of13Type.SetAsync => RoleAsyncCodec.DecodeAsync(ref body, session, true),
        Of13Type.TableMod => TableMessagesCodec.DecodeTableMod(ref body, session),
        Of13Type.BundleControl when session.Version >= OpenFlowVersion.OF14 => BundleCodec.DecodeControl(ref body, session),
        Of13Type.BundleAddMessage when session.Version >= OpenFlowVersion.OF14 => BundleCodec.DecodeAdd(ref body, session),
        Of13Type.MultipartRequest => MultipartCodec.DecodeRequest(ref body, session),
        Of13Type.MultipartReply => MultipartCodec.DecodeReply(ref body, session),
        _ => throw new OfErrorException(OfError.BadRequestBadType, $"OpenFlow message type {(byte)type} is not supported"),
    };

    private static ErrorMessage DecodeError(ref WireReader body, OfSession session)
    {
        ReadOnlySpan<byte> all = body.Rest;
        OfError error = OfErrorEncoding.Read(ref body, session.Version);
        ReadOnlySpan<byte> head = all[..(all.Length - body.Remaining)];
        var written = new WireWriter();
        OfErrorEncoding.Write(error, session.Version, written);
        var message = new ErrorMessage(error, body.Rest.ToArray());
        return written.Written.SequenceEqual(head) ? message : message with { Received = new ReceivedErrorHead(session.Version, head.ToArray()) };
    }

    private static byte Encode10(OfMessage message, WireWriter w, OfSession session)
    {
        switch (message)
        {
            case ErrorMessage e:
                EncodeError(e, w, session);
                return (byte)Of10Type.Error;
            case Echo echo:
                w.Bytes(echo.Data);
                return (byte)(echo.IsReply ? Of10Type.EchoReply : Of10Type.EchoRequest);
            case FeaturesRequest:
                return (byte)Of10Type.FeaturesRequest;
            case BarrierMessage b:
                return (byte)(b.IsReply ? Of10Type.BarrierReply : Of10Type.BarrierRequest);
            case FlowModMessage fm when session.FlowFormat != NxFlowFormat.Nxm:
                FlowModCodec.Encode(fm, w, session);
                return (byte)Of10Type.FlowMod;
            case FlowRemovedMessage fr when session.FlowFormat != NxFlowFormat.Nxm:
                FlowRemovedCodec.Encode(fr, w, session);
                return (byte)Of10Type.FlowRemoved;
            case PacketInMessage pi when session.PacketInFormat == NxPacketInFormat.Standard:
                PacketInCodec.Encode(pi, w, session);
                return (byte)Of10Type.PacketIn;
            case PacketOut p:
                PacketOutCodec.Encode(p, w, session);
                return (byte)Of10Type.PacketOut;
            case FeaturesReply f:
                SwitchMessagesCodec.EncodeFeaturesReply(f, w, session);
                return (byte)Of10Type.FeaturesReply;
            case GetConfigRequest:
                return (byte)Of10Type.GetConfigRequest;
            case SwitchConfig c:
                SwitchMessagesCodec.EncodeSwitchConfig(c, w);
                return (byte)(c.IsSet ? Of10Type.SetConfig : Of10Type.GetConfigReply);
            case PortStatus ps:
                PortMessagesCodec.EncodePortStatus(ps, w, session);
                return (byte)Of10Type.PortStatus;
            case PortMod pm:
                PortMessagesCodec.EncodePortMod(pm, w, session);
                return (byte)Of10Type.PortMod;
            case QueueGetConfigRequest qr:
                QueueCodec.EncodeGetConfigRequest(qr, w, session);
                return (byte)Of10Type.QueueGetConfigRequest;
            case QueueGetConfigReply qc:
                QueueCodec.EncodeGetConfigReply(qc, w, session);
                return (byte)Of10Type.QueueGetConfigReply;
            case MultipartRequest or MultipartReply:
                return MultipartCodec.Encode(message, w, session);
            case var nx when NxCodec.TryEncode(nx, w, session):
                return (byte)Of10Type.Vendor;
            default:
                throw new NotSupportedException($"{message.GetType().Name} has no OpenFlow 1.0 encoding");
        }
    }

    private static byte Encode13(OfMessage message, WireWriter w, OfSession session)
    {
        switch (message)
        {
            case ErrorMessage e:
                EncodeError(e, w, session);
                return (byte)Of13Type.Error;
            case Echo echo:
                w.Bytes(echo.Data);
                return (byte)(echo.IsReply ? Of13Type.EchoReply : Of13Type.EchoRequest);
            case FeaturesRequest:
                return (byte)Of13Type.FeaturesRequest;
            case BarrierMessage b:
                return (byte)(b.IsReply ? Of13Type.BarrierReply : Of13Type.BarrierRequest);
            case FlowModMessage fm:
                FlowModCodec.Encode(fm, w, session);
                return (byte)Of13Type.FlowMod;
            case FlowRemovedMessage fr:
                FlowRemovedCodec.Encode(fr, w, session);
                return (byte)Of13Type.FlowRemoved;
            case PacketInMessage pi when session.PacketInFormat == NxPacketInFormat.Standard:
                PacketInCodec.Encode(pi, w, session);
                return (byte)Of13Type.PacketIn;
            case PacketOut p:
                PacketOutCodec.Encode(p, w, session);
                return (byte)Of13Type.PacketOut;
            case GroupModMessage g:
                GroupCodec.EncodeGroupMod(g, w, session);
                return (byte)Of13Type.GroupMod;
            case MeterModMessage m:
                MeterCodec.EncodeMeterMod(m, w, session);
                return (byte)Of13Type.MeterMod;
            case FeaturesReply f:
                SwitchMessagesCodec.EncodeFeaturesReply(f, w, session);
                return (byte)Of13Type.FeaturesReply;
            case GetConfigRequest:
                return (byte)Of13Type.GetConfigRequest;
            case SwitchConfig c:
                SwitchMessagesCodec.EncodeSwitchConfig(c, w);
                return (byte)(c.IsSet ? Of13Type.SetConfig : Of13Type.GetConfigReply);
            case PortStatus ps:
                PortMessagesCodec.EncodePortStatus(ps, w, session);
                return (byte)Of13Type.PortStatus;
            case PortMod pm:
                PortMessagesCodec.EncodePortMod(pm, w, session);
                return (byte)Of13Type.PortMod;
            case QueueGetConfigRequest qr when session.Version == OpenFlowVersion.OF13:
                QueueCodec.EncodeGetConfigRequest(qr, w, session);
                return (byte)Of13Type.QueueGetConfigRequest;
            case QueueGetConfigReply qc when session.Version == OpenFlowVersion.OF13:
                QueueCodec.EncodeGetConfigReply(qc, w, session);
                return (byte)Of13Type.QueueGetConfigReply;
            case RoleMessage rm:
                RoleAsyncCodec.EncodeRole(rm, w);
                return (byte)(rm.IsReply ? Of13Type.RoleReply : Of13Type.RoleRequest);
            case RoleStatus rs when session.Version >= OpenFlowVersion.OF14:
                RoleAsyncCodec.EncodeRoleStatus(rs, w);
                return (byte)Of13Type.RoleStatus;
            case GetAsyncRequest:
                return (byte)Of13Type.GetAsyncRequest;
            case AsyncConfig ac:
                RoleAsyncCodec.EncodeAsync(ac, w, session);
                return (byte)(ac.IsSet ? Of13Type.SetAsync : Of13Type.GetAsyncReply);
            case TableMod tm:
                TableMessagesCodec.EncodeTableMod(tm, w, session);
                return (byte)Of13Type.TableMod;
            case BundleControl bc when session.Version >= OpenFlowVersion.OF14:
                BundleCodec.EncodeControl(bc, w, session);
                return (byte)Of13Type.BundleControl;
            case BundleAddMessage ba when session.Version >= OpenFlowVersion.OF14:
                BundleCodec.EncodeAdd(ba, w, session);
                return (byte)Of13Type.BundleAddMessage;
            case MultipartRequest or MultipartReply:
                return MultipartCodec.Encode(message, w, session);
            case var nx when NxCodec.TryEncode(nx, w, session):
                return (byte)Of13Type.Experimenter;
            default:
                throw new NotSupportedException($"{message.GetType().Name} has no OpenFlow {session.Version} encoding");
        }
    }

    private static void EncodeError(ErrorMessage e, WireWriter w, OfSession session)
    {
        if (e.Received is { } received && received.Version == session.Version)
        {
            w.Bytes(received.Head);
        }
        else
        {
            OfErrorEncoding.Write(e.Error, session.Version, w);
        }

        // As much of the offending request as fits one message: Open vSwitch 3.1 sends a 64 KiB request back cut to fit.
        w.Bytes(e.Data.AsSpan(0, Math.Min(e.Data.Length, Math.Max(0, ushort.MaxValue - w.Length))));
    }
}

using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Ports;

/// <summary>Bodies of the port messages: port-status, port-mod, port description and port statistics, every version.</summary>
public static class PortMessagesCodec
{
    /// <summary>Reads OFPT_PORT_STATUS: reason, 7 pad bytes, the port.</summary>
    public static PortStatus DecodePortStatus(ref WireReader body, OfSession session)
    {
        byte reason = body.U8();
        body.Skip(7);
        return new PortStatus(reason, PortDescCodec.Decode(ref body, session));
    }

    /// <summary>Writes OFPT_PORT_STATUS.</summary>
    public static void EncodePortStatus(PortStatus m, WireWriter w, OfSession session)
    {
        w.U8(m.Reason);
        w.Zeros(7);
        PortDescCodec.Encode(m.Port, w, session);
    }

    /// <summary>Reads OFPT_PORT_MOD (1.0: 16-bit port; 1.3: ofp_port_mod; 1.4+: with an ethernet property for advertise).</summary>
    public static PortMod DecodePortMod(ref WireReader body, OfSession session)
    {
        if (session.Version == OpenFlowVersion.OF10)
        {
            uint port10 = PortNumbers.From10(body.U16());
            ulong mac10 = PortDescCodec.ReadMac(ref body);
            uint config10 = body.U32();
            uint mask10 = body.U32();
            uint adv10 = PortDescCodec.Features10To11(body.U32());
            body.Skip(4);
            return new PortMod(port10, mac10, config10, mask10, adv10);
        }

        uint port = body.U32();
        body.Skip(4);
        ulong mac = PortDescCodec.ReadMac(ref body);
        body.Skip(2);
        uint config = body.U32();
        uint mask = body.U32();
        if (session.Version == OpenFlowVersion.OF13)
        {
            uint adv = body.U32();
            body.Skip(4);
            return new PortMod(port, mac, config, mask, adv);
        }

        uint advertise = 0;
        while (!body.AtEnd)
        {
            ushort type = body.U16();
            ushort len = body.U16();
            if (len < 4)
            {
                throw new OfErrorException(OfError.BadPropertyBadLen, $"port-mod property of length {len}");
            }

            WireReader prop = body.Sub(len - 4, OfError.BadPropertyBadLen);
            body.Skip(Math.Min(body.Remaining, (8 - (len % 8)) % 8));
            if (type == 0)
            {
                advertise = prop.U32();
            }
            else
            {
                throw new OfErrorException(OfError.BadPropertyBadType, $"port-mod property type {type}");
            }
        }

        return new PortMod(port, mac, config, mask, advertise);
    }

    /// <summary>Writes OFPT_PORT_MOD.</summary>
    public static void EncodePortMod(PortMod m, WireWriter w, OfSession session)
    {
        if (session.Version == OpenFlowVersion.OF10)
        {
            w.U16(PortNumbers.To10(m.PortNo));
            PortDescCodec.WriteMac(w, m.HwAddr);
            w.U32(m.Config);
            w.U32(m.Mask);
            w.U32(PortDescCodec.Features11To10(m.Advertise));
            w.Zeros(4);
            return;
        }

        w.U32(m.PortNo);
        w.Zeros(4);
        PortDescCodec.WriteMac(w, m.HwAddr);
        w.Zeros(2);
        w.U32(m.Config);
        w.U32(m.Mask);
        if (session.Version == OpenFlowVersion.OF13)
        {
            w.U32(m.Advertise);
            w.Zeros(4);
            return;
        }

        if (m.Advertise != 0)
        {
            // Open vSwitch leaves the property out when nothing is advertised (0 changes nothing).
            w.U16(0); // OFPPMPT_ETHERNET
            w.U16(8);
            w.U32(m.Advertise);
        }
    }

    /// <summary>Reads an OFPMP_PORT_DESC request body: empty before 1.5, port number and pad in 1.5.</summary>
    public static PortDescRequest DecodePortDescRequest(ref WireReader body, OfSession session)
    {
        if (session.Version < OpenFlowVersion.OF15)
        {
            return EmptyBodyCheck(ref body, new PortDescRequest());
        }

        uint port = body.U32();
        body.Skip(4);
        return new PortDescRequest(port);
    }

    /// <summary>Writes an OFPMP_PORT_DESC request body.</summary>
    public static void EncodePortDescRequest(PortDescRequest m, WireWriter w, OfSession session)
    {
        if (session.Version >= OpenFlowVersion.OF15)
        {
            w.U32(m.PortNo);
            w.Zeros(4);
        }
    }

    /// <summary>Reads an OFPMP_PORT_STATS request body: the port and padding (1.0: 16-bit port, 6 pad bytes).</summary>
    public static PortStatsRequest DecodePortStatsRequest(ref WireReader body, OfSession session)
    {
        uint port = PortNumbers.Read(ref body, session.Version);
        body.Skip(session.Version == OpenFlowVersion.OF10 ? 6 : 4);
        return new PortStatsRequest(port);
    }

    /// <summary>Writes an OFPMP_PORT_STATS request body.</summary>
    public static void EncodePortStatsRequest(PortStatsRequest m, WireWriter w, OfSession session)
    {
        PortNumbers.Write(w, m.PortNo, session.Version);
        w.Zeros(session.Version == OpenFlowVersion.OF10 ? 6 : 4);
    }

    /// <summary>Reads one port's counters (104 bytes in 1.0, 112 in 1.3, 80 and properties in 1.4+).</summary>
    public static PortStats DecodePortStats(ref WireReader body, OfSession session)
    {
        if (session.Version <= OpenFlowVersion.OF13)
        {
            uint port = PortNumbers.Read(ref body, session.Version);
            body.Skip(session.Version == OpenFlowVersion.OF10 ? 6 : 4);
            var s = new PortStats(port, body.U64(), body.U64(), body.U64(), body.U64(), body.U64(), body.U64(), body.U64(), body.U64(), body.U64(), body.U64(), body.U64(), body.U64());
            return session.Version == OpenFlowVersion.OF10 ? s : s with { DurationSec = body.U32(), DurationNsec = body.U32() };
        }

        ushort length = body.U16();
        if (length < 80)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"ofp_port_stats of length {length}");
        }

        WireReader e = body.Sub(length - 2);
        e.Skip(2);
        uint portNo = e.U32();
        uint sec = e.U32();
        uint nsec = e.U32();
        ulong rxp = e.U64(), txp = e.U64(), rxb = e.U64(), txb = e.U64(), rxd = e.U64(), txd = e.U64(), rxe = e.U64(), txe = e.U64();
        ulong frame = ulong.MaxValue, over = ulong.MaxValue, crc = ulong.MaxValue, coll = ulong.MaxValue;
        var extra = new WireWriter(0);
        while (!e.AtEnd)
        {
            ReadOnlySpan<byte> start = e.Rest;
            ushort type = e.U16();
            ushort len = e.U16();
            if (len < 4)
            {
                throw new OfErrorException(OfError.BadPropertyBadLen, $"port stats property of length {len}");
            }

            WireReader prop = e.Sub(len - 4, OfError.BadPropertyBadLen);
            int pad = Math.Min(e.Remaining, (8 - (len % 8)) % 8);
            e.Skip(pad);
            if (type == 0)
            {
                prop.Skip(4);
                frame = prop.U64();
                over = prop.U64();
                crc = prop.U64();
                coll = prop.U64();
            }
            else
            {
                extra.Bytes(start[..(len + pad)]);
            }
        }

        return new PortStats(portNo, rxp, txp, rxb, txb, rxd, txd, rxe, txe, frame, over, crc, coll, sec, nsec, extra.ToArray());
    }

    /// <summary>Writes one port's counters.</summary>
    public static void EncodePortStats(PortStats s, WireWriter w, OfSession session)
    {
        if (session.Version <= OpenFlowVersion.OF13)
        {
            PortNumbers.Write(w, s.PortNo, session.Version);
            w.Zeros(session.Version == OpenFlowVersion.OF10 ? 6 : 4);
            w.U64(s.RxPackets);
            w.U64(s.TxPackets);
            w.U64(s.RxBytes);
            w.U64(s.TxBytes);
            w.U64(s.RxDropped);
            w.U64(s.TxDropped);
            w.U64(s.RxErrors);
            w.U64(s.TxErrors);
            w.U64(s.RxFrameErr);
            w.U64(s.RxOverErr);
            w.U64(s.RxCrcErr);
            w.U64(s.Collisions);
            if (session.Version == OpenFlowVersion.OF13)
            {
                w.U32(s.DurationSec);
                w.U32(s.DurationNsec);
            }

            return;
        }

        int start = w.Length;
        w.U16(0);
        w.Zeros(2);
        w.U32(s.PortNo);
        w.U32(s.DurationSec);
        w.U32(s.DurationNsec);
        w.U64(s.RxPackets);
        w.U64(s.TxPackets);
        w.U64(s.RxBytes);
        w.U64(s.TxBytes);
        w.U64(s.RxDropped);
        w.U64(s.TxDropped);
        w.U64(s.RxErrors);
        w.U64(s.TxErrors);
        w.U16(0); // OFPPSPT_ETHERNET
        w.U16(40);
        w.Zeros(4);
        w.U64(s.RxFrameErr);
        w.U64(s.RxOverErr);
        w.U64(s.RxCrcErr);
        w.U64(s.Collisions);
        w.Bytes(s.ExtraProperties.Span);
        w.PatchU16(start, (ushort)(w.Length - start));
    }

    private static PortDescRequest EmptyBodyCheck(ref WireReader body, PortDescRequest r)
    {
        if (!body.AtEnd)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"port description request with {body.Remaining} bytes of body");
        }

        return r;
    }
}

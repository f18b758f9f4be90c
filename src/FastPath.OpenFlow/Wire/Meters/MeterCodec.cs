using FastPath.OpenFlow.Meters;

namespace FastPath.OpenFlow.Wire.Meters;

/// <summary>
/// Meters on the wire (OpenFlow 1.3-1.5) as Open vSwitch 3.1 reads them: OFPT_METER_MOD, and the meter-stats,
/// meter-config and meter-features multipart bodies (read after the multipart header). As ovs-vswitchd 3.1 answers:
/// an unknown command is OFPMMFC_BAD_COMMAND; an add or modify with both kbps and pktps OFPMMFC_BAD_FLAGS; a band of
/// unknown type OFPMMFC_BAD_BAND; a band of a length other than 16, or bytes after the last band too few for one,
/// OFPBRC_BAD_LEN. A delete's flags and bands are not read (its meter id is all that counts).
/// </summary>
public static class MeterCodec
{
    private const int BandLength = 16;

    /// <summary>Decodes OFPT_METER_MOD's body.</summary>
    public static MeterModMessage DecodeMeterMod(ref WireReader body, OfSession s)
    {
        ushort command = body.U16();
        if (command > 2)
        {
            throw new OfErrorException(OfError.MeterModFailedBadCommand, $"meter-mod command {command} is unknown");
        }

        var flags = (OfMeterFlags)body.U16();
        uint meterId = body.U32();
        if ((OfMeterModCommand)command == OfMeterModCommand.Delete)
        {
            body.Skip(body.Remaining);
            return new MeterModMessage(OfMeterModCommand.Delete, new OfMeterConfig { MeterId = meterId });
        }

        if ((flags & (OfMeterFlags.Kbps | OfMeterFlags.Pktps)) == (OfMeterFlags.Kbps | OfMeterFlags.Pktps))
        {
            throw new OfErrorException(OfError.MeterModFailedBadFlags, $"meter {meterId} has both kbps and pktps");
        }

        List<OfMeterBand> bands = DecodeBands(ref body);
        return new MeterModMessage((OfMeterModCommand)command, new OfMeterConfig { MeterId = meterId, Flags = flags, Bands = bands });
    }

    /// <summary>Encodes OFPT_METER_MOD's body.</summary>
    public static void EncodeMeterMod(MeterModMessage m, WireWriter w, OfSession s)
    {
        w.U16((ushort)m.Command);
        w.U16((ushort)m.Meter.Flags);
        w.U32(m.Meter.MeterId);
        EncodeBands(m.Meter.Bands, w);
    }

    /// <summary>Decodes a meter-stats or meter-config request body: the meter id (OFPM_ALL for every meter).</summary>
    public static uint DecodeMeterRequest(ref WireReader body, OfSession s)
    {
        uint meterId = body.U32();
        body.Skip(4);
        return meterId;
    }

    /// <summary>Encodes a meter-stats or meter-config request body.</summary>
    public static void EncodeMeterRequest(uint meterId, WireWriter w, OfSession s)
    {
        w.U32(meterId);
        w.Zeros(4);
    }

    /// <summary>Decodes one meter-config reply entry.</summary>
    public static OfMeterConfig DecodeMeterConfig(ref WireReader body, OfSession s)
    {
        int length = body.U16();
        if (length < 8)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"meter-config entry of length {length}");
        }

        var flags = (OfMeterFlags)body.U16();
        uint meterId = body.U32();
        WireReader bands = body.Sub(length - 8);
        return new OfMeterConfig { MeterId = meterId, Flags = flags, Bands = DecodeBands(ref bands) };
    }

    /// <summary>Encodes one meter-config reply entry.</summary>
    public static void EncodeMeterConfig(OfMeterConfig m, WireWriter w, OfSession s)
    {
        int start = w.Length;
        w.U16(0);
        w.U16((ushort)m.Flags);
        w.U32(m.MeterId);
        EncodeBands(m.Bands, w);
        w.PatchU16(start, (ushort)(w.Length - start));
    }

    /// <summary>Decodes one meter-stats reply entry.</summary>
    public static OfMeterStats DecodeMeterStats(ref WireReader body, OfSession s)
    {
        uint meterId = body.U32();
        int length = body.U16();
        if (length < 40 || (length - 40) % 16 != 0)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"meter-stats entry of length {length}");
        }

        body.Skip(6);
        uint flows = body.U32();
        ulong packets = body.U64();
        ulong bytes = body.U64();
        uint sec = body.U32();
        uint nsec = body.U32();
        var bands = new OfMeterBandStats[(length - 40) / 16];
        for (int i = 0; i < bands.Length; i++)
        {
            bands[i] = new OfMeterBandStats(body.U64(), body.U64());
        }

        return new OfMeterStats(meterId, flows, packets, bytes, sec, nsec, bands);
    }

    /// <summary>Encodes one meter-stats reply entry.</summary>
    public static void EncodeMeterStats(OfMeterStats m, WireWriter w, OfSession s)
    {
        w.U32(m.MeterId);
        w.U16((ushort)(40 + (16 * m.Bands.Count)));
        w.Zeros(6);
        w.U32(m.FlowCount);
        w.U64(m.PacketInCount);
        w.U64(m.ByteInCount);
        w.U32(m.DurationSeconds);
        w.U32(m.DurationNanoseconds);
        foreach (OfMeterBandStats b in m.Bands)
        {
            w.U64(b.Packets);
            w.U64(b.Bytes);
        }
    }

    /// <summary>Decodes a meter-features reply body.</summary>
    public static OfMeterFeatures DecodeMeterFeatures(ref WireReader body, OfSession s)
    {
        uint max = body.U32();
        uint bandTypes = body.U32();
        uint caps = body.U32();
        byte maxBands = body.U8();
        byte maxColor = body.U8();
        body.Skip(2);
        return new OfMeterFeatures(max, bandTypes, caps, maxBands, maxColor);
    }

    /// <summary>Encodes a meter-features reply body.</summary>
    public static void EncodeMeterFeatures(OfMeterFeatures f, WireWriter w, OfSession s)
    {
        w.U32(f.MaxMeter);
        w.U32(f.BandTypes);
        w.U32(f.Capabilities);
        w.U8(f.MaxBands);
        w.U8(f.MaxColor);
        w.Zeros(2);
    }

    private static List<OfMeterBand> DecodeBands(ref WireReader body)
    {
        var bands = new List<OfMeterBand>();
        while (!body.AtEnd)
        {
            if (body.Remaining < BandLength)
            {
                throw new OfErrorException(OfError.BadRequestBadLen, $"{body.Remaining} bytes left: too short for a band");
            }

            var type = (OfMeterBandType)body.U16();
            int length = body.U16();
            uint rate = body.U32();
            uint burst = body.U32();
            if (length != BandLength)
            {
                throw new OfErrorException(OfError.BadRequestBadLen, $"band of length {length}");
            }

            if (type is not (OfMeterBandType.Drop or OfMeterBandType.DscpRemark))
            {
                throw new OfErrorException(OfError.MeterModFailedBadBand, $"band type {(ushort)type} is unknown");
            }

            byte prec = body.U8();
            body.Skip(3);
            bands.Add(new OfMeterBand(type, rate, burst, type == OfMeterBandType.DscpRemark ? prec : (byte)0));
        }

        return bands;
    }

    private static void EncodeBands(IReadOnlyList<OfMeterBand> bands, WireWriter w)
    {
        foreach (OfMeterBand b in bands)
        {
            w.U16((ushort)b.Type);
            w.U16(BandLength);
            w.U32(b.Rate);
            w.U32(b.BurstSize);
            w.U8(b.Type == OfMeterBandType.DscpRemark ? b.PrecLevel : (byte)0);
            w.Zeros(3);
        }
    }
}

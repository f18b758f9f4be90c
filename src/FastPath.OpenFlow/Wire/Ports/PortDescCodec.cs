namespace FastPath.OpenFlow.Wire.Ports;

/// <summary>
/// The port description structure of each version: ofp_phy_port (1.0, 48 bytes), ofp_port (1.3, 64 bytes), and
/// 1.4+'s ofp_port (40 bytes and properties; the ethernet property carries features and speeds).
/// </summary>
public static class PortDescCodec
{
    /// <summary>Width of a port name (OFP_MAX_PORT_NAME_LEN).</summary>
    public const int NameLength = 16;

    /// <summary>Config bits 1.0 has (OFPPC10_ALL).</summary>
    public const uint Config10Mask = 0x7f;

    /// <summary>State bits 1.3+ has (OFPPS11_ALL: link down, blocked, live); OVS keeps only these, on decode as on encode.</summary>
    public const uint State11Mask = 0x7;

    /// <summary>Config bits 1.3+ has.</summary>
    public const uint Config11Mask = 0x65;

    /// <summary>OFPPDPT_ETHERNET.</summary>
    private const ushort EthernetProperty = 0;

    /// <summary>Reads one port description of <paramref name="session"/>'s version.</summary>
    public static OfPortDesc Decode(ref WireReader r, OfSession session)
    {
        switch (session.Version)
        {
            case OpenFlowVersion.OF10:
                {
                    uint port = PortNumbers.From10(r.U16());
                    ulong mac = ReadMac(ref r);
                    string name = r.FixedString(NameLength, terminated: true);
                    uint config = r.U32() & Config10Mask; // OVS keeps only the bits it knows (OFPPC10_ALL), as it sends
                    uint state10 = r.U32();
                    uint state = (state10 & 1) | (state10 & 0x300);
                    return new OfPortDesc(port, mac, name, config, state, Features10To11(r.U32()), Features10To11(r.U32()), Features10To11(r.U32()), Features10To11(r.U32()));
                }

            case OpenFlowVersion.OF13:
                {
                    uint port = r.U32();
                    r.Skip(4);
                    ulong mac = ReadMac(ref r);
                    r.Skip(2);
                    string name = r.FixedString(NameLength, terminated: true);
                    return new OfPortDesc(port, mac, name, r.U32() & Config11Mask, r.U32() & State11Mask, r.U32(), r.U32(), r.U32(), r.U32(), r.U32(), r.U32());
                }

            default:
                {
                    uint port = r.U32();
                    ushort length = r.U16();
                    if (length < 40)
                    {
                        throw new OfErrorException(OfError.BadRequestBadLen, $"ofp_port of length {length}");
                    }

                    WireReader body = r.Sub(length - 6);
                    body.Skip(2);
                    ulong mac = ReadMac(ref body);
                    body.Skip(2);
                    string name = body.FixedString(NameLength, terminated: true);
                    var desc = new OfPortDesc(port, mac, name, body.U32() & Config11Mask, body.U32() & State11Mask);
                    while (!body.AtEnd)
                    {
                        ushort type = body.U16();
                        ushort plen = body.U16();
                        if (plen < 4)
                        {
                            throw new OfErrorException(OfError.BadPropertyBadLen, $"port property of length {plen}");
                        }

                        WireReader prop = body.Sub(plen - 4, OfError.BadPropertyBadLen);
                        body.Skip(Math.Min(body.Remaining, (8 - (plen % 8)) % 8));
                        if (type == EthernetProperty)
                        {
                            prop.Skip(4);
                            desc = desc with { Curr = prop.U32(), Advertised = prop.U32(), Supported = prop.U32(), Peer = prop.U32(), CurrSpeed = prop.U32(), MaxSpeed = prop.U32() };
                        }
                    }

                    return desc;
                }
        }
    }

    /// <summary>Writes one port description of <paramref name="session"/>'s version.</summary>
    public static void Encode(OfPortDesc p, WireWriter w, OfSession session)
    {
        switch (session.Version)
        {
            case OpenFlowVersion.OF10:
                w.U16(PortNumbers.To10(p.PortNo));
                WriteMac(w, p.HwAddr);
                w.FixedString(p.Name, NameLength);
                w.U32(p.Config & Config10Mask);
                w.U32(p.State & 0x301);
                w.U32(Features11To10(p.Curr));
                w.U32(Features11To10(p.Advertised));
                w.U32(Features11To10(p.Supported));
                w.U32(Features11To10(p.Peer));
                break;
            case OpenFlowVersion.OF13:
                w.U32(p.PortNo);
                w.Zeros(4);
                WriteMac(w, p.HwAddr);
                w.Zeros(2);
                w.FixedString(p.Name, NameLength);
                w.U32(p.Config & Config11Mask);
                w.U32(p.State & State11Mask);
                w.U32(p.Curr);
                w.U32(p.Advertised);
                w.U32(p.Supported);
                w.U32(p.Peer);
                w.U32(p.CurrSpeed);
                w.U32(p.MaxSpeed);
                break;
            default:
                int start = w.Length;
                w.U32(p.PortNo);
                w.U16(72);
                w.Zeros(2);
                WriteMac(w, p.HwAddr);
                w.Zeros(2);
                w.FixedString(p.Name, NameLength);
                w.U32(p.Config & Config11Mask);
                w.U32(p.State & State11Mask);
                w.U16(EthernetProperty);
                w.U16(32);
                w.Zeros(4);
                w.U32(p.Curr);
                w.U32(p.Advertised);
                w.U32(p.Supported);
                w.U32(p.Peer);
                w.U32(p.CurrSpeed);
                w.U32(p.MaxSpeed);
                w.PatchU16(start + 4, (ushort)(w.Length - start));
                break;
        }
    }

    /// <summary>Reads a 6-byte Ethernet address.</summary>
    public static ulong ReadMac(ref WireReader r)
    {
        ulong hi = r.U16();
        return (hi << 32) | r.U32();
    }

    /// <summary>Writes a 6-byte Ethernet address.</summary>
    public static void WriteMac(WireWriter w, ulong mac)
    {
        w.U16((ushort)(mac >> 32));
        w.U32((uint)mac);
    }

    /// <summary>OpenFlow 1.0 OFPPF_* bits in 1.3 numbering (rates 0-6 stay; copper..pause_asym move from 7-11 to 11-15).</summary>
    public static uint Features10To11(uint f) => (f & 0x7f) | ((f & 0xf80) << 4);

    /// <summary>1.3 OFPPF_* bits as OpenFlow 1.0 has them (40G, 100G, 1T and OTHER are dropped).</summary>
    public static uint Features11To10(uint f) => (f & 0x7f) | ((f >> 4) & 0xf80);
}

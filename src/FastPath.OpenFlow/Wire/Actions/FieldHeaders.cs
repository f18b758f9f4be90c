using System.Collections.Frozen;
using FastPath.OpenFlow.Fields;

namespace FastPath.OpenFlow.Wire.Actions;

/// <summary>
/// The 32-bit NXM/OXM headers that name a field inside actions: Nicira's reg_load and reg_move name fields by
/// their NXM header (NXM_OF_ETH_SRC is class 0, field 2), OpenFlow's set_field and copy_field by the version's
/// OXM header (OXM_OF_ETH_SRC is class 0x8000, field 4), falling back to the NXM one for fields OpenFlow lacks,
/// as Open vSwitch's mf_nxm_header and mf_oxm_header do.
/// </summary>
internal static class FieldHeaders
{
    /// <summary>Bits of NXM_OF_IN_PORT (Open vSwitch's 16-bit in_port; OXM_OF_IN_PORT has 32).</summary>
    public const int NxmInPortBits = 16;

    // NXM_OF_*: class 0; NXM_NX_*: class 1 (registers NXM_NX_REG0-7 are fields 0-7).
    private static readonly (string Name, int Class, int Field)[] Nxm =
    [
        ("NXM_OF_IN_PORT", 0, 0), ("NXM_OF_ETH_DST", 0, 1), ("NXM_OF_ETH_SRC", 0, 2), ("NXM_OF_ETH_TYPE", 0, 3),
        ("NXM_OF_VLAN_TCI", 0, 4), ("NXM_OF_IP_TOS", 0, 5), ("NXM_OF_IP_PROTO", 0, 6), ("NXM_OF_IP_SRC", 0, 7),
        ("NXM_OF_IP_DST", 0, 8), ("NXM_OF_TCP_SRC", 0, 9), ("NXM_OF_TCP_DST", 0, 10), ("NXM_OF_UDP_SRC", 0, 11),
        ("NXM_OF_UDP_DST", 0, 12), ("NXM_OF_ICMP_TYPE", 0, 13), ("NXM_OF_ICMP_CODE", 0, 14), ("NXM_OF_ARP_OP", 0, 15),
        ("NXM_OF_ARP_SPA", 0, 16), ("NXM_OF_ARP_TPA", 0, 17), ("NXM_NX_TUN_ID", 1, 16), ("NXM_NX_ARP_SHA", 1, 17),
        ("NXM_NX_ARP_THA", 1, 18), ("NXM_NX_IPV6_SRC", 1, 19), ("NXM_NX_IPV6_DST", 1, 20), ("NXM_NX_ICMPV6_TYPE", 1, 21),
        ("NXM_NX_ICMPV6_CODE", 1, 22), ("NXM_NX_ND_TARGET", 1, 23), ("NXM_NX_ND_SLL", 1, 24), ("NXM_NX_ND_TLL", 1, 25),
        ("NXM_NX_IP_FRAG", 1, 26), ("NXM_NX_IPV6_LABEL", 1, 27), ("NXM_NX_IP_ECN", 1, 28), ("NXM_NX_IP_TTL", 1, 29),
        ("NXM_NX_MPLS_TTL", 1, 30), ("NXM_NX_TCP_FLAGS", 1, 34),
        ("NXM_NX_REG0", 1, 0), ("NXM_NX_REG1", 1, 1), ("NXM_NX_REG2", 1, 2), ("NXM_NX_REG3", 1, 3),
        ("NXM_NX_REG4", 1, 4), ("NXM_NX_REG5", 1, 5), ("NXM_NX_REG6", 1, 6), ("NXM_NX_REG7", 1, 7),
    ];

    /// <summary>(class &lt;&lt; 16 | field &lt;&lt; 9) of each field's NXM (or, for OXM_OF_ names, OXM) header.</summary>
    private static readonly FrozenDictionary<OfField, uint> NxmIds = OfFields.All
        .Where(f => f.NxmName is not null)
        .ToFrozenDictionary(f => f, f => NxmId(f));

    /// <summary>Every field by the class and field number of any header that names it (NXM or OXM).</summary>
    private static readonly FrozenDictionary<uint, OfField> ByHeaderId = BuildByHeaderId();

    /// <summary>The header (without mask) reg_load and reg_move use for <paramref name="field"/>.</summary>
    public static uint NxmHeader(OfField field, bool masked = false)
    {
        uint id = NxmIds.TryGetValue(field, out uint v) ? v : throw new ArgumentException($"{field.Name} has no NXM or OXM header", nameof(field));
        int bytes = WireBytes(id, field);
        return id | (masked ? 0x100u : 0u) | (uint)(masked ? 2 * bytes : bytes);
    }

    /// <summary>The header set_field and copy_field use for <paramref name="field"/>: the OpenFlow basic OXM when the field has one.</summary>
    public static uint OxmHeader(OfField field, bool masked = false) =>
        field.HasOxm && field.OxmClass == OxmClass.OpenFlowBasic ? field.OxmHeader(masked) : NxmHeader(field, masked);

    /// <summary>Bits of the field a header names (16 for NXM_OF_IN_PORT, else the field's width).</summary>
    public static int Bits(uint header, OfField field) => (header & 0xfffffe00) == 0 ? NxmInPortBits : field.Bits;

    /// <summary>The field a header names (the mask bit and length ignored), or null.</summary>
    public static OfField? Find(uint header) => ByHeaderId.GetValueOrDefault(header & 0xfffffe00);

    /// <summary>Payload bytes of the field a header names (one value, no mask).</summary>
    public static int WireBytes(uint header, OfField field) => (header & 0xfffffe00) == 0 ? 2 : field.OxmLength;

    /// <summary>
    /// Reads one NXM/OXM header and, when <paramref name="withValue"/>, its value and mask from <paramref name="r"/>
    /// (nx_pull_entry / nx_pull_header), failing as Open vSwitch 3.1 answers for <paramref name="use"/>: an
    /// unmapped tun_metadata field is NXFMFC_INVALID_TLV_FIELD; another unknown field is OFPBAC_BAD_SET_LEN in a
    /// set_field, OFPBAC_BAD_SET_TYPE in a reg_load, OFPBMC_BAD_FIELD in a move; a length that does not fit the
    /// field is OFPBAC_BAD_SET_LEN in a set_field, else OFPBMC_BAD_FIELD; a mask where none is allowed is
    /// OFPBMC_BAD_WILDCARDS in a set_field, OFPBMC_BAD_MASK in a move; a value cut short OFPBMC_BAD_LEN.
    /// </summary>
    public static (OfField Field, uint Header, UInt128 Value, UInt128 Mask) Pull(ref WireReader r, bool withValue, bool mayMask, HeaderUse use)
    {
        OfError saved = r.Truncated;
        r.Truncated = OfError.BadMatchBadLen;
        uint header = r.U32();
        if ((header >> 16) == 0xffff)
        {
            // An experimenter OXM: the experimenter id follows; FastPath knows none of those fields.
            r.U32();
            throw Unknown(header, use);
        }

        OfField field = Find(header) ?? throw Unknown(header, use);
        bool masked = (header & 0x100) != 0;
        int bytes = WireBytes(header, field);
        int length = (int)(header & 0xff);
        if (length != (masked ? 2 * bytes : bytes))
        {
            throw new OfErrorException(use switch { HeaderUse.SetField => OfError.BadActionBadSetLen, HeaderUse.Match => OfError.BadMatchBadLen, _ => OfError.BadMatchBadField }, $"{field.Name} header 0x{header:x8} says {length} bytes, the field has {bytes}");
        }

        if (masked && !mayMask)
        {
            throw new OfErrorException(use == HeaderUse.SetField ? OfError.BadMatchBadWildcards : OfError.BadMatchBadMask, $"{field.Name} may not be masked here");
        }

        UInt128 value = 0;
        UInt128 mask = Ones(Bits(header, field));
        if (withValue)
        {
            value = Number(r.Bytes(bytes));
            if (masked)
            {
                mask = Number(r.Bytes(bytes));
            }
        }

        r.Truncated = saved;
        return (field, header, value, mask);
    }

    /// <summary>The error for a header that names no field FastPath knows, as Open vSwitch answers it for <paramref name="use"/>.</summary>
    public static OfErrorException Unknown(uint header, HeaderUse use)
    {
        // NXM_NX_TUN_METADATA0-63 (class 1, fields 40-103) exist only once a TLV map names them.
        uint cls = header >> 16;
        uint number = (header >> 9) & 0x7f;
        if (cls == 1 && number is >= 40 and <= 103)
        {
            return new OfErrorException(OfError.NxFlowModFailedInvalidTlvField, $"tun_metadata{number - 40} is not mapped");
        }

        OfError error = use switch
        {
            HeaderUse.SetField => OfError.BadActionBadSetLen,
            HeaderUse.Match => OfError.BadMatchBadField,
            HeaderUse.Load => OfError.BadActionBadSetType,
            _ => OfError.BadMatchBadField,
        };
        return new OfErrorException(error, $"OXM/NXM header 0x{header:x8} names no supported field");
    }

    /// <summary>Writes <paramref name="value"/> as <paramref name="bytes"/> big-endian bytes.</summary>
    public static void WriteNumber(WireWriter w, UInt128 value, int bytes)
    {
        for (int i = bytes - 1; i >= 0; i--)
        {
            w.U8((byte)(value >> (8 * i)));
        }
    }

    /// <summary>A big-endian number.</summary>
    public static UInt128 Number(ReadOnlySpan<byte> bytes)
    {
        UInt128 v = 0;
        foreach (byte b in bytes)
        {
            v = (v << 8) | b;
        }

        return v;
    }

    /// <summary>A mask of the low <paramref name="bits"/> bits.</summary>
    public static UInt128 Ones(int bits) => bits >= 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;

    private static uint NxmId(OfField f)
    {
        string name = f.NxmName!;
        foreach (var (n, c, field) in Nxm)
        {
            if (n == name)
            {
                return ((uint)c << 16) | ((uint)field << 9);
            }
        }

        // OXM_OF_* names: only OpenFlow's basic class names the field.
        return ((uint)f.OxmClass << 16) | ((uint)f.OxmField << 9);
    }

    private static FrozenDictionary<uint, OfField> BuildByHeaderId()
    {
        var d = new Dictionary<uint, OfField>();
        foreach (OfField f in OfFields.All)
        {
            if (f.NxmName is null)
            {
                continue;
            }

            d.TryAdd(NxmId(f), f);
            d.TryAdd(((uint)f.OxmClass << 16) | ((uint)f.OxmField << 9), f);
        }

        return d.ToFrozenDictionary();
    }
}

/// <summary>Where a field header is read: its errors differ (see <see cref="FieldHeaders.Pull"/>).</summary>
internal enum HeaderUse
{
    /// <summary>OFPAT_SET_FIELD and NXAST_REG_LOAD2.</summary>
    SetField,

    /// <summary>NXAST_REG_LOAD's destination.</summary>
    Load,

    /// <summary>NXAST_REG_MOVE / copy_field.</summary>
    Move,

    /// <summary>A match's OXM (a packet-out's, a group's selection fields).</summary>
    Match,
}

using System.Collections.Frozen;
using FastPath.OpenFlow.Fields;
using P = FastPath.OpenFlow.Fields.FieldPrerequisite;

namespace FastPath.OpenFlow.Wire.Match;

/// <summary>
/// Every match TLV header FastPath understands (ovs-fields(7) lists them per field), with lookups by wire header
/// for decoding and by field and dialect for encoding.
/// </summary>
public static class OxmEntries
{
    /// <summary>OFPXMC_EXPERIMENTER: the header is followed by a 32-bit experimenter id.</summary>
    public const ushort ExperimenterClass = 0xffff;

    /// <summary>ONF's experimenter id (ONFOXM_ET_*: tcp_flags before OpenFlow 1.5).</summary>
    public const uint OnfExperimenter = 0x4f4e4600;

    /// <summary>OFPXMC_PACKET_REGS (OpenFlow 1.5): 64-bit registers.</summary>
    public const ushort PacketRegsClass = 0x8001;

    /// <summary>NXM_NX_COOKIE / NXM_NX_COOKIE_W: the cookie filter of NXT_FLOW_MOD and NXST_FLOW.</summary>
    public static readonly OxmEntry Cookie = new(1, 30, 0, 8, null, P.None, OxmEntryKind.Cookie);

    private const ushort B = (ushort)OxmClass.OpenFlowBasic;

    /// <summary>Every header, OXM basic first.</summary>
    public static readonly IReadOnlyList<OxmEntry> All = Build();

    private static readonly FrozenDictionary<(uint Header, uint Experimenter), OxmEntry> ByHeader = All
        .SelectMany(e => new[] { KeyValuePair.Create((e.Header(false), e.Experimenter), e), KeyValuePair.Create((e.Header(true), e.Experimenter), e) })
        .ToFrozenDictionary();

    private static readonly FrozenDictionary<OfField, OxmEntry> NxmPreferred = Prefer(e => e.Class is 0 or 1, e => e.Class == B);

    private static readonly FrozenDictionary<OfField, OxmEntry> Oxm13Preferred =
        Prefer(e => e.Class == B && e.Number != 42, e => e.Class == ExperimenterClass, e => e.Class is 0 or 1);

    private static readonly FrozenDictionary<OfField, OxmEntry> Oxm15Preferred = Prefer(e => e.Class == B, e => e.Class is 0 or 1);

    /// <summary>The entry whose header (with its has-mask bit and length) and experimenter id are these, or null (OFPBMC_BAD_FIELD).</summary>
    public static OxmEntry? Find(uint header, uint experimenter) => ByHeader.GetValueOrDefault((header, experimenter));

    /// <summary>The header <paramref name="dialect"/> writes <paramref name="field"/> with, or null if the field has none.</summary>
    public static OxmEntry? For(OfField field, MatchDialect dialect) => dialect switch
    {
        MatchDialect.Nxm => NxmPreferred.GetValueOrDefault(field),
        MatchDialect.Oxm13 => Oxm13Preferred.GetValueOrDefault(field),
        _ => Oxm15Preferred.GetValueOrDefault(field),
    };

    private static FrozenDictionary<OfField, OxmEntry> Prefer(params Func<OxmEntry, bool>[] tiers)
    {
        var d = new Dictionary<OfField, OxmEntry>();
        foreach (Func<OxmEntry, bool> tier in tiers)
        {
            foreach (OxmEntry e in All)
            {
                if (e.Kind is OxmEntryKind.Plain or OxmEntryKind.InPort16 && tier(e))
                {
                    d.TryAdd(e.Field!, e);
                }
            }
        }

        return d.ToFrozenDictionary();
    }

    private static OxmEntry[] Build()
    {
        var l = new List<OxmEntry>();
        void Add(ushort cls, byte n, int width, OfField f, P? prereq = null, uint exp = 0) =>
            l.Add(new OxmEntry(cls, n, exp, width, f, prereq ?? f.Prerequisite, OxmEntryKind.Plain));

        // OXM basic (OpenFlow 1.2+; tcp_flags is OpenFlow 1.5's).
        Add(B, 0, 4, OfFields.InPort);
        Add(B, 1, 4, OfFields.InPhyPort);
        Add(B, 2, 8, OfFields.Metadata);
        Add(B, 3, 6, OfFields.EthDst);
        Add(B, 4, 6, OfFields.EthSrc);
        Add(B, 5, 2, OfFields.EthType);
        Add(B, 6, 2, OfFields.VlanVid);
        Add(B, 7, 1, OfFields.VlanPcp);
        Add(B, 8, 1, OfFields.IpDscp);
        Add(B, 9, 1, OfFields.NwEcn);
        Add(B, 10, 1, OfFields.NwProto);
        Add(B, 11, 4, OfFields.IpSrc);
        Add(B, 12, 4, OfFields.IpDst);
        Add(B, 13, 2, OfFields.TcpSrc);
        Add(B, 14, 2, OfFields.TcpDst);
        Add(B, 15, 2, OfFields.UdpSrc);
        Add(B, 16, 2, OfFields.UdpDst);
        Add(B, 17, 2, OfFields.SctpSrc);
        Add(B, 18, 2, OfFields.SctpDst);
        Add(B, 19, 1, OfFields.IcmpType, P.Icmp4);
        Add(B, 20, 1, OfFields.IcmpCode, P.Icmp4);
        Add(B, 21, 2, OfFields.ArpOp);
        Add(B, 22, 4, OfFields.ArpSpa);
        Add(B, 23, 4, OfFields.ArpTpa);
        Add(B, 24, 6, OfFields.ArpSha);
        Add(B, 25, 6, OfFields.ArpTha);
        Add(B, 26, 16, OfFields.Ipv6Src);
        Add(B, 27, 16, OfFields.Ipv6Dst);
        Add(B, 28, 4, OfFields.Ipv6Label);
        Add(B, 29, 1, OfFields.Icmpv6Type);
        Add(B, 30, 1, OfFields.Icmpv6Code);
        Add(B, 31, 16, OfFields.NdTarget);
        Add(B, 32, 6, OfFields.NdSll);
        Add(B, 33, 6, OfFields.NdTll);
        Add(B, 34, 4, OfFields.MplsLabel);
        Add(B, 35, 1, OfFields.MplsTc);
        Add(B, 36, 1, OfFields.MplsBos);
        Add(B, 37, 3, OfFields.PbbIsid);
        Add(B, 38, 8, OfFields.TunId);
        Add(B, 39, 2, OfFields.Ipv6Exthdr);
        Add(B, 42, 2, OfFields.TcpFlags);

        // ONF's experimenter tcp_flags (what Open vSwitch sends over OpenFlow 1.3 and 1.4).
        Add(ExperimenterClass, 42, 2, OfFields.TcpFlags, exp: OnfExperimenter);

        // NXM_OF_* (class 0).
        l.Add(new OxmEntry(0, 0, 0, 2, OfFields.InPort, P.None, OxmEntryKind.InPort16));
        Add(0, 1, 6, OfFields.EthDst);
        Add(0, 2, 6, OfFields.EthSrc);
        Add(0, 3, 2, OfFields.EthType);
        Add(0, 4, 2, OfFields.VlanTci);
        Add(0, 5, 1, OfFields.NwTos);
        Add(0, 6, 1, OfFields.NwProto);
        Add(0, 7, 4, OfFields.IpSrc);
        Add(0, 8, 4, OfFields.IpDst);
        Add(0, 9, 2, OfFields.TcpSrc);
        Add(0, 10, 2, OfFields.TcpDst);
        Add(0, 11, 2, OfFields.UdpSrc);
        Add(0, 12, 2, OfFields.UdpDst);
        Add(0, 13, 1, OfFields.IcmpType, P.Icmp4);
        Add(0, 14, 1, OfFields.IcmpCode, P.Icmp4);
        Add(0, 15, 2, OfFields.ArpOp);
        Add(0, 16, 4, OfFields.ArpSpa);
        Add(0, 17, 4, OfFields.ArpTpa);

        // NXM_NX_* (class 1).
        for (int i = 0; i < OfFields.Regs.Count; i++)
        {
            Add(1, (byte)i, 4, OfFields.Reg(i));
        }

        Add(1, 16, 8, OfFields.TunId);
        Add(1, 17, 6, OfFields.ArpSha);
        Add(1, 18, 6, OfFields.ArpTha);
        Add(1, 19, 16, OfFields.Ipv6Src);
        Add(1, 20, 16, OfFields.Ipv6Dst);
        Add(1, 21, 1, OfFields.Icmpv6Type);
        Add(1, 22, 1, OfFields.Icmpv6Code);
        Add(1, 23, 16, OfFields.NdTarget);
        Add(1, 24, 6, OfFields.NdSll);
        Add(1, 25, 6, OfFields.NdTll);
        Add(1, 26, 1, OfFields.IpFrag);
        Add(1, 27, 4, OfFields.Ipv6Label);
        Add(1, 28, 1, OfFields.NwEcn);
        Add(1, 29, 1, OfFields.NwTtl);
        Add(1, 30, 1, OfFields.MplsTtl);
        Add(1, 34, 2, OfFields.TcpFlags);
        l.Add(Cookie);

        // OXM_OF_PKT_REG0-3 (OpenFlow 1.5's 64-bit registers, each two of Open vSwitch's 32-bit ones).
        for (int i = 0; i < OfFields.Regs.Count / 2; i++)
        {
            l.Add(new OxmEntry(PacketRegsClass, (byte)i, 0, 8, OfFields.Reg(2 * i), P.None, OxmEntryKind.PacketRegister));
        }

        return l.ToArray();
    }
}

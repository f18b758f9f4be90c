namespace FastPath.OpenFlow.Wire.Match;

/// <summary>Which TLV headers an encoded match prefers (decoding accepts every known header in every dialect, as Open vSwitch does).</summary>
public enum MatchDialect
{
    /// <summary>NXM (NXT_FLOW_MOD, NXST_FLOW, NXT_PACKET_IN...): NXM_OF_*/NXM_NX_* headers, OXM only for fields without one.</summary>
    Nxm,

    /// <summary>OpenFlow 1.2-1.4 OXM: basic-class headers, ONF's experimenter tcp_flags, NXM for fields OXM lacks.</summary>
    Oxm13,

    /// <summary>OpenFlow 1.5 OXM: as <see cref="Oxm13"/> with the basic-class tcp_flags.</summary>
    Oxm15,
}

/// <summary>The dialect of a version's OXM matches.</summary>
public static class MatchDialects
{
    /// <summary>The OXM dialect of OpenFlow <paramref name="version"/> (1.3, 1.4 or 1.5).</summary>
    public static MatchDialect ForVersion(OpenFlowVersion version) =>
        version >= OpenFlowVersion.OF15 ? MatchDialect.Oxm15 : MatchDialect.Oxm13;
}

namespace FastPath.Ofproto.Tests.PipelineSuite;

/// <summary>
/// Cases of the pipeline suite where FastPath knowingly differs from Open vSwitch, each with why. The suite
/// reports them and checks they still differ (a case that starts agreeing must come off this list); every other
/// case must agree exactly.
/// </summary>
internal static class PipelineKnownDifferences
{
    /// <summary>Case name: what differs, and why it is left so for now.</summary>
    public static readonly IReadOnlyDictionary<string, string> Cases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // The OpenFlow 1.0 actions without their prerequisite in the match. Open vSwitch takes them over OpenFlow
        // 1.0 (over 1.3 it refuses them too, OFPBAC_MATCH_INCONSISTENT) and at xlate skips the action on a packet
        // it does not fit. FastPath's flow parser checks prerequisites as OpenFlow 1.3 does and refuses the rule,
        // so the packet meets an empty table. Taking them needs the parser to accept them and xlate to skip
        // mod_nw_src/mod_nw_dst on a non-IPv4 packet (a set-field flagged as a 1.0 form); dec_ttl already is.
        ["dec-ttl-arp-untouched"] = "FastPath refuses `actions=dec_ttl,output:2` (no ip in the match); Open vSwitch sends the ARP packet on unchanged",
        ["dec-ttl-tagged"] = "FastPath refuses `actions=dec_ttl,output:2` (no ip in the match); Open vSwitch decrements the tagged IPv4 packet's TTL",
        ["mod-nw-src-on-arp-is-skipped"] = "FastPath refuses `actions=mod_nw_src:...` without ip; Open vSwitch sends the ARP packet on unchanged",
        ["output-then-modify-then-output"] = "FastPath refuses `in_port=1,actions=output:2,mod_nw_dst:...,output:3` without ip; Open vSwitch rewrites the IPv4 packet",
    };
}

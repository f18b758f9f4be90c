using System.Net;
using FastPath.Datapath.Actions;

namespace FastPath.Datapath.Tests.Actions;

/// <summary>Checks of the older set-field actions against Open vSwitch's semantics where they meet the new fields.</summary>
public sealed class SetFieldOvsSemanticsTests : IDisposable
{
    private const int L3 = 14;
    private readonly ActionHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public void DscpThroughTheTosByteKeepsEcnAndEcnKeepsDscp()
    {
        // ip_dscp and ip_ecn reach the datapath as masked sets of the TOS byte (or traffic class).
        byte[] v4 = ActionTestPackets.Ipv4Tcp(tos: 0x03);
        var (_, bytes, _, _) = h.Run(v4, new ActionProgramBuilder().SetIpv4Tos(46 << 2, 0xfc));
        Assert.Equal((46 << 2) | 0x03, bytes[L3 + 1]);
        ActionHarness.AssertChecksumsValid(bytes);

        (_, bytes, _, _) = h.Run(ActionTestPackets.Ipv4Tcp(tos: 0xb8), new ActionProgramBuilder().SetIpv4Tos(0x02, 0x03));
        Assert.Equal(0xba, bytes[L3 + 1]);
        ActionHarness.AssertChecksumsValid(bytes);

        byte[] v6 = ActionTestPackets.Ipv6Udp();
        v6[L3] = 0x60;
        v6[L3 + 1] = 0x30; // traffic class 0x03 (ECN bits set), label 0
        (_, bytes, _, _) = h.Run(v6, new ActionProgramBuilder().SetIpv6Tc(10 << 2, 0xfc));
        Assert.Equal(0x62, bytes[L3]);
        Assert.Equal(0x80 | 0x30, bytes[L3 + 1]);
        ActionHarness.AssertChecksumsValid(bytes);
    }

    [Fact]
    public void Ipv4AddressRewriteLeavesTheIcmpChecksumAloneAsIcmpHasNoPseudoHeader()
    {
        byte[] frame = SetFieldTestPackets.Icmpv4();
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().SetIpv4Src(IPAddress.Parse("10.9.9.9")).SetIpv4Dst(IPAddress.Parse("10.8.8.8")));
        Assert.Equal(0, r.Skipped);
        Assert.Equal(frame[(L3 + 20)..], bytes[(L3 + 20)..]);
        Assert.True(SetFieldTestPackets.Icmpv4Valid(bytes, L3, L3 + 20));
        ActionHarness.AssertChecksumsValid(bytes);
    }

    [Fact]
    public void Ipv6AddressRewriteOfANeighborSolicitationUpdatesItsIcmpv6Checksum()
    {
        byte[] frame = SetFieldTestPackets.Nd(135, (1, "02-00-00-00-00-01"));
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder()
            .SetIpv6Src(IPAddress.Parse("fe80::99"))
            .SetIpv6Dst(IPAddress.Parse("ff02::1:ff00:99"))
            .SetNdTarget(IPAddress.Parse("2001:db8::99")));
        Assert.Equal(0, r.Skipped);
        ActionHarness.AssertChecksumsValid(bytes);
    }
}

using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Ofproto.Trace;

namespace FastPath.Ofproto.Tests.Trace;

/// <summary>Datapath actions in Open vSwitch's spelling: merged sets, its field order and number bases, folded VLAN pushes.</summary>
public class OdpActionFormatTests
{
    [Fact]
    public void EmptyProgramIsDrop() => Assert.Equal("drop", OdpActionFormat.Format([]));

    [Fact]
    public void SetsOfOneHeaderMergeInOpenVSwitchsFieldOrder()
    {
        // PendingSets commits eth_dst before eth_src; Open vSwitch prints one set(eth(src=…,dst=…)).
        byte[] p = new ActionProgramBuilder()
            .SetEthDst([0, 0, 0, 0, 0, 0x0b])
            .SetEthSrc([0, 0, 0, 0, 0, 0x0a])
            .SetIpv4Dst(IPAddress.Parse("5.6.7.8"))
            .SetIpv4Src(IPAddress.Parse("1.2.3.4"))
            .Output(2)
            .ToArray();
        Assert.Equal("set(ipv4(src=1.2.3.4,dst=5.6.7.8)),2", OdpActionFormat.Format(p[(2 * 24)..]));
        Assert.Equal("set(eth(src=00:00:00:00:00:0a,dst=00:00:00:00:00:0b)),set(ipv4(src=1.2.3.4,dst=5.6.7.8)),2", OdpActionFormat.Format(p));
    }

    [Fact]
    public void NumbersUseOpenVSwitchsBases()
    {
        byte[] p = new ActionProgramBuilder()
            .SetIpv4Tos(0x04, 0xfc)
            .SetTpDst(TransportProtocol.Tcp, 0x50, 0x00ff)
            .SetIpv6Label(0x12, 0xfffff)
            .Output(1)
            .ToArray();

        // %#x: tos=0x4/0xfc, not 0x04; a port mask /0xff, not /0x00ff; a label 0x12, not 0x00012.
        Assert.Equal("set(ipv4(tos=0x4/0xfc)),set(ipv6(label=0x12)),set(tcp(dst=80/0xff)),1", OdpActionFormat.Format(p));
    }

    [Fact]
    public void SetsComeBeforeVlanActionsAndAPushTakesTheTagSetAfterIt()
    {
        byte[] p = new ActionProgramBuilder()
            .PopVlan()
            .SetIpv4Src(IPAddress.Parse("1.2.3.4"))
            .Output(1)
            .PushVlan(0x8100, 0)
            .SetVlanTci(7, 0x0fff)
            .Output(4)
            .ToArray();
        Assert.Equal("set(ipv4(src=1.2.3.4)),pop_vlan,1,push_vlan(vid=7,pcp=0),4", OdpActionFormat.Format(p));
    }

    [Fact]
    public void ALaterWriteWinsBitByBitAndOutputsStayBarriers()
    {
        byte[] p = new ActionProgramBuilder()
            .SetIpv4Src(IPAddress.Parse("1.1.1.1"))
            .Output(1)
            .SetIpv4Src(IPAddress.Parse("2.2.2.2"))
            .SetIpv4Src(IPAddress.Parse("0.0.0.9"), IPAddress.Parse("0.0.0.255"))
            .Output(2)
            .ToArray();
        Assert.Equal("set(ipv4(src=1.1.1.1)),1,set(ipv4(src=2.2.2.9)),2", OdpActionFormat.Format(p));
    }

    [Fact]
    public void DecTtlStaysFastPathsOwnAndKeepsItsPlaceAgainstATtlSet()
    {
        byte[] p = new ActionProgramBuilder()
            .SetIpv4Ttl(9)
            .DecTtl()
            .SetIpv4Src(IPAddress.Parse("1.2.3.4"))
            .Output(3)
            .ToArray();
        // The TTL set and the decrement keep their order; the source set may join the decrement's side.
        Assert.Equal("set(ipv4(ttl=9)),set(ipv4(src=1.2.3.4)),dec_ttl,3", OdpActionFormat.Format(p));

        byte[] q = new ActionProgramBuilder().DecTtl().SetIpv4Tos(0x10, 0xfc).Output(2).ToArray();
        Assert.Equal("set(ipv4(tos=0x10/0xfc)),dec_ttl,2", OdpActionFormat.Format(q));
    }

    [Fact]
    public void AMaskedVlanSetWithoutAPushKeepsFastPathsSpelling()
    {
        byte[] p = new ActionProgramBuilder().SetVlanTci(5, 0x0fff).Output(2).ToArray();
        Assert.Equal("set(vlan(vid=5)),2", OdpActionFormat.Format(p));
    }

    [Fact]
    public void ActionsAfterTheLastOutputChangeNothingAndAreLeftOut()
    {
        byte[] p = new ActionProgramBuilder().Output(2).PushVlan(0x8100, 3).SetIpv4Src(IPAddress.Parse("1.2.3.4")).ToArray();
        Assert.Equal("2", OdpActionFormat.Format(p));
        Assert.Equal("drop", OdpActionFormat.Format(new ActionProgramBuilder().PushVlan(0x8100, 3).ToArray()));
        Assert.Equal("2,meter(1)", OdpActionFormat.Format(new ActionProgramBuilder().Output(2).Meter(1).ToArray()));
    }
}

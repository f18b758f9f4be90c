namespace FastPath.Packets.Tests;

public class Ipv6ExtensionHeadersTests
{
    private static bool Walk(byte first, byte[] chain, out Ipv6ExtensionChain result) =>
        Ipv6ExtensionHeaders.TryWalk(chain, 0, first, out result);

    [Fact]
    public void StepsOverEveryKindToTheL4Header()
    {
        // Hop-by-hop (8), routing with segments left (16), AH (len 1 → 12 bytes), destination options (8), then UDP.
        byte[] routing = [IpProtocols.Ah, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] ah = [IpProtocols.DestOpts, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2];
        byte[] chain = [.. TestFrames.Ext8(IpProtocols.Routing), .. routing, .. ah, .. TestFrames.Ext8(IpProtocols.Udp), .. TestFrames.Udp(1, 2)];
        Assert.True(Walk(IpProtocols.HopByHop, chain, out var r));
        Assert.Equal(IpProtocols.Udp, r.Protocol);
        Assert.Equal(8 + 16 + 12 + 8, r.Offset);
        Assert.True(r.RoutingSegmentsLeft);
        Assert.Equal(FragFlags.None, r.Frag);
    }

    [Fact]
    public void NonExtensionHeaderEndsAtOnce()
    {
        Assert.True(Walk(IpProtocols.Tcp, [], out var r));
        Assert.Equal(IpProtocols.Tcp, r.Protocol);
        Assert.Equal(0, r.Offset);
    }

    [Fact]
    public void FirstFragmentContinuesLaterFragmentStops()
    {
        Assert.True(Walk(IpProtocols.Fragment, [.. TestFrames.FragHeader(IpProtocols.Tcp, 0, true), .. TestFrames.Tcp(1, 2, 2)], out var first));
        Assert.Equal(FragFlags.Any, first.Frag);
        Assert.Equal(IpProtocols.Tcp, first.Protocol);
        Assert.Equal(8, first.Offset);

        Assert.True(Walk(IpProtocols.Fragment, [.. TestFrames.FragHeader(IpProtocols.Tcp, 7, false), .. new byte[8]], out var later));
        Assert.Equal(FragFlags.Any | FragFlags.Later, later.Frag);
        Assert.Equal(IpProtocols.Fragment, later.Protocol);
    }

    [Fact]
    public void HeaderWhoseLengthRunsPastTheEndFails()
    {
        // Claims 3 * 8 + 8 = 32 bytes but the packet has 16: the next-header inside must not be believed.
        byte[] hbh = [IpProtocols.Udp, 3, 0, 0, 0, 0, 0, 0, .. TestFrames.Udp(1, 2, 0)];
        Assert.False(Walk(IpProtocols.HopByHop, hbh, out var r));
        Assert.Equal(IpProtocols.HopByHop, r.Protocol);
        Assert.Equal(0, r.Offset);
    }

    [Fact]
    public void FewerThanEightBytesFails()
    {
        Assert.False(Walk(IpProtocols.DestOpts, [IpProtocols.Udp, 0, 0, 0, 0, 0, 0], out _));
        Assert.False(Walk(IpProtocols.Fragment, [IpProtocols.Udp, 0, 0, 1], out _));
    }

    [Fact]
    public void WalkAllocatesNothing()
    {
        byte[] chain = [.. TestFrames.Ext8(IpProtocols.Routing), .. TestFrames.Ext8(IpProtocols.Udp), .. TestFrames.Udp(1, 2)];
        long sum = 0;
        int runs = 0;
        Action walk = () =>
        {
            for (int i = 0; i < 1000; i++)
            {
                Ipv6ExtensionHeaders.TryWalk(chain, 0, IpProtocols.HopByHop, out var r);
                sum += r.Offset;
            }

            runs++;
        };

        Assert.Equal(0, SteadyState.AllocatedBytes(walk));
        Assert.Equal(16L * 1000 * runs, sum);
    }
}

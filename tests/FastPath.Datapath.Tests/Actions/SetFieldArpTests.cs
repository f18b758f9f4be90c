using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Packets;
using PacketDotNet;

namespace FastPath.Datapath.Tests.Actions;

/// <summary>set(arp(...)): opcode, protocol and hardware addresses of Ethernet/IPv4 ARP and RARP, masked and not.</summary>
public sealed class SetFieldArpTests : IDisposable
{
    private const int L3 = 14;
    private readonly ActionHarness h = new();

    public void Dispose() => h.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryArpFieldIsRewrittenAndTheKeyFollows(bool rarp)
    {
        byte[] frame = SetFieldTestPackets.Arp(rarp);
        var b = new ActionProgramBuilder()
            .SetArpOp(1)
            .SetArpSpa(IPAddress.Parse("192.168.7.9"))
            .SetArpTpa(IPAddress.Parse("192.168.7.1"))
            .SetArpSha([0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f])
            .SetArpTha([0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f]);

        var (r, bytes, p, _) = h.Run(frame, b);

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(0, r.Skipped);
        byte[] expected = (byte[])frame.Clone();
        expected[L3 + 6] = 0;
        expected[L3 + 7] = 1;
        new byte[] { 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f }.CopyTo(expected, L3 + 8);
        new byte[] { 192, 168, 7, 9 }.CopyTo(expected, L3 + 14);
        new byte[] { 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f }.CopyTo(expected, L3 + 18);
        new byte[] { 192, 168, 7, 1 }.CopyTo(expected, L3 + 24);
        Assert.Equal(expected, bytes);

        // PacketDotNet reads the same fields back (it decodes ARP under 0x0806 only).
        if (!rarp)
        {
            var arp = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes).Extract<ArpPacket>();
            Assert.Equal(ArpOperation.Request, arp.Operation);
            Assert.Equal(IPAddress.Parse("192.168.7.9"), arp.SenderProtocolAddress);
            Assert.Equal(IPAddress.Parse("192.168.7.1"), arp.TargetProtocolAddress);
            Assert.Equal("0A0B0C0D0E0F", arp.SenderHardwareAddress.ToString());
            Assert.Equal("1A1B1C1D1E1F", arp.TargetHardwareAddress.ToString());
        }

        ActionHarness.AssertOffsetsMatchFreshParse(bytes, in p);
        ActionHarness.Parse(bytes, out FlowKey key);
        Assert.Equal(1, key.NwProto);
        Assert.Equal("192.168.7.9", key.Ipv4SrcAddress.ToString());
        Assert.Equal("192.168.7.1", key.Ipv4DstAddress.ToString());
        Assert.Equal(new byte[] { 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f }, key.ArpSha.ToArray());
        Assert.Equal(new byte[] { 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f }, key.ArpTha.ToArray());
    }

    [Fact]
    public void MaskedArpRewritesKeepTheBitsOutsideTheMask()
    {
        byte[] frame = SetFieldTestPackets.Arp();
        var b = new ActionProgramBuilder()
            .SetArpSpa(IPAddress.Parse("172.16.99.99"), IPAddress.Parse("255.255.0.0"))
            .SetArpSha([0xee, 0, 0, 0, 0, 0xee], [0xff, 0, 0, 0, 0, 0x0f])
            .SetArpOp(0x0300, 0xff00);

        var (r, bytes, _, _) = h.Run(frame, b);

        Assert.Equal(ExecStatus.Completed, r.Status);
        byte[] expected = (byte[])frame.Clone();
        expected[L3 + 6] = 0x03; // op 2 -> 0x0302: only the high byte was in the mask
        expected[L3 + 8] = 0xee;
        expected[L3 + 13] = (byte)((frame[L3 + 13] & 0xf0) | 0x0e);
        new byte[] { 172, 16 }.CopyTo(expected, L3 + 14);
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void ArpFieldsOnNonArpOrShortOrNonIpv4ArpFramesAreSkipped()
    {
        var b = new ActionProgramBuilder().SetArpOp(1).SetArpTpa(IPAddress.Parse("1.2.3.4")).SetArpTha([1, 2, 3, 4, 5, 6]);

        // An IPv4 packet has an L3 offset too, but no ARP header there.
        byte[] ip = ActionTestPackets.Ipv4Udp();
        var (r, bytes, _, _) = h.Run(ip, b);
        Assert.Equal(3, r.Skipped);
        Assert.Equal(ip, bytes);

        // ARP for another hardware type: the parser keeps no fields, and nor is anything rewritten.
        byte[] tokenRing = SetFieldTestPackets.Arp();
        tokenRing[L3 + 1] = 6;
        (r, bytes, _, _) = h.Run(tokenRing, b);
        Assert.Equal(3, r.Skipped);
        Assert.Equal(tokenRing, bytes);

        // Every truncation of the ARP frame: never a write past the end, never an exception.
        byte[] arp = SetFieldTestPackets.Arp();
        for (int len = 0; len < L3 + 28; len++)
        {
            byte[] cut = arp[..len];
            (r, bytes, _, _) = h.Run(cut, b);
            Assert.Equal(ExecStatus.Completed, r.Status);
            Assert.Equal(3, r.Skipped);
            Assert.Equal(cut, bytes);
        }
    }

    [Fact]
    public void BuilderRejectsBadArpArguments()
    {
        var b = new ActionProgramBuilder();
        Assert.Throws<ArgumentException>(() => b.SetArpSpa(IPAddress.Parse("2001:db8::1")));
        Assert.Throws<ArgumentException>(() => b.SetArpSha([1, 2, 3]));
        Assert.Throws<ArgumentException>(() => b.SetArpTha([1, 2, 3, 4, 5, 6], [0xff]));
        Assert.Equal(0, b.Length);
    }
}

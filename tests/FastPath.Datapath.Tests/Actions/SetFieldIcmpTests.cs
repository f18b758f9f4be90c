using FastPath.Datapath.Actions;
using FastPath.Packets;
using PacketDotNet;

namespace FastPath.Datapath.Tests.Actions;

/// <summary>set(icmp(...)) and set(icmpv6(...)): type and code, with the ICMP and ICMPv6 checksums kept right.</summary>
public sealed class SetFieldIcmpTests : IDisposable
{
    private const int L3 = 14;
    private const int L4v4 = L3 + 20;
    private const int L4v6 = L3 + 40;
    private readonly ActionHarness h = new();

    public void Dispose() => h.Dispose();

    [Theory]
    [InlineData(0, 0xff, -1, 0)]
    [InlineData(-1, 0, 3, 0xff)]
    [InlineData(13, 0xff, 1, 0xff)]
    [InlineData(0xf0, 0xf0, 0x05, 0x0f)]
    public void Icmpv4TypeAndCodeAreRewrittenAndTheChecksumStaysValid(int type, int typeMask, int code, int codeMask)
    {
        byte[] frame = SetFieldTestPackets.Icmpv4();
        Assert.True(SetFieldTestPackets.Icmpv4Valid(frame, L3, L4v4));
        var b = new ActionProgramBuilder();
        if (type >= 0)
        {
            b.SetIcmpType((byte)type, (byte)typeMask);
        }

        if (code >= 0)
        {
            b.SetIcmpCode((byte)code, (byte)codeMask);
        }

        var (r, bytes, p, _) = h.Run(frame, b);

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(0, r.Skipped);
        byte[] expected = (byte[])frame.Clone();
        if (type >= 0)
        {
            expected[L4v4] = (byte)((frame[L4v4] & ~typeMask) | (type & typeMask));
        }

        if (code >= 0)
        {
            expected[L4v4 + 1] = (byte)((frame[L4v4 + 1] & ~codeMask) | (code & codeMask));
        }

        SetFieldTestPackets.FixIcmpv4(expected, L3, L4v4);
        Assert.Equal(expected, bytes);
        Assert.True(SetFieldTestPackets.Icmpv4Valid(bytes, L3, L4v4), "ICMP checksum (reference)");
        ActionHarness.AssertChecksumsValid(bytes);
        var icmp = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes).Extract<IcmpV4Packet>();
        Assert.Equal((expected[L4v4] << 8) | expected[L4v4 + 1], (int)(ushort)icmp.TypeCode);

        ActionHarness.AssertOffsetsMatchFreshParse(bytes, in p);
        ActionHarness.Parse(bytes, out FlowKey key);
        Assert.Equal(expected[L4v4], key.TpSrc);
        Assert.Equal(expected[L4v4 + 1], key.TpDst);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Icmpv6TypeAndCodeAreRewrittenAndTheChecksumStaysValid(bool maskedCode)
    {
        byte[] frame = ActionTestPackets.Ipv6IcmpEcho();
        var b = new ActionProgramBuilder().SetIcmpv6Type(129).SetIcmpv6Code(0x5a, maskedCode ? (byte)0x0f : (byte)0xff);

        var (r, bytes, p, _) = h.Run(frame, b);

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(0, r.Skipped);
        byte[] expected = (byte[])frame.Clone();
        expected[L4v6] = 129;
        expected[L4v6 + 1] = maskedCode ? (byte)((frame[L4v6 + 1] & 0xf0) | 0x0a) : (byte)0x5a;
        SetFieldTestPackets.FixIcmpv6(expected, L3, L4v6);
        Assert.Equal(expected, bytes);
        ActionHarness.AssertChecksumsValid(bytes); // reference and PacketDotNet
        ActionHarness.AssertOffsetsMatchFreshParse(bytes, in p);
        ActionHarness.Parse(bytes, out FlowKey key);
        Assert.Equal(129, key.TpSrc);
        Assert.Equal(expected[L4v6 + 1], key.TpDst);
    }

    [Fact]
    public void TurningAnEchoIntoANeighborSolicitationMakesTheKeyCarryTheTarget()
    {
        // The key is whatever a fresh parse of the new bytes gives: type 135 brings the ND fields in.
        byte[] frame = SetFieldTestPackets.Icmpv6(128, 0, System.Net.IPAddress.Parse("2001:db8::99").GetAddressBytes());
        var (r, bytes, p, _) = h.Run(frame, new ActionProgramBuilder().SetIcmpv6Type(135));

        Assert.Equal(0, r.Skipped);
        ActionHarness.AssertChecksumsValid(bytes);
        ActionHarness.AssertOffsetsMatchFreshParse(bytes, in p);
        ActionHarness.Parse(bytes, out FlowKey key);
        Assert.Equal(System.Net.IPAddress.Parse("2001:db8::99").GetAddressBytes(), key.NdTarget.ToArray());
    }

    [Fact]
    public void IcmpFieldsOfTheOtherVersionOrOtherProtocolsAreSkipped()
    {
        var v4 = new ActionProgramBuilder().SetIcmpType(3).SetIcmpCode(1);
        var v6 = new ActionProgramBuilder().SetIcmpv6Type(1).SetIcmpv6Code(4);
        foreach ((byte[] frame, ActionProgramBuilder b) in new[]
        {
            (ActionTestPackets.Ipv6IcmpEcho(), v4),
            (SetFieldTestPackets.Icmpv4(), v6),
            (ActionTestPackets.Ipv4Tcp(), v4),
            (ActionTestPackets.Ipv6Udp(), v6),
            (ActionTestPackets.AsIpv4Fragment(SetFieldTestPackets.Icmpv4(), 0x0004), v4), // later fragment: no ICMP header
            (SetFieldTestPackets.Arp(), v4),
        })
        {
            var (r, bytes, _, _) = h.Run(frame, b);
            Assert.Equal(ExecStatus.Completed, r.Status);
            Assert.Equal(2, r.Skipped);
            Assert.Equal(frame, bytes);
        }
    }

    [Fact]
    public void EveryTruncationOfIcmpFramesIsHandledInBounds()
    {
        var b = new ActionProgramBuilder().SetIcmpType(0).SetIcmpCode(9).SetIcmpv6Type(2).SetIcmpv6Code(3);
        foreach (byte[] frame in new[] { SetFieldTestPackets.Icmpv4(), ActionTestPackets.Ipv6IcmpEcho() })
        {
            for (int len = 0; len <= frame.Length; len++)
            {
                byte[] cut = frame[..len];
                var (r, bytes, p, _) = h.Run(cut, b);
                Assert.Equal(ExecStatus.Completed, r.Status);
                Assert.Equal(len, bytes.Length);
                ActionHarness.AssertOffsetsMatchFreshParse(bytes, in p);
            }
        }
    }
}

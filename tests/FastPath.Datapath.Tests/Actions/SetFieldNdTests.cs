using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Packets;

namespace FastPath.Datapath.Tests.Actions;

/// <summary>set(nd(...)): target address and link-layer address options of neighbor solicitations and advertisements.</summary>
public sealed class SetFieldNdTests : IDisposable
{
    private const int L3 = 14;
    private const int L4 = L3 + 40;
    private const int Target = L4 + 8;
    private const int FirstOption = L4 + 24;
    private static readonly byte[] NewMac = [0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f];
    private readonly ActionHarness h = new();

    public void Dispose() => h.Dispose();

    [Theory]
    [InlineData(135, null)]
    [InlineData(136, null)]
    [InlineData(135, "ffff:ffff::")]
    [InlineData(136, "::ffff")]
    public void TargetIsRewrittenAndTheIcmpv6ChecksumFollows(int type, string? mask)
    {
        byte[] frame = SetFieldTestPackets.Nd((byte)type, (1, "02-00-00-00-00-01"));
        ActionHarness.AssertChecksumsValid(frame);
        var value = IPAddress.Parse("2001:db8:aaaa::bbbb");
        IPAddress? m = mask is null ? null : IPAddress.Parse(mask);

        var (r, bytes, p, _) = h.Run(frame, new ActionProgramBuilder().SetNdTarget(value, m));

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(0, r.Skipped);
        byte[] expected = (byte[])frame.Clone();
        byte[] v = value.GetAddressBytes();
        byte[] mk = m?.GetAddressBytes() ?? Enumerable.Repeat((byte)0xff, 16).ToArray();
        for (int i = 0; i < 16; i++)
        {
            expected[Target + i] = (byte)((frame[Target + i] & ~mk[i]) | (v[i] & mk[i]));
        }

        SetFieldTestPackets.FixIcmpv6(expected, L3, L4);
        Assert.Equal(expected, bytes);
        ActionHarness.AssertChecksumsValid(bytes);
        ActionHarness.AssertOffsetsMatchFreshParse(bytes, in p);
        ActionHarness.Parse(bytes, out FlowKey key);
        Assert.Equal(expected[Target..(Target + 16)], key.NdTarget.ToArray());
    }

    [Theory]
    [InlineData(135, 1, true)]
    [InlineData(136, 2, false)]
    public void TheLinkLayerOptionPresentIsRewrittenAndTheKeyFollows(int type, byte optionType, bool source)
    {
        byte[] frame = SetFieldTestPackets.Nd((byte)type, (optionType, "02-00-00-00-00-01"));
        var b = new ActionProgramBuilder();
        if (source)
        {
            b.SetNdSll(NewMac);
        }
        else
        {
            b.SetNdTll(NewMac);
        }

        var (r, bytes, p, _) = h.Run(frame, b);

        Assert.Equal(0, r.Skipped);
        byte[] expected = (byte[])frame.Clone();
        NewMac.CopyTo(expected, FirstOption + 2);
        SetFieldTestPackets.FixIcmpv6(expected, L3, L4);
        Assert.Equal(expected, bytes);
        ActionHarness.AssertChecksumsValid(bytes);
        ActionHarness.AssertOffsetsMatchFreshParse(bytes, in p);
        ActionHarness.Parse(bytes, out FlowKey key);
        Assert.Equal(NewMac, (source ? key.ArpSha : key.ArpTha).ToArray());
    }

    [Fact]
    public void MaskedLinkLayerRewriteKeepsTheOtherBits()
    {
        byte[] frame = SetFieldTestPackets.Nd(135, (1, "02-00-00-00-00-01"));
        var (_, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().SetNdSll([0, 0, 0, 0, 0, 0xab], [0, 0, 0, 0, 0, 0xf0]));

        byte[] expected = (byte[])frame.Clone();
        expected[FirstOption + 7] = 0xa1;
        SetFieldTestPackets.FixIcmpv6(expected, L3, L4);
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void AnAbsentOptionIsNeverAddedAndOnlyTheFirstLinkLayerOptionCounts()
    {
        // As Open vSwitch: no option, or a first link-layer option of the other kind, leaves the packet alone.
        byte[] none = SetFieldTestPackets.Nd(135);
        byte[] sllFirst = SetFieldTestPackets.Nd(136, (1, "02-00-00-00-00-01"), (2, "02-00-00-00-00-02"));
        foreach (byte[] frame in new[] { none, sllFirst })
        {
            var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().SetNdTll(NewMac));
            Assert.Equal(1, r.Skipped);
            Assert.Equal(frame, bytes);
        }

        // Behind an option of another type (a nonce, type 14), the link-layer option is still found.
        byte[] nonceFirst = SetFieldTestPackets.Icmpv6(135, 0, [
            .. IPAddress.Parse("2001:db8::2").GetAddressBytes(),
            14, 1, 1, 2, 3, 4, 5, 6,
            1, 1, 2, 0, 0, 0, 0, 9]);
        var (r2, after, _, _) = h.Run(nonceFirst, new ActionProgramBuilder().SetNdSll(NewMac));
        Assert.Equal(0, r2.Skipped);
        Assert.Equal(NewMac, after[(FirstOption + 10)..(FirstOption + 16)]);
        ActionHarness.AssertChecksumsValid(after);
    }

    [Fact]
    public void NdFieldsOnOtherIcmpv6OrNonzeroCodeOrOtherProtocolsAreSkipped()
    {
        var b = new ActionProgramBuilder().SetNdTarget(IPAddress.Parse("2001:db8::77")).SetNdSll(NewMac).SetNdTll(NewMac);
        byte[] code1 = SetFieldTestPackets.Icmpv6(135, 1, [.. IPAddress.Parse("2001:db8::2").GetAddressBytes(), 1, 1, 2, 0, 0, 0, 0, 1]);
        foreach (byte[] frame in new[] { ActionTestPackets.Ipv6IcmpEcho(), code1, ActionTestPackets.Ipv6Udp(), SetFieldTestPackets.Icmpv4() })
        {
            var (r, bytes, _, _) = h.Run(frame, b);
            Assert.Equal(3, r.Skipped);
            Assert.Equal(frame, bytes);
        }
    }

    [Fact]
    public void EthernetPaddingIsNotReadAsAnOption()
    {
        // A solicitation without options, padded by the sender with bytes that look like an SLL option.
        byte[] frame = [.. SetFieldTestPackets.Nd(135), 1, 1, 9, 9, 9, 9, 9, 9];
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().SetNdSll(NewMac));
        Assert.Equal(1, r.Skipped);
        Assert.Equal(frame, bytes);
    }

    [Fact]
    public void EveryTruncationOfAnNdFrameIsHandledInBounds()
    {
        var b = new ActionProgramBuilder().SetNdTarget(IPAddress.Parse("2001:db8::77")).SetNdSll(NewMac).SetNdTll(NewMac);
        byte[] frame = SetFieldTestPackets.Nd(136, (2, "02-00-00-00-00-01"));
        for (int len = 0; len <= frame.Length; len++)
        {
            byte[] cut = frame[..len];
            var (r, bytes, p, _) = h.Run(cut, b);
            Assert.Equal(ExecStatus.Completed, r.Status);
            Assert.Equal(len, bytes.Length);
            ActionHarness.AssertOffsetsMatchFreshParse(bytes, in p);

            // A frame cut short of its IPv6 payload length has no L4 header for the parser (nor for Open
            // vSwitch), so no ND fields: nothing changes, checksum included.
            if (len < frame.Length)
            {
                Assert.Equal(cut, bytes);
            }
            else
            {
                Assert.Equal(IPAddress.Parse("2001:db8::77").GetAddressBytes(), bytes[Target..(Target + 16)]);
            }
        }
    }
}

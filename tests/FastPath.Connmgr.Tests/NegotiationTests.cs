using System.Text;
using FastPath.OpenFlow;
using FastPath.OpenFlow.Wire;

namespace FastPath.Connmgr.Tests;

public class NegotiationTests
{
    [Theory]
    [InlineData(0x01, null, OpenFlowVersion.OF10)]
    [InlineData(0x04, null, OpenFlowVersion.OF13)]
    [InlineData(0x06, null, OpenFlowVersion.OF15)]
    [InlineData(0x05, null, OpenFlowVersion.OF14)]
    [InlineData(0x03, null, OpenFlowVersion.OF10)] // a 1.2 peer without bitmap speaks 1.0 too
    [InlineData(0x06, 0b0001_0010u, OpenFlowVersion.OF13)] // bitmap {1.0, 1.3}
    [InlineData(0x06, 0b0100_0010u, OpenFlowVersion.OF15)]
    [InlineData(0x04, 0b0000_0011u, OpenFlowVersion.OF10)] // bit 0 (no such version) is ignored
    [InlineData(0x07, null, OpenFlowVersion.OF15)] // a future version without bitmap
    public async Task Peer_hello_picks_the_highest_common_version(byte headerVersion, uint? bitmap, OpenFlowVersion expected)
    {
        await using var f = Fixture.Start();
        using RawPeer p = await f.ConnectAsync();
        RawPeer.Msg ours = await p.HandshakeAsync(headerVersion, bitmap);
        Assert.Equal(0x06, ours.Version); // our hello is headed by our highest version and carries the bitmap
        Assert.Equal(OfVersions.Supported, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ours.Body[4..]));
        Assert.True(await Wait.UntilAsync(() => f.Handler.Connected.Count == 1));
        OfConnection c = f.Handler.Connected.Single();
        Assert.Equal(expected, c.Session.Version);
        Assert.Equal(OfConnectionState.Active, c.State);

        // The connection now speaks the negotiated version: an echo comes back in it.
        await p.SendAsync(RawPeer.Message((byte)expected, 2, 77, [1, 2, 3]));
        RawPeer.Msg reply = await p.ReceiveTypeAsync(3);
        Assert.Equal((byte)expected, reply.Version);
        Assert.Equal(77u, reply.Xid);
        Assert.Equal(new byte[] { 1, 2, 3 }, reply.Body.ToArray());
    }

    [Theory]
    [InlineData(0x02, null, 0b0001_0000u, "We support version 0x04, you support version 0x02 and earlier, no common versions.", 0x02)]
    [InlineData(0x06, 0b0000_1100u, 0u, "We support versions 0x01, 0x04, 0x05, 0x06, you support versions 0x02, 0x03, no common versions.", 0x03)]
    [InlineData(0x01, null, 0b0001_0000u, "We support version 0x04, you support version 0x01, no common versions.", 0x01)]
    [InlineData(0x06, 0b0100_0000u, 0b0001_0010u, "We support versions 0x01, 0x04, you support version 0x06, no common versions.", 0x06)]
    public async Task No_common_version_is_HELLO_FAILED_INCOMPATIBLE_with_Open_vSwitchs_explanation_then_close(byte headerVersion, uint? bitmap, uint allowed, string text, byte errorVersion)
    {
        var options = allowed == 0 ? new OfConnectionOptions() : new OfConnectionOptions { AllowedVersions = allowed };
        await using var f = Fixture.Start(options);
        using RawPeer p = await f.ConnectAsync();
        await p.HandshakeAsync(headerVersion, bitmap);
        RawPeer.Msg error = await p.ReceiveTypeAsync(1);
        Assert.Equal(errorVersion, error.Version);
        Assert.Equal((0, 0), error.Error); // OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE (same numbers in 1.0)
        Assert.Equal(text, Encoding.ASCII.GetString(error.ErrorData));
        Assert.True(await p.ClosedWithinAsync(3000));
        Assert.Empty(f.Handler.Connected);
    }

    [Fact]
    public async Task The_text_matches_what_Open_vSwitch_sent_for_the_same_negotiation()
    {
        // Captured from ovs-ofctl -O OpenFlow10,OpenFlow13 probe against a peer offering only 0x06 (see the report).
        Assert.Equal("We support versions 0x01, 0x04, you support version 0x06, no common versions.", OfVersionText.Incompatible(0b1_0010, 0b100_0000));
        Assert.Equal("version 0x04 and earlier", OfVersionText.Describe(0b1_1110));
        Assert.Equal("no versions", OfVersionText.Describe(0));
    }

    [Fact]
    public async Task Anything_but_a_hello_first_closes_the_connection()
    {
        await using var f = Fixture.Start();
        using RawPeer p = await f.ConnectAsync();
        await p.SendAsync(RawPeer.Message(0x04, 2, 1, []));
        Assert.True(await p.ClosedWithinAsync(3000));
        Assert.True(await Wait.UntilAsync(() => f.Listener.Connections.Count == 0));
        Assert.Empty(f.Handler.Connected);
    }

    [Fact]
    public async Task A_peer_that_never_says_hello_is_closed_after_the_hello_timeout()
    {
        await using var f = Fixture.Start(new OfConnectionOptions { HelloTimeout = TimeSpan.FromMilliseconds(300) });
        using RawPeer p = await f.ConnectAsync();
        await p.ReceiveTypeAsync(0);
        long t0 = Environment.TickCount64;
        Assert.True(await p.ClosedWithinAsync(3000));
        Assert.InRange(Environment.TickCount64 - t0, 100, 2500);
    }
}

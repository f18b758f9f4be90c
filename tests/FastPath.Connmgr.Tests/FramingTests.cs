using FastPath.OpenFlow.Wire;

namespace FastPath.Connmgr.Tests;

public class FramingTests
{
    private static readonly (ushort, ushort) BadType = (1, 1);
    private static readonly (ushort, ushort) BadLen = (1, 6);
    private static readonly (ushort, ushort) BadVersion = (1, 0);

    private static async Task AssertAliveAsync(RawPeer p, byte version = 0x04)
    {
        await p.SendAsync(RawPeer.Message(version, 2, 0xABCD, [9]));
        RawPeer.Msg echo = await p.ReceiveTypeAsync(3);
        Assert.Equal(0xABCDu, echo.Xid);
    }

    [Fact]
    public async Task Echo_requests_are_answered_with_their_data_and_xid_and_never_reach_the_handler()
    {
        await using var f = Fixture.Start();
        (RawPeer p, OfConnection c) = await f.ConnectActiveAsync();
        byte[] data = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];
        await p.SendAsync(RawPeer.Message(0x04, 2, 42, data));
        RawPeer.Msg reply = await p.ReceiveTypeAsync(3);
        Assert.Equal(42u, reply.Xid);
        Assert.Equal(data, reply.Body.ToArray());
        Assert.Equal(1, c.Counters.EchoRequestsAnswered);
        Assert.Empty(f.Handler.Messages);
    }

    [Fact]
    public async Task An_undecodable_message_gets_an_error_carrying_it_whole_on_its_xid_and_the_connection_lives_on()
    {
        await using var f = Fixture.Start();
        (RawPeer p, OfConnection c) = await f.ConnectActiveAsync();
        byte[] request = RawPeer.Message(0x04, 0xEE, 0x01020304, [.. Enumerable.Range(0, 100).Select(i => (byte)i)]);
        await p.SendAsync(request);
        RawPeer.Msg error = await p.ReceiveTypeAsync(1);
        Assert.Equal(0x01020304u, error.Xid);
        Assert.Equal(BadType, error.Error);
        Assert.Equal(request, error.ErrorData); // the whole request, as Open vSwitch 3.1 sends it back
        Assert.Equal(1, c.Counters.DecodeErrors);
        await AssertAliveAsync(p);
    }

    [Fact]
    public async Task A_message_of_another_version_is_BAD_VERSION()
    {
        await using var f = Fixture.Start();
        (RawPeer p, _) = await f.ConnectActiveAsync();
        await p.SendAsync(RawPeer.Message(0x01, 20, 5, []));
        RawPeer.Msg error = await p.ReceiveTypeAsync(1);
        Assert.Equal(BadVersion, error.Error);
        Assert.Equal(5u, error.Xid);
        await AssertAliveAsync(p);
    }

    [Fact]
    public async Task Decoded_messages_reach_the_handler_and_its_reply_goes_out_on_the_same_xid()
    {
        await using var f = Fixture.Start();
        (RawPeer p, OfConnection c) = await f.ConnectActiveAsync(0x01);
        await p.SendAsync(RawPeer.Message(0x01, 18, 0x55, [])); // OpenFlow 1.0 barrier request
        RawPeer.Msg reply = await p.ReceiveTypeAsync(19);
        Assert.Equal(0x55u, reply.Xid);
        Assert.Equal(0x01, reply.Version);
        (OfConnection from, OfRequest r) = Assert.Single(f.Handler.Messages);
        Assert.Same(c, from);
        Assert.Equal(new FastPath.OpenFlow.Wire.Messages.BarrierMessage(false), r.Message);

        // The handler's "no handler" answer: a features request is refused with BAD_TYPE carrying the request.
        byte[] features = RawPeer.Message(0x01, 5, 0x66, []);
        await p.SendAsync(features);
        RawPeer.Msg error = await p.ReceiveTypeAsync(1);
        Assert.Equal((1, 1), error.Error);
        Assert.Equal(features, error.ErrorData);
    }

    [Fact]
    public async Task A_second_hello_is_refused_as_an_unknown_type()
    {
        await using var f = Fixture.Start();
        (RawPeer p, _) = await f.ConnectActiveAsync();
        await p.SendAsync(RawPeer.Hello(0x04));
        Assert.Equal(BadType, (await p.ReceiveTypeAsync(1)).Error);
        await AssertAliveAsync(p);
    }

    [Fact]
    public async Task A_length_shorter_than_the_header_is_BAD_LEN_then_close_since_nothing_after_it_can_be_framed()
    {
        await using var f = Fixture.Start();
        (RawPeer p, OfConnection c) = await f.ConnectActiveAsync();
        byte[] bad = [0x04, 2, 0, 4, 0, 0, 0, 9];
        await p.SendAsync(bad);
        RawPeer.Msg error = await p.ReceiveTypeAsync(1);
        Assert.Equal(BadLen, error.Error);
        Assert.Equal(9u, error.Xid);
        Assert.Equal(bad, error.ErrorData);
        Assert.True(await p.ClosedWithinAsync(3000));
        await c.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("cannot be framed", c.CloseReason);
        Assert.Single(f.Handler.Disconnected);
    }

    [Fact]
    public async Task An_oversize_message_is_refused_and_skipped_without_being_buffered_whole()
    {
        var options = new OfConnectionOptions { MaxMessageBytes = 1024, MaxInputBufferBytes = 1024 + OfConnectionOptions.ReadSize };
        await using var f = Fixture.Start(options);
        (RawPeer p, OfConnection c) = await f.ConnectActiveAsync();
        byte[] big = RawPeer.Message(0x04, 14, 0x77, new byte[60000]);
        for (int i = 0; i < big.Length; i += 1000)
        {
            // In pieces, so the switch reads it as it comes rather than in one gulp.
            await p.SendAsync(big[i..Math.Min(big.Length, i + 1000)]);
        }

        RawPeer.Msg error = await p.ReceiveTypeAsync(1);
        Assert.Equal(BadLen, error.Error);
        Assert.Equal(0x77u, error.Xid);
        Assert.Equal(big[..64], error.ErrorData);
        await AssertAliveAsync(p);
        Assert.Equal(1, c.Counters.OversizeMessages);
        Assert.True(c.Counters.InputHighWater <= options.MaxInputBufferBytes, $"held {c.Counters.InputHighWater} bytes");
        Assert.Empty(f.Handler.Messages);
    }

    [Fact]
    public async Task Garbage_with_valid_lengths_is_answered_message_by_message_and_never_kills_the_connection()
    {
        await using var f = Fixture.Start();
        (RawPeer p, OfConnection c) = await f.ConnectActiveAsync();
        var rng = new Random(1234);
        int sent = 0;
        for (int i = 0; i < 300; i++)
        {
            var body = new byte[rng.Next(0, 200)];
            rng.NextBytes(body);
            byte type = (byte)rng.Next(0, 256);
            if (type is 0 or 2 or 3)
            {
                continue; // hello, echo: not garbage for this test
            }

            await p.SendAsync(RawPeer.Message((byte)(rng.Next(2) == 0 ? 0x04 : rng.Next(0, 256)), type, (uint)i, body));
            sent++;
        }

        await AssertAliveAsync(p);
        Assert.Equal(OfConnectionState.Active, c.State);
        Assert.Equal(sent + 2, c.Counters.MessagesReceived); // the hello, the garbage, the echo
        Assert.Equal(0, c.Counters.HandlerFaults);
    }
}

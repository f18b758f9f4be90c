namespace FastPath.Connmgr.Tests;

public class TimerTests
{
    [Fact]
    public async Task A_silent_peer_gets_an_echo_request_after_the_probe_interval_and_is_closed_after_as_much_again()
    {
        await using var f = Fixture.Start(new OfConnectionOptions { InactivityProbe = TimeSpan.FromMilliseconds(400) });
        (RawPeer p, OfConnection c) = await f.ConnectActiveAsync();
        long t0 = Environment.TickCount64;
        RawPeer.Msg probe = await p.ReceiveTypeAsync(2, 3000);
        long probedAfter = Environment.TickCount64 - t0;
        Assert.InRange(probedAfter, 300, 2000);
        Assert.True(await p.ClosedWithinAsync(3000));
        long closedAfter = Environment.TickCount64 - t0;
        Assert.InRange(closedAfter, 700, 4000);
        await c.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("inactivity probe", c.CloseReason);
        Assert.Equal(1, c.Counters.ProbesSent);
    }

    [Fact]
    public async Task A_peer_answering_the_probes_stays_connected()
    {
        // 800 ms leaves a loaded CI machine room to carry each echo reply back before the peer is
        // declared dead; at 200 ms one scheduling stall on two busy cores closed the connection.
        await using var f = Fixture.Start(new OfConnectionOptions { InactivityProbe = TimeSpan.FromMilliseconds(800) });
        (RawPeer p, OfConnection c) = await f.ConnectActiveAsync();
        long end = Environment.TickCount64 + 3000;
        int answered = 0;
        while (Environment.TickCount64 < end)
        {
            RawPeer.Msg probe = await p.ReceiveTypeAsync(2, 4000);
            await p.SendAsync(RawPeer.Message(0x04, 3, probe.Xid, probe.Body));
            answered++;
        }

        Assert.True(answered >= 3, $"{answered} probes");
        Assert.Equal(OfConnectionState.Active, c.State);
        Assert.Null(c.CloseReason);
    }

    [Fact]
    public async Task A_slowloris_peer_dribbling_one_message_forever_is_closed_and_its_buffer_stays_capped()
    {
        var options = new OfConnectionOptions
        {
            PartialMessageTimeout = TimeSpan.FromMilliseconds(600),
            InactivityProbe = TimeSpan.Zero,
            MaxMessageBytes = 2048,
            MaxInputBufferBytes = 8192,
        };
        await using var f = Fixture.Start(options);
        (RawPeer p, OfConnection c) = await f.ConnectActiveAsync();
        (RawPeer p2, OfConnection c2) = await f.ConnectActiveAsync();

        // Claims 60000 bytes (over the cap: skipped as it comes) then keeps sending a byte at a time.
        byte[] header = [0x04, 14, 0xEA, 0x60, 0, 0, 0, 1];
        await p.SendAsync(header);
        long t0 = Environment.TickCount64;
        bool closed = false;
        for (int i = 0; i < 200 && !closed; i++)
        {
            try
            {
                await p.SendAsync(new byte[64]);
            }
            catch (System.Net.Sockets.SocketException)
            {
                closed = true;
            }

            await Task.Delay(20);
            closed |= c.State == OfConnectionState.Closed;
        }

        Assert.True(closed, "the dribbling peer was not closed");
        Assert.InRange(Environment.TickCount64 - t0, 500, 3500);
        Assert.Contains("incomplete", c.CloseReason);
        Assert.True(c.Counters.InputHighWater <= options.MaxInputBufferBytes, $"held {c.Counters.InputHighWater} bytes");

        // A message under the cap that never completes is closed the same way.
        await p2.SendAsync([0x04, 14, 0x07, 0xD0, 0, 0, 0, 2, 1, 2, 3]);
        Assert.True(await p2.ClosedWithinAsync(3000));
        Assert.Contains("incomplete", c2.CloseReason);
    }
}

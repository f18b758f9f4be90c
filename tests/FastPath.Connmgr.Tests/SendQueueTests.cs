using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.Connmgr.Tests;

public class SendQueueTests
{
    [Fact]
    public async Task A_peer_that_never_reads_costs_a_bounded_queue_droppable_messages_are_dropped_and_others_are_unaffected()
    {
        using var dir = new TempDir();
        var options = new OfConnectionOptions
        {
            SoftQueueBytes = 64 * 1024,
            HardQueueBytes = 256 * 1024,
            MaxQueuedDroppable = 50,
            InactivityProbe = TimeSpan.Zero,
        };
        await using var f = Fixture.Start(options, target: "punix:" + dir.File("q.sock"));
        (RawPeer stuck, OfConnection slow) = await f.ConnectActiveAsync();
        (RawPeer fine, OfConnection other) = await f.ConnectActiveAsync();

        var payload = new Echo(false, new byte[1000]);
        int accepted = 0;
        for (int i = 0; i < 20000; i++)
        {
            if (slow.SendDroppable(payload, (uint)i))
            {
                accepted++;
            }

            Assert.True(slow.QueuedBytes <= options.HardQueueBytes);
        }

        Assert.True(slow.Counters.DroppedMessages > 0);
        Assert.Equal(20000, accepted + slow.Counters.DroppedMessages);
        Assert.True(slow.QueuedMessages <= options.MaxQueuedDroppable);
        Assert.Equal(OfConnectionState.Active, slow.State);

        // The other connection on the same listener is served normally meanwhile.
        await fine.SendAsync(RawPeer.Message(0x04, 2, 3, [1]));
        Assert.Equal(3u, (await fine.ReceiveTypeAsync(3)).Xid);

        // Replies are never dropped: past the hard limit the connection is closed, not silently short of a reply.
        bool refused = false;
        for (int i = 0; i < 2000 && !refused; i++)
        {
            refused = !slow.Send(payload, (uint)i);
            Assert.True(slow.QueuedBytes <= options.HardQueueBytes);
        }

        Assert.True(refused);
        await slow.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("send queue overflow", slow.CloseReason);
        Assert.Equal(OfConnectionState.Active, other.State);
        stuck.Dispose();
    }

    [Fact]
    public async Task A_peer_that_sends_requests_but_reads_no_replies_is_paused_not_buffered()
    {
        using var dir = new TempDir();
        var options = new OfConnectionOptions { SoftQueueMessages = 10, SoftQueueBytes = 16 * 1024, InactivityProbe = TimeSpan.Zero };
        await using var f = Fixture.Start(options, target: "punix:" + dir.File("p.sock"));
        (RawPeer p, OfConnection c) = await f.ConnectActiveAsync();
        p.Socket.ReceiveBufferSize = 4096;

        // Echo requests of 60 KB each: the kernel holds a few replies, then the switch stops reading.
        byte[] echo = RawPeer.Message(0x04, 2, 1, new byte[60000]);
        using var cts = new CancellationTokenSource(3000);
        int sent = 0;
        try
        {
            for (; sent < 400; sent++)
            {
                await p.Socket.SendAsync(echo, System.Net.Sockets.SocketFlags.None, cts.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Our own sends block once the switch stops reading: that is the point.
        }

        Assert.True(sent < 400, "the switch kept reading although its replies were not drained");
        Assert.True(c.QueuedMessages <= options.SoftQueueMessages + 1);
        Assert.True(c.Counters.InputHighWater <= options.MaxInputBufferBytes);
        Assert.Equal(OfConnectionState.Active, c.State);
    }

    [Fact]
    public async Task A_paused_connection_resumes_once_its_replies_drain_and_answers_every_request()
    {
        using var dir = new TempDir();
        var options = new OfConnectionOptions { SoftQueueMessages = 4, SoftQueueBytes = 8 * 1024, InactivityProbe = TimeSpan.Zero };
        await using var f = Fixture.Start(options, target: "punix:" + dir.File("r.sock"));
        (RawPeer p, OfConnection c) = await f.ConnectActiveAsync();

        // 300 echo requests of 20 KB sent without reading: the switch pauses, then everything is answered in order.
        byte[] data = new byte[20000];
        Task sender = Task.Run(async () =>
        {
            for (uint i = 0; i < 300; i++)
            {
                await p.SendAsync(RawPeer.Message(0x04, 2, i, data));
            }
        });
        await Task.Delay(500);
        Assert.False(sender.IsCompleted, "6 MB went in although nobody read the replies: the switch did not pause");
        Assert.True(c.QueuedMessages <= options.SoftQueueMessages + 1);
        for (uint i = 0; i < 300; i++)
        {
            RawPeer.Msg reply = await p.ReceiveTypeAsync(3);
            Assert.Equal(i, reply.Xid);
        }

        await sender.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(300, c.Counters.EchoRequestsAnswered);
        Assert.Equal(OfConnectionState.Active, c.State);
        Assert.True(c.Counters.InputHighWater <= options.MaxInputBufferBytes);
    }

    [Fact]
    public async Task A_handler_without_room_stops_the_reads_until_it_takes_the_request_and_nothing_is_lost()
    {
        using var dir = new TempDir();
        var options = new OfConnectionOptions { InactivityProbe = TimeSpan.Zero };
        await using var f = Fixture.Start(options, target: "punix:" + dir.File("h.sock"));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Handler.Admission = r => r.Xid == 1 ? gate.Task : Task.CompletedTask;
        (RawPeer p, OfConnection c) = await f.ConnectActiveAsync();

        // Barrier 1 is taken but leaves the handler full; the echo and barrier 3 behind it in the same write wait.
        await p.SendAsync([.. RawPeer.Message(0x04, 20, 1, []), .. RawPeer.Message(0x04, 2, 2, [7]), .. RawPeer.Message(0x04, 20, 3, [])]);
        Assert.Equal(1u, (await p.ReceiveTypeAsync(21)).Xid);
        await Assert.ThrowsAsync<TimeoutException>(() => p.ReceiveAsync(300));
        Assert.Single(f.Handler.Messages);
        Assert.Equal(0, c.Counters.EchoRequestsAnswered);

        gate.SetResult();
        Assert.Equal(2u, (await p.ReceiveTypeAsync(3)).Xid);
        Assert.Equal(3u, (await p.ReceiveTypeAsync(21)).Xid);
        Assert.Equal(2, f.Handler.Messages.Count);
        Assert.Equal(1, c.Counters.HandlerWaits);
        Assert.Equal(OfConnectionState.Active, c.State);
    }
}

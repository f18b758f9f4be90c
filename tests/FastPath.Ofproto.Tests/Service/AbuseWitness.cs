using System.Buffers.Binary;
using System.Diagnostics;
using FastPath.Ofproto.Tests.Upcalls;

namespace FastPath.Ofproto.Tests.Service;

/// <summary>
/// What must keep working while a hostile peer abuses a hosted bridge: packets injected on p1 keep being forwarded
/// to p2 by the flow <c>in_port=1,actions=output:2</c>, and a second, well-behaved OpenFlow connection keeps getting
/// its echo and barrier replies in time. Runs both in the background from <see cref="StartAsync"/> until disposed.
/// </summary>
internal sealed class AbuseWitness : IAsyncDisposable
{
    /// <summary>The flow that forwards the witness's packets.</summary>
    public const string Flow = "priority=100,in_port=1,actions=output:2";

    private readonly HostedBridge bridge;
    private readonly OfTcpClient peer;
    private readonly CancellationTokenSource stop = new();
    private readonly Task pump;
    private readonly Task prober;
    private long injected;
    private long forwarded;
    private long answered;
    private long slowestTicks;

    private AbuseWitness(HostedBridge bridge, OfTcpClient peer)
    {
        this.bridge = bridge;
        this.peer = peer;
        pump = Task.Run(PumpAsync);
        prober = Task.Run(ProbeAsync);
    }

    /// <summary>Packets injected on p1 so far.</summary>
    public long Injected => Interlocked.Read(ref injected);

    /// <summary>Packets that left on p2 so far.</summary>
    public long Forwarded => Interlocked.Read(ref forwarded);

    /// <summary>Echo and barrier requests of the well-behaved connection answered so far.</summary>
    public long Answered => Interlocked.Read(ref answered);

    /// <summary>The longest the well-behaved connection waited for a reply.</summary>
    public TimeSpan Slowest => TimeSpan.FromTicks(Interlocked.Read(ref slowestTicks));

    /// <summary>Installs the forwarding flow (bridge listening for TCP on <paramref name="port"/>) and starts both witnesses.</summary>
    public static async Task<AbuseWitness> StartAsync(HostedBridge bridge, int port)
    {
        bridge.Host.Bridge.AddFlows([Flow]);
        OfTcpClient peer = await OfTcpClient.OpenAsync(port);
        peer.AnswerEchoes = true;
        return new AbuseWitness(bridge, peer);
    }

    /// <summary>
    /// Asserts that, from now, forwarding moves at least <paramref name="packets"/> more packets and the
    /// well-behaved connection gets more answers, within <paramref name="timeoutMs"/> (generous: the machine is shared).
    /// </summary>
    public void AssertAlive(string during, int packets = 20, int timeoutMs = 10000)
    {
        long f0 = Forwarded;
        long a0 = Answered;
        var sw = Stopwatch.StartNew();
        while ((Forwarded < f0 + packets || Answered < a0 + 2) && sw.ElapsedMilliseconds < timeoutMs && !pump.IsCompleted && !prober.IsCompleted)
        {
            Thread.Sleep(10);
        }

        Assert.False(prober.IsFaulted, $"{during}: the well-behaved connection failed: {prober.Exception?.InnerException?.Message}");
        Assert.True(Forwarded >= f0 + packets, $"{during}: forwarding stalled ({Forwarded - f0} packets in {sw.ElapsedMilliseconds} ms)");
        Assert.True(Answered >= a0 + 2, $"{during}: the well-behaved connection got {Answered - a0} answers in {sw.ElapsedMilliseconds} ms");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        await Task.WhenAll(pump.ContinueWith(_ => { }, TaskScheduler.Default), prober.ContinueWith(_ => { }, TaskScheduler.Default));
        peer.Dispose();
        stop.Dispose();
    }

    // About 500 packets a second into p1, counted as they leave p2 (drained, so the queue stays small).
    private async Task PumpAsync()
    {
        byte[] frame = UpcallTestPackets.Udp4("192.168.1.1", "10.0.0.2", 1000, 53);
        while (!stop.IsCancellationRequested)
        {
            bridge.Ports[0].Inject(frame);
            Interlocked.Increment(ref injected);
            while (bridge.Ports[1].Sent.TryDequeue(out _))
            {
                Interlocked.Increment(ref forwarded);
            }

            try
            {
                await Task.Delay(2, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // Echo (answered by the connection) and barrier (served on the ofproto thread, behind every other connection's
    // requests) in turn, every 20 ms, each answer awaited.
    private async Task ProbeAsync()
    {
        uint xid = 1000;
        while (!stop.IsCancellationRequested)
        {
            xid++;
            var sw = Stopwatch.StartNew();
            if (xid % 2 == 0)
            {
                await peer.SendAsync(OfTcpClient.Message(0x04, 2, xid, [1, 2, 3]));
                (byte[] reply, _) = await peer.ReceiveUntilAsync(3, xid, 30000);
                Assert.Equal(3, BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(2)) - 8);
            }
            else
            {
                await peer.BarrierAsync(xid, timeoutMs: 30000);
            }

            long ticks = sw.Elapsed.Ticks;
            if (ticks > Interlocked.Read(ref slowestTicks))
            {
                Interlocked.Exchange(ref slowestTicks, ticks);
            }

            Interlocked.Increment(ref answered);
            try
            {
                await Task.Delay(20, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

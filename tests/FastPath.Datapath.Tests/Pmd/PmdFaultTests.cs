using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Ports.Memory;
using FastPath.Packets;

namespace FastPath.Datapath.Tests.Pmd;

/// <summary>
/// The PMD's exception boundary: a bug in a port, a command or an action program is counted, reported
/// once per kind and dropped, and the PMD (and the test process) goes on forwarding. Without the boundary
/// each of these would kill the PMD thread and with it the process.
/// </summary>
public class PmdFaultTests
{
    private static void WaitFor(Func<bool> done, string what, int seconds = 10)
    {
        var sw = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(seconds), $"timed out waiting for {what}");
            Thread.Sleep(2);
        }
    }

    [Fact]
    public void AnRxQueueThatThrowsCostsItsBatchesNotThePmd()
    {
        var log = new ConcurrentQueue<string>();
        using var dp = new NetdevDatapath([-1], new PmdOptions { FaultLog = log.Enqueue });
        dp.Start();
        var faulty = new FaultyNetdev("bad", throwOnReceive: true);
        var p1 = new MemoryNetdev("p1");
        var p3 = new MemoryNetdev("p3");
        dp.AddPort(faulty, 2);   // polled first: its fault must not starve the queues after it
        dp.AddPort(p1, 1);
        dp.AddPort(p3, 3);
        dp.PutFlow(new MatchBuilder().InPort(1).Build(), new ActionProgramBuilder().Output(3).ToArray());
        for (int i = 0; i < 100; i++)
        {
            p1.Inject(TestPackets.Udp4("10.0.0.1", "10.0.0.2", (ushort)(1000 + i), 2));
        }

        WaitFor(() => p3.Sent.Count == 100, "forwarding past the faulty queue");
        PmdStatsSnapshot s = dp.GetPmdStats()[0];
        Assert.True(s.PacketFaults > 1, $"faults counted: {s.PacketFaults}");
        Assert.True(dp.Pmds[0].IsRunning);

        // Reported once per kind, not once per fault.
        string only = Assert.Single(dp.Pmds[0].Faults);
        Assert.Contains("rx port 2", only);
        Assert.Contains("NullReferenceException", only);
        Assert.Single(log);
    }

    [Fact]
    public void ATxQueueThatThrowsLosesItsBatchAndTheOtherPortsStillSend()
    {
        var log = new ConcurrentQueue<string>();
        using var dp = new NetdevDatapath([-1], new PmdOptions { FaultLog = log.Enqueue });
        dp.Start();
        var p1 = new MemoryNetdev("p1");
        var faulty = new FaultyNetdev("bad", throwOnReceive: false);
        var p3 = new MemoryNetdev("p3");
        dp.AddPort(p1, 1);
        dp.AddPort(faulty, 2);
        dp.AddPort(p3, 3);

        // Every packet goes to the faulty port first, then to port 3.
        dp.PutFlow(new MatchBuilder().InPort(1).Build(), new ActionProgramBuilder().Output(2).Output(3).ToArray());
        for (int i = 0; i < 50; i++)
        {
            p1.Inject(TestPackets.Udp4("10.0.0.1", "10.0.0.2", (ushort)(1000 + i), 2));
        }

        WaitFor(() => p3.Sent.Count == 50, "port 3 to get every packet");
        WaitFor(() => dp.GetPmdStats()[0].PacketFaults >= 1, "the fault to be counted");
        Assert.True(dp.Pmds[0].IsRunning);
        Assert.Contains(dp.Pmds[0].Faults, f => f.Contains("tx port 2") && f.Contains("InvalidCastException"));
        Assert.Single(log);
    }

    [Fact]
    public void AFaultyCommandIsAnsweredWithAnErrorAndThePmdGoesOn()
    {
        var log = new ConcurrentQueue<string>();
        using var dp = new NetdevDatapath([-1], new PmdOptions { FaultLog = log.Enqueue });
        dp.Start();
        var p1 = new MemoryNetdev("p1");
        var p2 = new MemoryNetdev("p2");
        dp.AddPort(p1, 1);
        dp.AddPort(p2, 2);

        // A command of a kind no PMD knows: something upstream is broken. Made the only way it can be, by reflection.
        var unknown = (PmdCommand)Activator.CreateInstance(
            typeof(PmdCommand), BindingFlags.NonPublic | BindingFlags.Instance, null, [(PmdCommandKind)250], null)!;
        PmdCommand bad = dp.Pmds[0].Call(unknown);
        Assert.False(bad.Ok);
        Assert.Contains("unknown PMD command kind 250", bad.Error);
        Assert.Equal(1, dp.GetPmdStats()[0].CommandFaults);
        Assert.Single(log);

        dp.PutFlow(new MatchBuilder().InPort(1).Build(), new ActionProgramBuilder().Output(2).ToArray());
        p1.Inject(TestPackets.Udp4("10.0.0.1", "10.0.0.2", 1, 2));
        WaitFor(() => p2.Sent.Count == 1, "forwarding after the fault");
    }

    [Fact]
    public void FlowPutRefusesAnInvalidActionProgram()
    {
        using var dp = new NetdevDatapath([-1]);
        dp.Start();
        byte[] valid = new ActionProgramBuilder().SetIpv4Src(System.Net.IPAddress.Parse("192.0.2.1")).Output(2).ToArray();
        FlowMatch match = new MatchBuilder().InPort(1).Build();

        // Cut in the middle of the set-field action: the executor would read past the program.
        PmdCommand put = dp.Pmds[0].Call(PmdCommand.FlowPut(match, valid[..(valid.Length - 3)]));
        Assert.False(put.Ok);
        Assert.Contains("invalid action program", put.Error);
        Assert.Empty(dp.Pmds[0].DumpFlows());
        Assert.Throws<InvalidOperationException>(() => dp.PutFlow(match, [0xff, 0xff, 0xff, 0xff]));
        Assert.Empty(dp.Pmds[0].DumpFlows());
        Assert.Equal(0, dp.GetPmdStats()[0].CommandFaults);
    }

    /// <summary>A port whose rx queue throws on every poll, or whose tx queue throws on every send.</summary>
    private sealed class FaultyNetdev(string name, bool throwOnReceive) : INetdev
    {
        private readonly FaultyQueue queue = new(throwOnReceive);

        public string Name => name;

        public string Type => "memory";

        public int RxQueueCount => 1;

        public int TxQueueCount => 1;

        public IRxQueue GetRxQueue(int index) => queue;

        public ITxQueue GetTxQueue(int index) => queue;

        public NetdevStats GetStats() => default;

        public void Dispose() => queue.Pool.Dispose();

        private sealed class FaultyQueue(bool throwOnReceive) : IRxQueue, ITxQueue
        {
            private object? notAString = 42;

            public PacketPool Pool { get; } = new(64);

            public QueueCounters Counters { get; } = new();

            public int Receive(ref PacketBatch batch)
            {
                if (!throwOnReceive)
                {
                    return 0;
                }

                string? s = null;
                return s!.Length;
            }

            public void Send(PacketPool from, ref PacketBatch batch) => _ = ((string)notAString!).Length;

            public void Poll()
            {
            }
        }
    }
}

using System.Diagnostics;
using FastPath.Datapath;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Memory;
using FastPath.Ofproto.Normal;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Tests.Normal;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Rules;

namespace FastPath.Ofproto.Tests;

/// <summary>
/// A real datapath switching by actions=NORMAL: three in-memory ports, one PMD, the ofproto thread translating
/// misses and revalidating, its timer aging the MAC table. Unknown destinations flood, answers go straight back,
/// megaflows made while flooding become unicast once the destination is learned, and follow a host that moves.
/// </summary>
public sealed class NormalForwardingTests : IDisposable
{
    private const ulong A = 0x0200_0000_000aUL;
    private const ulong B = 0x0200_0000_000bUL;

    private readonly NetdevDatapath dp = new([-1]);
    private readonly MemoryNetdev[] p = [new("p1"), new("p2"), new("p3")];
    private readonly OfPipeline pipeline = new();
    private readonly BridgePorts ports;
    private readonly OfXlate xlate;
    private readonly OfprotoThread ofproto;
    private int sent;

    // Added to the Stopwatch NORMAL ages by, so that a test can let five minutes pass at once.
    private long skew;

    public NormalForwardingTests()
    {
        ports = new BridgePorts(new NormalBridge(clock: () => Stopwatch.GetTimestamp() + Volatile.Read(ref skew)));
        dp.Start();
        for (uint i = 1; i <= 3; i++)
        {
            dp.AddPort(p[i - 1], i);
            ports.Set(i);
        }

        pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse("actions=NORMAL")), Stopwatch.GetTimestamp());
        xlate = new OfXlate(pipeline, ports);
        ofproto = new OfprotoThread(dp.Pmds, xlate);
        ofproto.AddTimer(xlate.RunPeriodic);
        ofproto.Start();
    }

    public void Dispose()
    {
        ofproto.Dispose();
        dp.Dispose();
    }

    // Sends a frame into port `inPort` and waits until every port in `to` has it and no other port got anything.
    private void Send(uint inPort, ulong src, ulong dst, params uint[] to)
    {
        byte[] frame = NormalFrames.Udp(src, dst, sport: (ushort)(1000 + sent++));
        int[] before = p.Select(q => q.Sent.Count).ToArray();
        p[inPort - 1].Inject(frame);
        foreach (uint o in to)
        {
            Eventually.Until(() => p[o - 1].Sent.Count == before[o - 1] + 1, $"frame {sent} on port {o}");
            Assert.Equal(frame, p[o - 1].Sent.Last());
        }

        // The PMD handles a frame's outputs together: once the expected ports have it, the others would too.
        Thread.Sleep(20);
        for (uint q = 1; q <= 3; q++)
        {
            Assert.True(p[q - 1].Sent.Count == before[q - 1] + (to.Contains(q) ? 1 : 0), $"frame {sent}: port {q} has {p[q - 1].Sent.Count - before[q - 1]} new frames");
        }
    }

    private List<DatapathFlow> Megaflows() => dp.Pmds[0].DumpFlows().ToList();

    private string ActionsOfMegaflowFrom(uint inPort) =>
        ActionFormatter.Format(Megaflows().Single(f => f.Match.Key.InPort == inPort).Actions);

    private long NormalRulePackets() => ofproto.Invoke(() => pipeline.Rules.Single().Packets);

    [Fact]
    public void UnknownFloodsAnswersAreUnicastAndLearnedDestinationsStopFlooding()
    {
        Send(1, A, B, 2, 3);
        Send(2, B, A, 1);

        // The megaflow A made while B was unknown is re-translated once B is learned: A's next frame reaches B only.
        Eventually.Until(() => ActionsOfMegaflowFrom(1) == "2", "A's megaflow to become a unicast to port 2");
        Send(1, A, B, 2);
        Assert.Equal(2, Megaflows().Count);
        Assert.True(ofproto.Invoke(() => ofproto.Revalidator.Modified) >= 1);

        List<MacLearningEntry> fdb = ofproto.Invoke(() => ports.Normal.Table.Snapshot(ports.Normal.Now));
        Assert.Equal(new[] { (1u, A), (2u, B) }, fdb.Select(e => (e.Port, e.Mac)).Order().ToArray());
    }

    [Fact]
    public void AHostThatMovesIsFollowed()
    {
        Send(1, A, B, 2, 3);
        Send(2, B, A, 1);
        Eventually.Until(() => ActionsOfMegaflowFrom(1) == "2", "A's megaflow to become a unicast");
        Send(1, A, B, 2);

        // Every frame so far is credited to the rule (and, through NORMAL, re-learned where it came from) before A moves.
        Eventually.Until(() => NormalRulePackets() == sent, "the revalidator to credit every frame");

        // A moves to port 3: its first frame there is a miss that re-learns it; B's megaflow towards A follows it.
        Send(3, A, B, 2);
        Eventually.Until(() => ActionsOfMegaflowFrom(2) == "3", "B's megaflow to send to port 3");
        Send(2, B, A, 3);
        Assert.Equal(3u, ofproto.Invoke(() => ports.Normal.Table.TryLookup(A, 0, ports.Normal.Now, out uint port) ? port : 0));
    }

    [Fact]
    public void LearnedAddressesAgeOutByTheTimerAndTheNextFrameFloodsAgain()
    {
        Send(2, B, A, 1, 3);
        Send(1, A, B, 2);
        Eventually.Until(() => ActionsOfMegaflowFrom(2) == "1", "B's megaflow to become a unicast");

        // Four minutes on, both are still known; after five, the ofproto thread's timer ages them out and the
        // megaflows made from them are re-translated to floods.
        Interlocked.Add(ref skew, 240 * Stopwatch.Frequency);
        Thread.Sleep(50);
        Assert.Equal(2, ofproto.Invoke(() => ports.Normal.Table.Count));
        Interlocked.Add(ref skew, 61 * Stopwatch.Frequency);
        Eventually.Until(() => ofproto.Invoke(() => ports.Normal.Table.Count) == 0, "both addresses to age out");
        Eventually.Until(() => ActionsOfMegaflowFrom(1) == "2,3" && ActionsOfMegaflowFrom(2) == "1,3", "the megaflows to flood");
        Send(1, A, B, 2, 3);
    }
}

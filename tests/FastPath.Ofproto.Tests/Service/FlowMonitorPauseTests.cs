using FastPath.Connmgr;
using FastPath.OpenFlow;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Monitor;

namespace FastPath.Ofproto.Tests.Service;

/// <summary>
/// Flow monitoring's flow control on FastPath with a peer that stops reading (a client on the management
/// socket): past <see cref="OpenFlowEndpointOptions.FlowMonitorPauseBytes"/> of unsent updates the connection gets
/// PAUSED and nothing more is queued for it however many flows change, except the removal of flows it knew; once it
/// reads again, the flows added meanwhile and RESUMED. The client talks over the management unix socket, whose kernel
/// buffer (unlike loopback TCP's, which grows to megabytes) fills after some 200 KB. (FlowMonitorVersusOvsTests shows Open vSwitch doing the same
/// with ovs-ofctl's ofctl/block; FastPath's OpenFlow flow-mod path is too slow here to fill the socket buffers
/// through ovs-ofctl within its timeout, so the flows here change through the bridge itself.)
/// </summary>
public class FlowMonitorPauseTests
{
    // NXST_FLOW_MONITOR request as plain ovs-ofctl sends it for watch:!initial (tests/data/openflow/flow-monitor-filtered-plain.txt has its shape).
    private const string WatchNoInitial = "0110002800000006ffff000000002320000000020000000000000000003effff0000ff0000000000";

    [Fact]
    public async Task AMonitorThatDoesNotReadIsPausedHeldBackAndResumedWithWhatItMissed()
    {
        await using HostedBridge b = HostedBridge.Start(4);
        // No inactivity probe: a peer that does not read does not answer echoes either.
        string socket = Path.Combine(b.Directory, "monitor.sock");
        b.Host.Listen("punix:" + socket, new OfRemoteOptions { Connection = new OfConnectionOptions { InactivityProbe = TimeSpan.Zero } });
        using OfTcpClient client = await OfTcpClient.ConnectUnixAsync(socket);
        client.AnswerEchoes = true;
        await client.SendAsync(OfTcpClient.Message(1, 0, 1, []));
        Assert.Equal(0, (await client.ReceiveAsync())![1]);
        await client.SendAsync(Convert.FromHexString(WatchNoInitial));
        Assert.Empty(Updates(await client.ReceiveAsync()));

        // Not reading: flows keep coming until the backlog passes the bound and the monitor pauses.
        int added = 0;
        while (b.Host.OpenFlow.FlowMonitorPauses == 0)
        {
            Assert.True(added < 100_000, "no pause after 100000 flows");
            Add(b, added + 1, 500);
            added += 500;
        }

        OfConnection c = b.Host.OpenFlow.Connections.Single(x => x.Kind != OfConnectionKind.Snoop && x.Session.Version == OpenFlowVersion.OF10);
        long atPause = c.QueuedBytes;

        // Paused: 5000 more flows queue nothing; the removal of flow 1, which it knew, does; flow added+1 goes unseen.
        Add(b, added + 1, 5000);
        int total = added + 5000;
        b.Host.Bridge.Apply(new FlowMod(FlowModCommand.DeleteStrict, FlowText.Parse(Flow(1))));
        b.Host.Bridge.Apply(new FlowMod(FlowModCommand.DeleteStrict, FlowText.Parse(Flow(added + 1))));
        Assert.InRange(c.QueuedBytes, 0, atPause + 1024);
        Assert.InRange(c.QueuedBytes, 0, 2 * 128 * 1024);

        // Reading again: everything up to PAUSED, the removal, then the flows added while paused and RESUMED.
        var seen = new HashSet<string>();
        var events = new List<string>();
        while (true)
        {
            byte[] m = await client.ReceiveAsync() ?? throw new IOException("the switch closed the connection");
            OfMessage msg = OfCodec.Decode(m, new OfSession(OpenFlowVersion.OF10));
            if (msg is FlowMonitorPaused p)
            {
                events.Add(p.Resumed ? "RESUMED" : "PAUSED");
                if (p.Resumed)
                {
                    break;
                }

                continue;
            }

            foreach (FlowUpdate u in ((FlowMonitorReply)msg).Updates)
            {
                string text = FlowText.FormatDumpFlow(u.Rule!, stats: null) + " " + u.Event;
                if (u.Event == FlowUpdateEvent.Added)
                {
                    Assert.True(seen.Add(text), "reported twice: " + text);
                }
                else
                {
                    events.Add(text);
                }
            }
        }

        Assert.Equal("PAUSED", events[0]);
        Assert.Equal("RESUMED", events[^1]);
        Assert.Equal(3, events.Count); // PAUSED, flow 1 deleted, RESUMED
        Assert.Contains("Deleted", events[1], StringComparison.Ordinal);
        Assert.Equal(total - 1, seen.Count); // all but the one added and deleted while paused
        Assert.Equal(1, b.Host.OpenFlow.FlowMonitorResumes);
    }

    // Many flows in one piece of ofproto work (fast): their updates go out as one message.
    private static void Add(HostedBridge b, int first, int count) => b.Host.Bridge.Invoke(() =>
    {
        for (int i = first; i < first + count; i++)
        {
            b.Host.Bridge.Pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse(Flow(i))), System.Diagnostics.Stopwatch.GetTimestamp());
        }

        return count;
    });

    private static string Flow(int i) => $"table=1,priority=8,ip,nw_dst=10.{i >> 16}.{(i >> 8) & 255}.{i & 255},actions=output:1";

    private static IReadOnlyList<FlowUpdate> Updates(byte[]? message) =>
        ((FlowMonitorReply)OfCodec.Decode(message ?? throw new IOException("closed"), new OfSession(OpenFlowVersion.OF10))).Updates;
}

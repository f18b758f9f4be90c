using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using FastPath.Connmgr;
using FastPath.Ofproto.Bridge;
using FastPath.Ofproto.Tests.Interop;
using Xunit.Abstractions;

namespace FastPath.Ofproto.Tests.Service;

/// <summary>
/// Bad input and hostile peers against a hosted bridge over real TCP on loopback (issue 14, point 4), while packets
/// keep being forwarded by a flow and a second, well-behaved connection keeps being answered (<see cref="AbuseWitness"/>).
/// The replies expected are the bytes ovs-vswitchd 3.1 (Debian's, dummy datapath, bridge protocols OpenFlow10,13,14,15)
/// sent for the same requests: an OFPT_ERROR in the request's version, on its xid, carrying the request whole.
/// </summary>
public class HostilePeerTests(ITestOutputHelper output)
{
    private const byte V13 = 0x04;
    private const byte V10 = 0x01;

    /// <summary>Each request and what Open vSwitch 3.1 answered; the connection stays up after every one.</summary>
    public static IEnumerable<(string Name, byte Version, byte[] Request, byte[] Expected)> Answered()
    {
        byte[] m;
        m = Msg(V13, 200, 7, "abcd"u8);
        yield return ("unknown type 200", V13, m, OfTcpClient.Error(V13, 1, 1, m));
        m = Msg(0x03, 20, 8, []);
        yield return ("version 0x03 (1.2) on a 1.3 connection", V13, m, OfTcpClient.Error(0x03, 1, 0, m));
        m = Msg(0x07, 20, 9, []);
        yield return ("unknown version 0x07", V13, m, OfTcpClient.Error(V10, 1, 0, m));
        m = Msg(V10, 18, 10, []);
        yield return ("version 1.0 on a 1.3 connection", V13, m, OfTcpClient.Error(V10, 1, 0, m));
        m = Msg(V13, 2, 11, new byte[ushort.MaxValue - 8]);
        byte[] echoReply = (byte[])m.Clone();
        echoReply[1] = 3;
        yield return ("64 KiB echo request", V13, m, echoReply);
        byte[] experimenter = new byte[ushort.MaxValue - 8];
        BinaryPrimitives.WriteUInt32BigEndian(experimenter, 0x12345678);
        BinaryPrimitives.WriteUInt32BigEndian(experimenter.AsSpan(4), 1);
        m = Msg(V13, 4, 12, experimenter);
        yield return ("64 KiB message of an unknown experimenter", V13, m, OfTcpClient.Error(V13, 1, 3, m));
        m = FlowMod13(13, Match13(Oxm(0x8000, 127, [1, 2])));
        yield return ("flow-mod matching an unknown OXM field", V13, m, OfTcpClient.Error(V13, 4, 6, m));
        m = FlowMod13(14, Match13(Oxm(0x8000, 11, [10, 0, 0, 1])));
        yield return ("flow-mod matching ipv4_src without eth_type", V13, m, OfTcpClient.Error(V13, 4, 9, m));
        m = FlowMod13(15, Match13(), Apply(Action(0x1234, [0, 0, 0, 0])));
        yield return ("flow-mod with an unknown action type", V13, m, OfTcpClient.Error(V13, 2, 0, m));
        m = FlowMod13(16, Match13(), Apply(Output(1)[..12]));
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(m.Length - 10), 12);
        yield return ("flow-mod with a 12-byte output action", V13, m, OfTcpClient.Error(V13, 1, 6, m));
        m = FlowMod13(17, Match13(), Instruction(0x99, []));
        yield return ("flow-mod with an unknown instruction", V13, m, OfTcpClient.Error(V13, 3, 0, m));
        m = FlowMod13(18, Match13(), command: 9);
        yield return ("flow-mod with command 9", V13, m, OfTcpClient.Error(V13, 5, 6, m));
        m = Msg(V13, 14, 19, new byte[20]);
        yield return ("flow-mod cut to 28 bytes", V13, m, OfTcpClient.Error(V13, 1, 6, m));
        m = FlowMod13(20, [0, 1, 0, 200, 0, 0, 0, 0]);
        yield return ("flow-mod whose match says 200 bytes", V13, m, OfTcpClient.Error(V13, 4, 1, m));
        m = Msg(V13, 18, 21, [0x07, 0x77, 0, 0, 0, 0, 0, 0]);
        yield return ("multipart request of unknown type", V13, m, OfTcpClient.Error(V13, 1, 2, m));
        m = Msg(V13, 13, 22, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0, 0, 0, 0, 0]);
        yield return ("packet-out from port 0xfffffff0", V13, m, OfTcpClient.Error(V13, 1, 11, m));
        m = FlowMod10(23, Action(0x77, [0, 0, 0, 0]));
        yield return ("OpenFlow 1.0 flow-mod with an unknown action type", V10, m, OfTcpClient.Error(V10, 2, 0, m));

        // NXT_FLOW_MOD on a 1.3 connection: Open vSwitch reads what follows the match as 1.3 instructions, so a 1.0
        // action list's OFPAT_OUTPUT is instruction type 0 and an NXAST_REG_LOAD an instruction of experimenter 0x2320.
        m = Convert.FromHexString("0404004800000018000023200000000dffffffffffffffff0001000000008000ffffffffffff0000000c00000000000000013c080000000000000123000000000000000800020000");
        yield return ("NXT_FLOW_MOD on 1.3 with an OpenFlow 1.0 output action", V13, m, OfTcpClient.Error(V13, 3, 0, m));
        m = Convert.FromHexString("0404005800000019000023200000000d00000000000000000000000000000005ffffffffffff0000000e00000000000000000602884780004404000000640000ffff00100000232000180800000000000000000800010000");
        yield return ("NXT_FLOW_MOD on 1.3 with an NXAST_REG_LOAD action", V13, m, OfTcpClient.Error(V13, 3, 5, m));
    }

    [Fact]
    public async Task EveryBadRequestGetsTheErrorOpenVSwitchSendsAndTheConnectionStaysUp()
    {
        await using HostedBridge b = HostedBridge.Start();
        int port = b.ListenTcp().Port;
        await using AbuseWitness witness = await AbuseWitness.StartAsync(b, port);
        var failures = new List<string>();
        uint barrier = 100;
        foreach ((string name, byte version, byte[] request, byte[] expected) in Answered())
        {
            using OfTcpClient c = await OfTcpClient.OpenAsync(port, version);
            await c.SendAsync(request);
            byte[]? reply = await c.ReceiveAsync();
            if (reply is null || !reply.AsSpan().SequenceEqual(expected))
            {
                failures.Add($"{name}: expected {Hex(expected)}, got {(reply is null ? "a close" : Hex(reply))}");
                continue;
            }

            // Still up, and nothing else was said about the request.
            List<byte[]> extra = await c.BarrierAsync(barrier++, version);
            if (extra.Count != 0)
            {
                failures.Add($"{name}: also sent {string.Join(", ", extra.Select(Hex))}");
            }
        }

        witness.AssertAlive("after the bad requests");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        output.WriteLine($"forwarded {witness.Forwarded} of {witness.Injected}; well-behaved connection: {witness.Answered} answers, slowest {witness.Slowest.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task LengthsThatDisagreeWithTheBytesSentFrameTheStreamAsOpenVSwitchDoes()
    {
        await using HostedBridge b = HostedBridge.Start();
        int port = b.ListenTcp().Port;
        await using AbuseWitness witness = await AbuseWitness.StartAsync(b, port);

        // An echo request saying 16 bytes followed by a barrier: the barrier is the echo's payload (OVS: the same).
        using (OfTcpClient c = await OfTcpClient.OpenAsync(port))
        {
            byte[] echo = Msg(V13, 2, 7, []);
            BinaryPrimitives.WriteUInt16BigEndian(echo.AsSpan(2), 16);
            byte[] barrier = Msg(V13, 20, 8, []);
            await c.SendAsync(echo);
            await c.SendAsync(barrier);
            Assert.Equal(Convert.FromHexString("04030010000000070414000800000008"), await c.ReceiveAsync());
            await c.BarrierAsync(9);
        }

        // A barrier followed by 4 stray bytes: the barrier is answered, the stray bytes start the next header, which
        // the next 4 bytes complete as a barrier on xid 9 (OVS: the same).
        using (OfTcpClient c = await OfTcpClient.OpenAsync(port))
        {
            await c.SendAsync(Convert.FromHexString("041400080000000704140008"));
            Assert.Equal(Convert.FromHexString("0415000800000007"), await c.ReceiveAsync());
            await c.SendAsync(Convert.FromHexString("00000009"));
            Assert.Equal(Convert.FromHexString("0415000800000009"), await c.ReceiveAsync());
        }

        witness.AssertAlive("after framing abuse");
    }

    [Fact]
    public async Task AShortLengthANonHelloFirstOrNoCommonVersionCloseTheConnectionAsOpenVSwitchDoes()
    {
        await using HostedBridge b = HostedBridge.Start();
        int port = b.ListenTcp().Port;
        await using AbuseWitness witness = await AbuseWitness.StartAsync(b, port);

        // A length below the header's 8 bytes: nothing after it can be framed. OVS closes without a word; FastPath
        // says OFPBRC_BAD_LEN first (its connection manager's choice, kept), then closes.
        using (OfTcpClient c = await OfTcpClient.OpenAsync(port))
        {
            byte[] shortLength = Msg(V13, 2, 7, []);
            BinaryPrimitives.WriteUInt16BigEndian(shortLength.AsSpan(2), 4);
            await c.SendAsync(shortLength);
            (bool closed, List<byte[]> before) = await c.ClosedWithinAsync(5000);
            Assert.True(closed, "a 4-byte length left the connection open");
            Assert.All(before, m => Assert.Equal("1/1/6", $"{m[1]}/{BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(8))}/{BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(10))}"));
        }

        // A barrier before any hello: OVS closes.
        using (OfTcpClient c = await OfTcpClient.ConnectAsync(port))
        {
            await c.SendAsync(Msg(V13, 20, 1, []));
            (bool closed, List<byte[]> before) = await c.ClosedWithinAsync(5000);
            Assert.True(closed, "a barrier instead of a hello left the connection open");
            Assert.All(before, m => Assert.Equal(0, m[1]));
        }

        // A hello offering only OpenFlow 1.1: OFPET_HELLO_FAILED/OFPHFC_INCOMPATIBLE in version 0x02 with OVS's text, then close.
        using (OfTcpClient c = await OfTcpClient.ConnectAsync(port))
        {
            await c.SendAsync(Msg(0x3f, 0, 1, [0, 1, 0, 8, 0, 0, 0, 0x04]));
            (bool closed, List<byte[]> before) = await c.ClosedWithinAsync(5000);
            Assert.True(closed, "a hello without a common version left the connection open");
            byte[] error = Assert.Single(before, m => m[1] == 1);
            Assert.Equal("2/0/0", $"{error[0]}/{BinaryPrimitives.ReadUInt16BigEndian(error.AsSpan(8))}/{BinaryPrimitives.ReadUInt16BigEndian(error.AsSpan(10))}");
            Assert.Equal(
                "We support versions 0x01, 0x04, 0x05, 0x06, you support version 0x02, no common versions.",
                Encoding.ASCII.GetString(error.AsSpan(12)).TrimEnd('\0'));
        }

        witness.AssertAlive("after connections were closed for bad framing and hellos");
    }

    [Fact]
    public async Task SlowlorisPeersAreClosedAfterThePartialMessageTimeoutAndAbruptDisconnectsCostNothing()
    {
        await using HostedBridge b = HostedBridge.Start();
        var limits = new OfConnectionOptions { PartialMessageTimeout = TimeSpan.FromSeconds(1), InactivityProbe = TimeSpan.Zero };
        OfPassiveRemote listener = b.ListenTcp(limits);
        int port = listener.Port;
        await using AbuseWitness witness = await AbuseWitness.StartAsync(b, port);

        // Half a header, then silence; and a 64-byte flow-mod dripped a byte every 100 ms: both closed after about 1 s.
        using OfTcpClient halfHeader = await OfTcpClient.OpenAsync(port);
        await halfHeader.SendAsync(Msg(V13, 20, 7, [])[..4]);
        using OfTcpClient drip = await OfTcpClient.OpenAsync(port);
        byte[] slow = FlowMod13(8, Match13());
        var sw = Stopwatch.StartNew();
        Task dripping = Task.Run(async () =>
        {
            try
            {
                foreach (byte x in slow)
                {
                    await drip.SendAsync(new[] { x });
                    await Task.Delay(100);
                }
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The switch closed on us: expected.
            }
        });
        Assert.True((await halfHeader.ClosedWithinAsync(8000)).Closed, "half a header held the connection open");
        Assert.True((await drip.ClosedWithinAsync(8000)).Closed, "a message dripped byte by byte held the connection open");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(6.4), $"the dripping peer lasted {sw.Elapsed.TotalSeconds:0.0} s, as long as its whole message takes");
        await dripping.WaitAsync(TimeSpan.FromSeconds(10));
        witness.AssertAlive("after the slowloris peers");

        // Peers that reset the connection mid-message, 50 times: nothing is left behind.
        for (int i = 0; i < 50; i++)
        {
            OfTcpClient c = await OfTcpClient.OpenAsync(port);
            await c.SendAsync(FlowMod13((uint)i, Match13())[..30]);
            c.Abort();
        }

        Eventually.Until(() => listener.Connections.Count == 1, "the aborted connections to be gone (only the witness left)");
        witness.AssertAlive("after 50 abrupt disconnects");
    }

    [Fact]
    public async Task WhileTheOfprotoThreadsInboxIsFullAConnectionWaitsAndNoRequestIsRefusedOrLost()
    {
        var options = new BridgeHostOptions
        {
            FailMode = OfFailMode.Secure,
            Bridge = new OfBridgeOptions { Ofproto = new OfprotoOptions { InboxCapacity = 8 } },
        };
        await using HostedBridge b = HostedBridge.Start(options: options);
        OfPassiveRemote listener = b.ListenTcp();
        using OfTcpClient c = await OfTcpClient.OpenAsync(listener.Port);
        Eventually.Until(() => listener.Connections.Count == 1, "the connection");
        OfConnection connection = listener.Connections[0];

        // The ofproto thread is stalled, so 8 requests fill its inbox and the 9th has nowhere to go.
        using var gate = new ManualResetEventSlim();
        Task<bool> stall = b.Host.Bridge.Thread.InvokeAsync(() => gate.Wait(TimeSpan.FromSeconds(60)));
        const int N = 500;
        byte[] mods = [.. Enumerable.Range(0, N).SelectMany(i => FlowMod13((uint)i, Match13(Oxm(0x8000, 5, [0x08, 0x00]), Oxm(0x8000, 12, [10, 2, (byte)(i >> 8), (byte)i])), Apply(Output(2))))];
        Task sending = c.SendAsync(mods);
        Eventually.Until(() => connection.Counters.HandlerWaits > 0, "the connection to wait for room in the inbox");
        await Assert.ThrowsAsync<TimeoutException>(() => c.ReceiveAsync(300)); // no EPERM, no reply of any kind
        Assert.Equal(OfConnectionState.Active, connection.State);

        gate.Set();
        Assert.True(await stall);
        await sending.WaitAsync(TimeSpan.FromSeconds(30));
        List<byte[]> before = await c.BarrierAsync(0xb0000000, timeoutMs: 60_000);
        Assert.True(before.Count == 0, $"{before.Count} replies before the barrier's, the first {Hex(before.FirstOrDefault() ?? [])}");
        Assert.Equal(N, await FlowCountAsync(c, 0xb0000001));
    }

    [Fact]
    public async Task TenThousandFlowModsAsFastAsAClientSendsAreAllApplied()
    {
        await using HostedBridge b = HostedBridge.Start();
        int port = b.ListenTcp().Port;
        await using AbuseWitness witness = await AbuseWitness.StartAsync(b, port);
        using OfTcpClient c = await OfTcpClient.OpenAsync(port);
        const int Flows = 10_000;

        // One write per 500 flow-mods: the client sends as fast as the switch lets it, reading nothing until the barrier.
        var sw = Stopwatch.StartNew();
        var batch = new List<byte>();
        for (int i = 0; i < Flows; i++)
        {
            batch.AddRange(FlowMod13((uint)i, Match13(Oxm(0x8000, 5, [0x08, 0x00]), Oxm(0x8000, 12, [10, 1, (byte)(i >> 8), (byte)i])), Apply(Output(2))));
            if (batch.Count >= 500 * 96 || i == Flows - 1)
            {
                await c.SendAsync(batch.ToArray());
                batch.Clear();
            }
        }

        TimeSpan sending = sw.Elapsed;
        List<byte[]> before = await c.BarrierAsync(0xb0000000, timeoutMs: 120_000);
        TimeSpan applied = sw.Elapsed;
        Assert.Empty(before); // not one error, nothing refused

        // dump-aggregate (1.3 OFPMP_AGGREGATE, all tables): flow_count is every flow-mod plus the witness's flow.
        Assert.Equal(Flows + 1, await FlowCountAsync(c, 0xb0000001));
        witness.AssertAlive("after 10 000 flow-mods");
        output.WriteLine($"{Flows} flow-mods: sent in {sending.TotalMilliseconds:0} ms, all applied (barrier reply) after {applied.TotalMilliseconds:0} ms = {Flows / applied.TotalSeconds:0} flow-mods/s (shared 2-core machine: noisy); "
            + $"forwarded {witness.Forwarded} of {witness.Injected}; well-behaved connection slowest answer {witness.Slowest.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task APeerThatSendsRequestsButNeverReadsIsDisconnectedAndMemoryStaysBounded()
    {
        await using HostedBridge b = HostedBridge.Start();
        var limits = new OfConnectionOptions { InactivityProbe = TimeSpan.FromSeconds(1) };
        OfPassiveRemote listener = b.ListenTcp(limits);
        int port = listener.Port;
        await using AbuseWitness witness = await AbuseWitness.StartAsync(b, port);
        OfConnection witnessConnection = Assert.Single(listener.Connections);
        b.Host.Bridge.AddFlows(Enumerable.Range(0, 1000).Select(i => $"priority=10,udp,tp_dst={i + 1},actions=output:2"));
        GC.Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long rssBefore = Process.GetCurrentProcess().WorkingSet64;

        // Flow dumps (about 70 KiB of reply each) and 60 KB echo requests, as fast as the socket takes them, never reading.
        using OfTcpClient hog = await OfTcpClient.OpenAsync(port);
        hog.Socket.ReceiveBufferSize = 4096;
        Eventually.Until(() => listener.Connections.Count == 2, "the hog's connection");
        OfConnection hogConnection = listener.Connections.Single(x => x != witnessConnection);
        long peakQueued = 0;
        using var sampling = new CancellationTokenSource();
        Task sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested && hogConnection.CloseReason is null)
            {
                peakQueued = Math.Max(peakQueued, hogConnection.QueuedBytes);
                await Task.Delay(2);
            }
        });
        byte[] dump = FlowStatsRequest13(5, aggregate: false);
        byte[] echo = Msg(V13, 2, 6, new byte[60000]);
        using var sending = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        long sent = 0;
        var sw = Stopwatch.StartNew();

        // Meanwhile a real tool asks over TCP too: ovs-ofctl dump-aggregate, half a second into the abuse.
        Task<(OfctlResult Result, TimeSpan Took)> ofctl = Task.Run(async () =>
        {
            await Task.Delay(500);
            var took = Stopwatch.StartNew();
            OfctlResult r = Assert.Single(OfctlRunner.Run(OfctlScript.Parse("aggregate", "OpenFlow13", ["dump-aggregate {target}"]), $"tcp:127.0.0.1:{port}"));
            return (r, took.Elapsed);
        });
        try
        {
            while (!sending.IsCancellationRequested)
            {
                await hog.Socket.SendAsync(sent % 2 == 0 ? dump : echo, System.Net.Sockets.SocketFlags.None, sending.Token);
                sent++;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.Sockets.SocketException)
        {
            // Our sends block once the switch stops reading, then fail once it closes: both expected.
        }

        TimeSpan cut = sw.Elapsed;
        Eventually.Until(() => listener.Connections.Count == 1, "the hog to be disconnected (only the witness left)");
        await sampler.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(witnessConnection.CloseReason is null, $"the well-behaved connection was closed: {witnessConnection.CloseReason}");
        Assert.True(cut < TimeSpan.FromSeconds(20), $"the hog was still connected after {cut.TotalSeconds:0} s");
        Assert.True(peakQueued is > 0 and <= 4 * 1024 * 1024, $"{peakQueued} bytes queued for the hog");
        witness.AssertAlive("after the peer that never reads");
        (OfctlResult aggregate, TimeSpan ofctlTook) = await ofctl.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(aggregate.ExitCode == 0, aggregate.Stderr);
        Assert.Contains("flow_count=1001", aggregate.Stdout, StringComparison.Ordinal);
        Assert.True(ofctlTook < TimeSpan.FromSeconds(10), $"ovs-ofctl dump-aggregate took {ofctlTook.TotalSeconds:0.0} s during the abuse");
        long after = GC.GetTotalMemory(forceFullCollection: true);
        long rssAfter = Process.GetCurrentProcess().WorkingSet64;
        output.WriteLine($"hog: {sent} requests written in {cut.TotalMilliseconds:0} ms before the switch cut it ({hogConnection.CloseReason}); peak queued {peakQueued} bytes; "
            + $"ovs-ofctl dump-aggregate meanwhile answered in {ofctlTook.TotalMilliseconds:0} ms; managed heap {before / 1024} KiB -> {after / 1024} KiB; working set {rssBefore / 1048576} MiB -> {rssAfter / 1048576} MiB");
        Assert.True(after - before < 32L * 1024 * 1024, $"the managed heap grew by {(after - before) / 1024} KiB");
    }

    // OFPMP_FLOW or OFPMP_AGGREGATE of every table, port, group and cookie (what dump-flows / dump-aggregate send).
    private static byte[] FlowStatsRequest13(uint xid, bool aggregate)
    {
        var body = new byte[48];
        body[1] = (byte)(aggregate ? 2 : 1);
        body[8] = 0xff; // all tables
        BinaryPrimitives.WriteUInt64BigEndian(body.AsSpan(12), ulong.MaxValue); // out_port, out_group: any
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(40), 0x00010004); // empty OXM match
        return Msg(V13, 18, xid, body);
    }

    // dump-aggregate's flow_count.
    private static async Task<int> FlowCountAsync(OfTcpClient c, uint xid)
    {
        await c.SendAsync(FlowStatsRequest13(xid, aggregate: true));
        (byte[] reply, _) = await c.ReceiveUntilAsync(19, xid);
        return (int)BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(32));
    }

    private static string Hex(byte[] m) => m.Length <= 96 ? Convert.ToHexString(m) : $"{Convert.ToHexString(m.AsSpan(0, 96))}...({m.Length} bytes)";

    private static byte[] Msg(byte version, byte type, uint xid, ReadOnlySpan<byte> body) => OfTcpClient.Message(version, type, xid, body);

    private static byte[] Oxm(ushort cls, byte field, byte[] value) => [(byte)(cls >> 8), (byte)cls, (byte)(field << 1), (byte)value.Length, .. value];

    // ofp_match (OXM), padded to 8.
    private static byte[] Match13(params byte[][] fields)
    {
        byte[] oxms = [.. fields.SelectMany(f => f)];
        int length = 4 + oxms.Length;
        return [0, 1, (byte)(length >> 8), (byte)length, .. oxms, .. new byte[(8 - (length % 8)) % 8]];
    }

    private static byte[] FlowMod13(uint xid, byte[] match, byte[]? instructions = null, byte command = 0)
    {
        var head = new byte[40];
        head[17] = command;
        BinaryPrimitives.WriteUInt16BigEndian(head.AsSpan(22), 100); // priority
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(24), 0xffffffff); // buffer_id
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(28), 0xffffffff); // out_port
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(32), 0xffffffff); // out_group
        return Msg(V13, 14, xid, [.. head, .. match, .. instructions ?? []]);
    }

    private static byte[] FlowMod10(uint xid, byte[] actions)
    {
        var body = new byte[64];
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(54), 100); // priority
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(56), 0xffffffff); // buffer_id
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(60), 0xffff); // out_port
        return Msg(V10, 14, xid, [.. body, .. actions]);
    }

    private static byte[] Instruction(ushort type, byte[] rest) => [(byte)(type >> 8), (byte)type, 0, (byte)(8 + rest.Length), 0, 0, 0, 0, .. rest];

    private static byte[] Apply(byte[] actions) => Instruction(4, actions);

    private static byte[] Action(ushort type, byte[] rest) => [(byte)(type >> 8), (byte)type, 0, (byte)(4 + rest.Length), .. rest];

    private static byte[] Output(uint port) => [0, 0, 0, 16, (byte)(port >> 24), (byte)(port >> 16), (byte)(port >> 8), (byte)port, 0xff, 0xff, 0, 0, 0, 0, 0, 0];
}

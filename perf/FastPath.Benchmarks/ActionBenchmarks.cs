using System.Buffers.Binary;
using System.Net;
using BenchmarkDotNet.Attributes;
using FastPath.Datapath.Actions;
using FastPath.Packets;

namespace FastPath.Benchmarks;

/// <summary>
/// Action execution per packet: set-field rewrites with their incremental checksum updates, dec_ttl,
/// push_vlan/pop_vlan, push_mpls/pop_mpls, against a bare output.
/// </summary>
/// <remarks>
/// The executor skips the write and the checksum update when a field already holds the value, so
/// running one program over and over would measure that shortcut from the second run on. Instead each
/// invocation runs a program over a 32-packet batch and then the program that undoes it over the same
/// batch: every execution really rewrites, and the frames come back to their original bytes without a
/// re-copy inside the timed region. Figures are ns per executed program (per packet per program).
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class ActionBenchmarks
{
    private const int BatchSize = 32;
    private const uint OutPort = 1;
    private const ushort MplsUnicast = 0x8847;

    // dec_ttl takes 64 down to 1 in 63 steps without expiring; the TTL is then put back once per
    // 63 executions, too rarely to show in the per-packet figure.
    private const int DecTtlRounds = BenchmarkPackets.InitialTtl - 1;

    // TTL, protocol and header checksum: the IPv4 bytes dec_ttl changes.
    private const int TtlWordOffset = 8;
    private const int TtlWordLength = 4;

    private PacketPool pool = null!;
    private Packet[] nwSrcBatch = null!;
    private Packet[] tpDstBatch = null!;
    private Packet[] ipv6SrcBatch = null!;
    private Packet[] decTtlBatch = null!;
    private Packet[] vlanBatch = null!;
    private Packet[] mplsBatch = null!;
    private Packet[] labelledBatch = null!;
    private Packet[] outputBatch = null!;
    private Packet[] s5Batch = null!;
    private readonly ExecResult[] batchResults = new ExecResult[BatchSize];

    private byte[] setNwSrc = null!;
    private byte[] restoreNwSrc = null!;
    private byte[] setTpDst = null!;
    private byte[] restoreTpDst = null!;
    private byte[] setIpv6Src = null!;
    private byte[] restoreIpv6Src = null!;
    private byte[] decTtl = null!;
    private byte[] pushVlan = null!;
    private byte[] popVlan = null!;
    private byte[] pushMpls = null!;
    private byte[] popMplsToIpv4 = null!;
    private byte[] popMplsToMpls = null!;
    private byte[] output = null!;
    private byte[] ttlWord = null!;
    private byte[] s5 = null!;
    private byte[] undoS5 = null!;

    /// <summary>Fills one batch per benchmark, builds the programs and checks each pair really undoes itself.</summary>
    [GlobalSetup]
    public void Setup()
    {
        pool = new PacketPool(16 * BatchSize);
        byte[] udp4 = BenchmarkPackets.Udp4();
        nwSrcBatch = BenchmarkPackets.FillBatch(pool, udp4, BatchSize);
        tpDstBatch = BenchmarkPackets.FillBatch(pool, BenchmarkPackets.Tcp4(), BatchSize);
        ipv6SrcBatch = BenchmarkPackets.FillBatch(pool, BenchmarkPackets.Tcp6(), BatchSize);
        decTtlBatch = BenchmarkPackets.FillBatch(pool, udp4, BatchSize);
        vlanBatch = BenchmarkPackets.FillBatch(pool, udp4, BatchSize);
        mplsBatch = BenchmarkPackets.FillBatch(pool, udp4, BatchSize);
        labelledBatch = BenchmarkPackets.FillBatch(pool, udp4, BatchSize);
        outputBatch = BenchmarkPackets.FillBatch(pool, udp4, BatchSize);
        s5Batch = BenchmarkPackets.FillBatch(pool, udp4, BatchSize);

        setNwSrc = Build(b => b.SetIpv4Src(IPAddress.Parse("192.168.7.9")));
        restoreNwSrc = Build(b => b.SetIpv4Src(Ipv4Address(BenchmarkPackets.Ipv4Src)));
        setTpDst = Build(b => b.SetTpDst(TransportProtocol.Tcp, 8080));
        restoreTpDst = Build(b => b.SetTpDst(TransportProtocol.Tcp, BenchmarkPackets.TcpDstPort));
        setIpv6Src = Build(b => b.SetIpv6Src(IPAddress.Parse("2001:db8:ffff::99")));
        restoreIpv6Src = Build(b => b.SetIpv6Src(new IPAddress(BenchmarkPackets.Ipv6Src)));
        decTtl = Build(b => b.DecTtl());
        pushVlan = Build(b => b.PushVlan(EtherTypes.Vlan8021Q, BenchmarkPackets.InnerVid));
        popVlan = Build(b => b.PopVlan());
        pushMpls = Build(b => b.PushMpls(MplsUnicast));
        popMplsToIpv4 = Build(b => b.PopMpls(EtherTypes.Ipv4));
        popMplsToMpls = Build(b => b.PopMpls(MplsUnicast));
        output = Build(_ => { });

        // rules-s5.txt's megaflow as the slow path writes it: the tag pushed with its VID, the pending set-fields
        // committed before dec_ttl, then the output. Undone by a pop and the old values (the TTL by a set of its own).
        s5 = Build(b => b.PushVlan(EtherTypes.Vlan8021Q, 100).SetEthDst(S5Mac).SetIpv4Src(IPAddress.Parse("10.99.0.1")).DecTtl());
        undoS5 = Build(b => b.PopVlan().SetEthDst(udp4.AsSpan(0, 6)).SetIpv4Src(Ipv4Address(BenchmarkPackets.Ipv4Src)).SetIpv4Ttl(BenchmarkPackets.InitialTtl));
        ttlWord = udp4.AsSpan(nwSrcBatch[0].L3Offset + TtlWordOffset, TtlWordLength).ToArray();

        CheckRoundTrip(nwSrcBatch, setNwSrc, restoreNwSrc);
        CheckRoundTrip(tpDstBatch, setTpDst, restoreTpDst);
        CheckRoundTrip(ipv6SrcBatch, setIpv6Src, restoreIpv6Src);
        CheckRoundTrip(vlanBatch, pushVlan, popVlan);
        CheckRoundTrip(mplsBatch, pushMpls, popMplsToIpv4);
        Label(labelledBatch);
        CheckRoundTrip(labelledBatch, pushMpls, popMplsToMpls);
        CheckRoundTrip(outputBatch, output, output);
        CheckRoundTrip(s5Batch, s5, undoS5);
        CheckDecTtl();
    }

    /// <summary>Frees the pool's unmanaged region.</summary>
    [GlobalCleanup]
    public void Cleanup() => pool.Dispose();

    /// <summary>output:1 alone: the executor's fixed cost, what every other case adds to.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * BatchSize)]
    public long OutputOnly() => RunPair(outputBatch, output, output);

    /// <summary>mod_nw_src on UDP/IPv4: IPv4 header checksum and UDP checksum (pseudo-header) updated.</summary>
    [Benchmark(OperationsPerInvoke = 2 * BatchSize)]
    public long SetIpv4SrcUdp() => RunPair(nwSrcBatch, setNwSrc, restoreNwSrc);

    /// <summary>mod_tp_dst on TCP/IPv4: TCP checksum updated.</summary>
    [Benchmark(OperationsPerInvoke = 2 * BatchSize)]
    public long SetTcpDst() => RunPair(tpDstBatch, setTpDst, restoreTpDst);

    /// <summary>IPv6 source rewrite on TCP/IPv6: extension-header walk and TCP checksum updated.</summary>
    [Benchmark(OperationsPerInvoke = 2 * BatchSize)]
    public long SetIpv6SrcTcp() => RunPair(ipv6SrcBatch, setIpv6Src, restoreIpv6Src);

    /// <summary>push_vlan and pop_vlan alternating on UDP/IPv4: the mean of one push and one pop.</summary>
    [Benchmark(OperationsPerInvoke = 2 * BatchSize)]
    public long PushPopVlan() => RunPair(vlanBatch, pushVlan, popVlan);

    /// <summary>
    /// push_mpls (entry from the IP header) and pop_mpls back to IPv4 alternating on UDP/IPv4: the mean
    /// of one push and one pop, the pop including the re-parse that finds the IPv4 and UDP headers again.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 2 * BatchSize)]
    public long PushPopMpls() => RunPair(mplsBatch, pushMpls, popMplsToIpv4);

    /// <summary>push_mpls (a copy of the top entry) and pop_mpls back to MPLS on a labelled packet: no re-parse.</summary>
    [Benchmark(OperationsPerInvoke = 2 * BatchSize)]
    public long PushPopMplsOnLabelled() => RunPair(labelledBatch, pushMpls, popMplsToMpls);

    /// <summary>
    /// Scenario S5's program on UDP/IPv4 (push_vlan, set VID, set eth_dst, set nw_src, dec_ttl, output), alternating
    /// with the program that undoes it (pop_vlan, eth_dst, nw_src, TTL back): the mean of the two.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 2 * BatchSize)]
    public long S5Program() => RunPair(s5Batch, s5, undoS5);

    /// <summary>
    /// <see cref="S5Program"/> through <see cref="ActionExecutor.ExecuteBatch"/>, action by action over the batch, as
    /// the PMD runs a flow's packets.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 2 * BatchSize)]
    public long S5ProgramBatch() => RunPairBatch(s5Batch, s5, undoS5);

    /// <summary><see cref="PushPopVlan"/> through <see cref="ActionExecutor.ExecuteBatch"/>.</summary>
    [Benchmark(OperationsPerInvoke = 2 * BatchSize)]
    public long PushPopVlanBatch() => RunPairBatch(vlanBatch, pushVlan, popVlan);

    /// <summary><see cref="SetIpv4SrcUdp"/> through <see cref="ActionExecutor.ExecuteBatch"/>.</summary>
    [Benchmark(OperationsPerInvoke = 2 * BatchSize)]
    public long SetIpv4SrcUdpBatch() => RunPairBatch(nwSrcBatch, setNwSrc, restoreNwSrc);

    /// <summary><see cref="OutputOnly"/> through <see cref="ActionExecutor.ExecuteBatch"/>: the batch path's fixed cost.</summary>
    [Benchmark(OperationsPerInvoke = 2 * BatchSize)]
    public long OutputOnlyBatch() => RunPairBatch(outputBatch, output, output);

    /// <summary>dec_ttl on UDP/IPv4: IPv4 header checksum updated.</summary>
    [Benchmark(OperationsPerInvoke = DecTtlRounds * BatchSize)]
    public long DecTtl()
    {
        Packet[] batch = decTtlBatch;
        PacketPool p = pool;
        ReadOnlySpan<byte> program = decTtl;
        var sink = default(CountingSink);
        int status = 0;
        for (int round = 0; round < DecTtlRounds; round++)
        {
            for (int i = 0; i < batch.Length; i++)
            {
                status |= (int)ActionExecutor.Execute(p, ref batch[i], program, ref sink).Status;
            }
        }

        ReadOnlySpan<byte> restore = ttlWord;
        for (int i = 0; i < batch.Length; i++)
        {
            restore.CopyTo(p.GetData(batch[i]).Slice(batch[i].L3Offset + TtlWordOffset, TtlWordLength));
        }

        return sink.Outputs + status;
    }

    private static ReadOnlySpan<byte> S5Mac => [0x02, 0, 0, 0, 0, 0x99];

    private static byte[] Build(Action<ActionProgramBuilder> actions)
    {
        var builder = new ActionProgramBuilder();
        actions(builder);
        byte[] program = builder.Output(OutPort).ToArray();
        ProgramValidation validation = ActionProgram.Validate(program);
        if (!validation.IsValid)
        {
            throw new InvalidOperationException(validation.ToString());
        }

        return program;
    }

    private static IPAddress Ipv4Address(uint address)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes);
    }

    private static void Expect(ExecResult result, string what)
    {
        // A skipped action would mean the benchmark times the executor declining to act.
        if (result.Status != ExecStatus.Completed || result.Skipped != 0 || result.Outputs != 1 || !result.Consumed)
        {
            throw new InvalidOperationException($"{what}: {result}");
        }
    }

    private long RunPair(Packet[] batch, byte[] there, byte[] back)
    {
        PacketPool p = pool;
        ReadOnlySpan<byte> forward = there;
        ReadOnlySpan<byte> undo = back;
        var sink = default(CountingSink);
        int status = 0;

        // Whole batch one way, then whole batch back, as two consecutive bursts would be handled.
        for (int i = 0; i < batch.Length; i++)
        {
            status |= (int)ActionExecutor.Execute(p, ref batch[i], forward, ref sink).Status;
        }

        for (int i = 0; i < batch.Length; i++)
        {
            status |= (int)ActionExecutor.Execute(p, ref batch[i], undo, ref sink).Status;
        }

        return sink.Outputs + status;
    }

    private long RunPairBatch(Packet[] batch, byte[] there, byte[] back)
    {
        var sink = default(CountingSink);
        Span<ExecResult> results = batchResults;
        ActionExecutor.ExecuteBatch(pool, batch, there, ref sink, null, 0, results);
        int status = (int)results[0].Status;
        ActionExecutor.ExecuteBatch(pool, batch, back, ref sink, null, 0, results);
        return sink.Outputs + status + (int)results[0].Status;
    }

    private void CheckRoundTrip(Packet[] batch, byte[] there, byte[] back)
    {
        string name = ActionFormatter.Format(there);
        Packet before = batch[0];
        byte[] original = pool.GetData(before).ToArray();
        var sink = default(CountingSink);
        Expect(ActionExecutor.Execute(pool, ref batch[0], there, ref sink), name);
        byte[] changed = pool.GetData(batch[0]).ToArray();
        if (there != back && changed.AsSpan().SequenceEqual(original))
        {
            throw new InvalidOperationException($"{name} left the frame unchanged");
        }

        // Behind a pushed label the IP packet must be byte for byte what it was (the checker reads only IP).
        bool valid = BinaryPrimitives.ReadUInt16BigEndian(changed.AsSpan(12)) == MplsUnicast
            ? changed.AsSpan(changed.Length - original.Length + 14).SequenceEqual(original.AsSpan(14))
            : BenchmarkPackets.ChecksumsValid(changed);
        if (!valid)
        {
            throw new InvalidOperationException($"{name} left a bad checksum");
        }

        Expect(ActionExecutor.Execute(pool, ref batch[0], back, ref sink), ActionFormatter.Format(back));
        if (!pool.GetData(batch[0]).SequenceEqual(original) || !batch[0].Equals(before))
        {
            throw new InvalidOperationException($"{ActionFormatter.Format(back)} does not undo {name}");
        }
    }

    // Gives every packet of the batch one bottom-of-stack label (16, TTL 64) in front of its IPv4 header.
    private void Label(Packet[] batch)
    {
        byte[] push = Build(b => b.PushMpls(MplsUnicast, 16, 0, 64, bos: true));
        for (int i = 0; i < batch.Length; i++)
        {
            var sink = default(CountingSink);
            Expect(ActionExecutor.Execute(pool, ref batch[i], push, ref sink), "label");
        }
    }

    private void CheckDecTtl()
    {
        byte[] original = pool.GetData(decTtlBatch[0]).ToArray();
        for (int round = 0; round < DecTtlRounds; round++)
        {
            var sink = default(CountingSink);
            Expect(ActionExecutor.Execute(pool, ref decTtlBatch[0], decTtl, ref sink), "dec_ttl");
            if (!BenchmarkPackets.ChecksumsValid(pool.GetData(decTtlBatch[0])))
            {
                throw new InvalidOperationException($"dec_ttl left a bad checksum in round {round}");
            }
        }

        ttlWord.CopyTo(pool.GetData(decTtlBatch[0]).Slice(decTtlBatch[0].L3Offset + TtlWordOffset, TtlWordLength));
        if (!pool.GetData(decTtlBatch[0]).SequenceEqual(original))
        {
            throw new InvalidOperationException("restoring the TTL word does not undo dec_ttl");
        }
    }

    /// <summary>
    /// Counts outputs and keeps the frame: the benchmark owns the batch and reuses it as the next
    /// burst, so nothing goes back to the pool and no transmit cost is timed.
    /// </summary>
    private struct CountingSink : IActionSink
    {
        public long Outputs;

        public void Output(uint port, ref Packet packet, bool isLast) => Outputs += port;

        public void Userspace(ulong cookie, ref Packet packet)
        {
        }
    }
}

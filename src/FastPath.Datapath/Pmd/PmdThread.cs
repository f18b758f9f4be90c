using System.Runtime.CompilerServices;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Classifier;
using FastPath.Datapath.Emc;
using FastPath.Datapath.Meters;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Rings;
using FastPath.Native;
using FastPath.Packets;

namespace FastPath.Datapath.Pmd;

/// <summary>
/// A poll-mode thread: pinned to one core, it busy-polls its rx queues in batches of up to 32, looks each
/// packet up in its exact-match cache and megaflow classifier, runs the flow's actions, and sends output
/// in batches. It owns its caches, counters and output buffers; others reach it only through its
/// command ring, and misses leave through its upcall ring. Nothing on the packet path locks or allocates.
/// </summary>
public sealed class PmdThread : IDisposable
{
    private const int MaxPorts = 1024;

    // Open-addressing slots for grouping a batch by flow: twice the batch size keeps probes short.
    private const int GroupSlotCount = 64;

    // Commands applied per poll iteration: a burst of flow puts waits for the next iteration rather
    // than holding the rx queues unpolled.
    private const int MaxCommandsPerIteration = 64;

    // Old hash-table buckets a poll iteration moves into grown subtables (a few microseconds), so a
    // rehash that inserts started finishes even when no more inserts come.
    private const int RehashBucketsPerIteration = 32;

    private readonly PmdOptions options;
    private MegaflowClassifier classifier;
    private readonly ExactMatchCache emc;
    private readonly SpscRing<PmdCommand> commands;
    private readonly SpscRing<PmdCommand> replies;
    private readonly SpscRing<Upcall> upcalls;
    private readonly PacketPool execPool;
    private readonly UpcallSuppressor upcallSuppressor;
    private readonly MeterTable meters;
    private readonly HashSet<string> faultKinds = [];
    private readonly List<string> faults = [];

    // Per-batch scratch, allocated once.
    private readonly FlowKey[] keys = new FlowKey[PacketBatch.Capacity];
    private readonly uint[] hashes = new uint[PacketBatch.Capacity];
    private readonly int[] flowIds = new int[PacketBatch.Capacity];
    private readonly int[] groupOf = new int[PacketBatch.Capacity];
    private readonly int[] groupFlow = new int[PacketBatch.Capacity];
    private readonly int[] groupCount = new int[PacketBatch.Capacity];
    private readonly int[] groupStart = new int[PacketBatch.Capacity];
    private readonly int[] order = new int[PacketBatch.Capacity];
    private readonly int[] groupSlots = new int[GroupSlotCount];
    private readonly int[] slotGroup = new int[GroupSlotCount];
    private readonly FlowKey[] missKeys = new FlowKey[PacketBatch.Capacity];
    private readonly int[] missIds = new int[PacketBatch.Capacity];
    private readonly int[] missIndex = new int[PacketBatch.Capacity];
    private readonly Packet[] groupPackets = new Packet[PacketBatch.Capacity];
    private readonly ExecResult[] groupResults = new ExecResult[PacketBatch.Capacity];

    private readonly Lock submitLock = new();
    private RxqSlot[] rxqs = [];
    private TxPort?[] txPorts = new TxPort?[16];
    private TxPort[] activeTxPorts = [];
    private readonly uint[] dirtyPorts = new uint[MaxPorts];
    private int dirtyCount;
    private PmdStatsSnapshot stats;
    private Thread? thread;
    private volatile bool stopRequested;
    private ulong lastResortTsc;
    private ulong nowTsc;

    /// <summary>
    /// Creates a PMD for core <paramref name="coreId"/> (-1: not pinned); call <see cref="Start"/> to run it.
    /// Meter actions run through <paramref name="meters"/>, the table its datapath shares among its PMDs
    /// (a PMD of its own gets a table of its own), timed by the TSC of the batch being processed.
    /// </summary>
    public PmdThread(int coreId, PmdOptions? options = null, MeterTable? meters = null)
    {
        this.options = options ?? new PmdOptions();
        this.meters = meters ?? new MeterTable();
        CoreId = coreId;
        classifier = new MegaflowClassifier(this.options.MaxMegaflows, this.options.HugePages);
        emc = new ExactMatchCache(this.options.EmcEntries, this.options.EmcInsertInvProb, this.options.EmcWays);
        commands = new SpscRing<PmdCommand>(this.options.CommandRingSize);
        replies = new SpscRing<PmdCommand>(this.options.CommandRingSize);
        upcalls = new SpscRing<Upcall>(this.options.UpcallRingSize);
        execPool = new PacketPool(64);
        ulong window = (ulong)(this.options.UpcallSuppressWindow.TotalSeconds * Cpu.TscHz);
        upcallSuppressor = new UpcallSuppressor(this.options.UpcallSuppressSlots, window, this.options.UpcallSuppressBurst);
    }

    /// <summary>The core this PMD is pinned to, or -1.</summary>
    public int CoreId { get; }

    /// <summary>The meters its meter actions run through (its datapath's, shared by every PMD of that datapath).</summary>
    public MeterTable Meters => meters;

    /// <summary>Why pinning failed, if it did.</summary>
    public string? PinError { get; private set; }

    /// <summary>Whether the poll loop is running.</summary>
    public bool IsRunning => thread is { IsAlive: true };

    /// <summary>Misses and userspace actions, for the slow path to drain (it is the single consumer).</summary>
    public SpscRing<Upcall> Upcalls => upcalls;

    /// <summary>Answers to commands, in order (the slow path is the single consumer).</summary>
    public SpscRing<PmdCommand> Replies => replies;

    /// <summary>
    /// Queues a command; false when the command ring is full (try again later). Safe from any thread: the
    /// ring has one producer at a time.
    /// </summary>
    public bool TrySubmit(PmdCommand command)
    {
        lock (submitLock)
        {
            return commands.TryEnqueue(command);
        }
    }

    /// <summary>The first fault of each kind the PMD caught and survived (a bug to report), oldest first.</summary>
    public IReadOnlyList<string> Faults
    {
        get
        {
            lock (faults)
            {
                return [.. faults];
            }
        }
    }

    /// <summary>The rx queues polled now (read by the PMD's owner for placement; a snapshot array).</summary>
    public IReadOnlyList<(uint PortNo, IRxQueue Queue, long BusyCycles)> RxQueues =>
        Array.ConvertAll(Volatile.Read(ref rxqs), s => (s.PortNo, s.Queue, Volatile.Read(ref s.BusyCycles)));

    /// <summary>Starts the poll loop on its own thread.</summary>
    public void Start()
    {
        if (thread != null)
        {
            throw new InvalidOperationException("PMD already started");
        }

        thread = new Thread(Run) { IsBackground = true, Name = $"pmd-c{CoreId}" };
        thread.Start();
    }

    /// <summary>Stops the poll loop and waits for it.</summary>
    public void Stop()
    {
        stopRequested = true;
        thread?.Join();
    }

    /// <summary>
    /// Runs the loop on the calling thread until <paramref name="until"/> says stop (checked every iteration)
    /// or <see cref="Stop"/> is called. Benchmarks use this to measure one PMD without a thread switch.
    /// </summary>
    public void RunInline(Func<bool> until)
    {
        while (!stopRequested && !until())
        {
            PollGuarded();
        }
    }

    /// <summary>A snapshot of the counters, read without the command ring (values may be mid-update).</summary>
    public PmdStatsSnapshot PeekStats() => stats;

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        classifier.Dispose();
        emc.Dispose();
        execPool.Dispose();
    }

    private void Run()
    {
        if (CoreId >= 0)
        {
            try
            {
                Cpu.PinCurrentThread(CoreId);
            }
            catch (Exception e) when (e is InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
            {
                PinError = e.Message;
            }
        }

        while (!stopRequested)
        {
            PollGuarded();
        }

        FlushAll(null);
    }

    /// <summary>
    /// One iteration inside the PMD's exception boundary: a bug in a port, an action or the classifier costs
    /// the rest of this iteration (counted, reported once per kind), never the thread or the process. The
    /// boundary sits outside the loop body so the packet path itself carries no handler.
    /// </summary>
    private void PollGuarded()
    {
        try
        {
            PollOnce();
        }
        catch (Exception e)
        {
            PacketFault("poll", e);
        }
    }

    private void RecordFault(string where, Exception e)
    {
        string kind = $"{where}: {e.GetType().FullName} at {e.TargetSite?.DeclaringType?.Name}.{e.TargetSite?.Name}";
        lock (faults)
        {
            if (!faultKinds.Add(kind))
            {
                return;
            }

            faults.Add($"{kind}: {e.Message}");
        }

        string line = $"pmd-c{CoreId}: caught {kind}: {e.Message} (reported once; the PMD goes on)";
        if (options.FaultLog != null)
        {
            options.FaultLog(line);
        }
        else
        {
            Console.Error.WriteLine(line);
        }
    }

    /// <summary>One iteration: commands, every rx queue once, tx completions, cycle accounting.</summary>
    internal void PollOnce()
    {
        ulong start = Cpu.ReadTsc();
        nowTsc = start;
        ProcessCommands();

        int received = 0;
        RxqSlot[] queues = rxqs;
        for (int i = 0; i < queues.Length; i++)
        {
            received += PollRxq(queues[i]);
        }

        TxPort[] active = activeTxPorts;
        for (int i = 0; i < active.Length; i++)
        {
            TxPort tx = active[i];
            if (tx.Lock == null)
            {
                tx.Queue.Poll();
            }
            else if (tx.Lock.TryEnter())
            {
                // A shared queue's completions are reaped by whichever PMD gets there first; the others skip it.
                try
                {
                    tx.Queue.Poll();
                }
                finally
                {
                    tx.Lock.Exit();
                }
            }
        }

        if (classifier.RehashPending)
        {
            classifier.DrainRehash(RehashBucketsPerIteration);
        }

        ulong end = Cpu.ReadTsc();
        if (received > 0)
        {
            stats.BusyCycles += (long)(end - start);
        }
        else
        {
            stats.IdleCycles += (long)(end - start);
        }

        if ((long)(end - start) > stats.MaxIterationCycles)
        {
            stats.MaxIterationCycles = (long)(end - start);
        }

        stats.Iterations++;
        if (end - lastResortTsc > options.ResortIntervalCycles)
        {
            lastResortTsc = end;
            classifier.Resort();
        }
    }

    /// <summary>
    /// Receives and processes one batch of <paramref name="slot"/>'s queue, inside an exception boundary: a bug
    /// in the port or the packet path costs this batch (counted, reported once per kind), and the other
    /// queues are still polled. The batch's frames are not freed after a fault (their state is unknown): a
    /// leak is bounded by the faults counted, a double free would not be.
    /// </summary>
    private int PollRxq(RxqSlot slot)
    {
        var batch = default(PacketBatch);
        try
        {
            if (slot.Queue.Receive(ref batch) == 0)
            {
                return 0;
            }

            ulong before = Cpu.ReadTsc();
            ProcessBatch(ref batch, slot.Queue.Pool, slot.PortNo);
            slot.BusyCycles += (long)(Cpu.ReadTsc() - before);
        }
        catch (Exception e)
        {
            PacketFault($"rx port {slot.PortNo}", e);
        }

        return batch.Count;
    }

    /// <summary>
    /// A fault in the middle of a batch: counted and reported, and every port with buffered output is made
    /// dirty again so that it still gets flushed.
    /// </summary>
    private void PacketFault(string where, Exception e)
    {
        stats.PacketFaults++;
        RecoverTxState();
        RecordFault(where, e);
    }

    /// <summary>After a fault mid-batch: every port with buffered output is made dirty again, so it gets flushed.</summary>
    private void RecoverTxState()
    {
        dirtyCount = 0;
        for (uint port = 0; port < txPorts.Length; port++)
        {
            if (txPorts[port] is { Pending.Count: > 0 })
            {
                dirtyPorts[dirtyCount++] = port;
            }
        }
    }

    /// <summary>Classifies and forwards one received batch whose frames belong to <paramref name="pool"/>.</summary>
    internal void ProcessBatch(ref PacketBatch batch, PacketPool pool, uint inPort)
    {
        int n = batch.Count;
        stats.Packets += n;

        // A port whose megaflow matches on the port alone and outputs to one port: every packet of the batch
        // goes there, with no parse, hash or lookup (Open vSwitch's simple match does the same).
        int portOnly = classifier.PortOnlyFlow(inPort);
        if (portOnly >= 0 && ActionProgram.TryGetSingleOutput(classifier.GetActions(portOnly), out uint portOnlyOut))
        {
            ForwardPortOnly(ref batch, pool, inPort, portOnly, portOnlyOut);
            return;
        }
        int misses = 0;
        bool useEmc = emc.Enabled;

        // Separate passes: parse every packet; then hash every key and prefetch its EMC entry; then look
        // them up. Hashing right after parsing would load each key with wide loads while the parser's
        // narrow stores to it are still in flight (a store-forwarding stall), and the prefetches of one
        // pass overlap the memory latency of the next.
        for (int i = 0; i < n; i++)
        {
            ref Packet p = ref batch[i];
            p.InPort = inPort;
            FlowExtractor.Extract(pool.GetData(p), ref p, out keys[i]);
        }

        if (useEmc)
        {
            for (int i = 0; i < n; i++)
            {
                uint h = ExactMatchCache.Hash(keys[i]);
                hashes[i] = h;
                emc.Prefetch(h);
            }
        }

        for (int i = 0; i < n; i++)
        {
            int id = useEmc ? emc.Lookup(keys[i], hashes[i], classifier) : -1;
            if (id >= 0)
            {
                stats.EmcHits++;
            }
            else
            {
                missKeys[misses] = keys[i];
                missIndex[misses++] = i;
            }

            flowIds[i] = id;
        }

        if (misses > 0)
        {
            int searched = classifier.LookupBatch(missKeys.AsSpan(0, misses), missIds.AsSpan(0, misses));
            int hits = 0;
            for (int m = 0; m < misses; m++)
            {
                int i = missIndex[m];
                int id = missIds[m];
                flowIds[i] = id;
                if (id >= 0)
                {
                    hits++;
                    if (useEmc)
                    {
                        emc.MaybeInsert(keys[i], hashes[i], id, classifier.GetGeneration(id));
                    }
                }
                else
                {
                    stats.Misses++;
                    uint h = useEmc ? hashes[i] : ExactMatchCache.Hash(keys[i]);
                    if (upcallSuppressor.Suppress(keys[i], h, nowTsc))
                    {
                        stats.UpcallsSuppressed++;
                    }
                    else
                    {
                        QueueUpcall(pool, ref batch[i], keys[i], UpcallReason.Miss, 0);
                    }

                    pool.Free(batch[i]);
                }
            }

            stats.MegaflowHits += hits;
            stats.SubtableLookups += searched;
        }

        // The whole batch one flow (one flow per port, a burst of one connection): no grouping to do.
        int firstId = flowIds[0];
        bool oneFlow = firstId >= 0;
        for (int i = 1; i < n && oneFlow; i++)
        {
            oneFlow = flowIds[i] == firstId;
        }

        if (oneFlow)
        {
            RunOneFlow(ref batch, pool, firstId);
            FlushAll(pool);
            return;
        }

        // Group by megaflow, in order of first appearance, and run each flow's actions once per group.
        // A run of packets of one flow reuses the previous packet's group; otherwise a 64-slot table
        // finds the group, so a batch of 32 different flows costs O(n), not O(n * groups).
        int groups = 0;
        Span<int> slotFlow = groupSlots;
        slotFlow.Fill(-1);
        for (int i = 0; i < n; i++)
        {
            int id = flowIds[i];
            if (id < 0)
            {
                groupOf[i] = -1;
                continue;
            }

            int g;
            if (i > 0 && flowIds[i - 1] == id)
            {
                g = groupOf[i - 1];
            }
            else
            {
                int h = (int)(((uint)id * 0x9E3779B1u) >> 26);
                while (slotFlow[h] != -1 && slotFlow[h] != id)
                {
                    h = (h + 1) & (GroupSlotCount - 1);
                }

                if (slotFlow[h] == -1)
                {
                    slotFlow[h] = id;
                    slotGroup[h] = groups;
                    groupCount[groups] = 0;
                    groupFlow[groups++] = id;
                }

                g = slotGroup[h];
            }

            groupOf[i] = g;
            groupCount[g]++;
        }

        // Counting sort: the packets of group g sit at order[groupStart[g] .. groupStart[g] + groupCount[g]).
        for (int g = 0, start = 0; g < groups; g++)
        {
            groupStart[g] = start;
            start += groupCount[g];
        }

        for (int i = 0; i < n; i++)
        {
            int g = groupOf[i];
            if (g >= 0)
            {
                order[groupStart[g]++] = i;
            }
        }

        var sink = new PmdSink(this, pool);
        for (int g = 0; g < groups; g++)
        {
            int id = groupFlow[g];
            ReadOnlySpan<byte> actions = classifier.GetActions(id);

            // The commonest megaflow is a bare output: hand the group's packets to the port without
            // interpreting the program once per packet.
            bool bareOutput = ActionProgram.TryGetSingleOutput(actions, out uint outPort);
            long bytes = 0;
            int count = 0;
            ushort tcpFlags = 0;
            int end = groupStart[g];
            for (int k = end - groupCount[g]; k < end; k++)
            {
                int i = order[k];
                ref Packet p = ref batch[i];
                bytes += p.Length;
                tcpFlags |= keys[i].TcpFlags;
                if (bareOutput)
                {
                    Output(pool, outPort, ref p, isLast: true);
                    continue;
                }

                groupPackets[count++] = p;
            }

            if (!bareOutput)
            {
                // Action by action over the group's packets: each action is decoded once per group, not once per packet.
                Span<Packet> packets = groupPackets.AsSpan(0, count);
                Span<ExecResult> results = groupResults.AsSpan(0, count);
                ActionExecutor.ExecuteBatch(pool, packets, actions, ref sink, meters, nowTsc, results);
                for (int k = 0; k < count; k++)
                {
                    ExecResult r = results[k];
                    if (!r.Consumed)
                    {
                        if (r.Outputs == 0)
                        {
                            stats.ActionDrops++;
                        }

                        pool.Free(packets[k]);
                    }
                }
            }
            else
            {
                count = groupCount[g];
            }

            ref MegaflowStats fs = ref classifier.GetStats(id);
            fs.Packets += count;
            fs.Bytes += bytes;
            fs.TcpFlags |= tcpFlags;
            fs.Used = nowTsc;
        }

        FlushAll(pool);
    }

    /// <summary>Runs megaflow <paramref name="id"/>'s actions on every packet of <paramref name="batch"/>, all of which matched it.</summary>
    private void RunOneFlow(ref PacketBatch batch, PacketPool pool, int id)
    {
        int n = batch.Count;
        long bytes = 0;
        ushort tcpFlags = 0;
        for (int i = 0; i < n; i++)
        {
            bytes += batch[i].Length;
            tcpFlags |= keys[i].TcpFlags;
        }

        ReadOnlySpan<byte> actions = classifier.GetActions(id);
        if (ActionProgram.TryGetSingleOutput(actions, out uint outPort))
        {
            for (int i = 0; i < n; i++)
            {
                Output(pool, outPort, ref batch[i], isLast: true);
            }
        }
        else
        {
            var sink = new PmdSink(this, pool);
            Span<Packet> packets = batch.Packets;
            Span<ExecResult> results = groupResults.AsSpan(0, n);
            ActionExecutor.ExecuteBatch(pool, packets, actions, ref sink, meters, nowTsc, results);
            for (int k = 0; k < n; k++)
            {
                ExecResult r = results[k];
                if (!r.Consumed)
                {
                    if (r.Outputs == 0)
                    {
                        stats.ActionDrops++;
                    }

                    pool.Free(packets[k]);
                }
            }
        }

        ref MegaflowStats fs = ref classifier.GetStats(id);
        fs.Packets += n;
        fs.Bytes += bytes;
        fs.TcpFlags |= tcpFlags;
        fs.Used = nowTsc;
    }

    /// <summary>Sends every packet of <paramref name="batch"/> to <paramref name="outPort"/> by port-only megaflow <paramref name="flowId"/>.</summary>
    private void ForwardPortOnly(ref PacketBatch batch, PacketPool pool, uint inPort, int flowId, uint outPort)
    {
        int n = batch.Count;
        long bytes = 0;
        ushort tcpFlags = 0;
        for (int i = 0; i < n; i++)
        {
            ref Packet p = ref batch[i];
            p.InPort = inPort;
            bytes += p.Length;

            // The megaflow's statistics still say which TCP flags it saw, as with a parsed key.
            tcpFlags |= FlowExtractor.TcpFlags(pool.GetData(p));
            Output(pool, outPort, ref p, isLast: true);
        }

        stats.SimpleMatchHits += n;
        ref MegaflowStats fs = ref classifier.GetStats(flowId);
        fs.Packets += n;
        fs.Bytes += bytes;
        fs.TcpFlags |= tcpFlags;
        fs.Used = nowTsc;
        FlushAll(pool);
    }

    /// <summary>Called by the sink for each output action.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Output(PacketPool pool, uint port, ref Packet packet, bool isLast)
    {
        TxPort? tx = port < (uint)txPorts.Length ? txPorts[port] : null;
        if (tx == null)
        {
            stats.TxUnknownPort++;
            if (isLast)
            {
                pool.Free(packet);
            }

            return;
        }

        Packet toSend = packet;
        if (!isLast)
        {
            if (!pool.TryAlloc(out toSend))
            {
                stats.CloneFailures++;
                return;
            }

            Span<byte> src = pool.GetData(packet);
            toSend.Length = packet.Length;
            toSend.L3Offset = packet.L3Offset;
            toSend.L4Offset = packet.L4Offset;
            toSend.VlanOffset = packet.VlanOffset;
            toSend.InPort = packet.InPort;
            src.CopyTo(pool.GetData(toSend));
        }

        if (tx.Pending.Count == 0)
        {
            dirtyPorts[dirtyCount++] = port;
        }
        else if (tx.Pending.IsFull)
        {
            CountOutputBatch(tx);
            Send(tx, pool);
        }

        tx.Pending.TryAdd(toSend);
    }

    /// <summary>Copies a packet into the upcall ring, or counts it lost when the ring is full.</summary>
    internal void QueueUpcall(PacketPool pool, ref Packet packet, in FlowKey key, UpcallReason reason, ulong cookie)
    {
        ref Upcall u = ref upcalls.TryReserve(out bool ok);
        if (!ok)
        {
            stats.LostUpcalls++;
            return;
        }

        ReadOnlySpan<byte> data = pool.GetData(packet);
        int len = Math.Min(data.Length, Upcall.MaxLength);
        u.Key = key;
        u.InPort = packet.InPort;
        u.Reason = reason;
        u.Cookie = cookie;
        u.Length = len;
        u.Truncated = len < data.Length;
        data[..len].CopyTo(u.Data);
        upcalls.Publish();
        if (reason == UpcallReason.Miss)
        {
            stats.Upcalls++;
        }
        else
        {
            stats.ActionUpcalls++;
        }
    }

    internal void Userspace(PacketPool pool, ulong cookie, ref Packet packet)
    {
        FlowExtractor.Extract(pool.GetData(packet), ref packet, out FlowKey key);
        QueueUpcall(pool, ref packet, key, UpcallReason.Action, cookie);
    }

    private void FlushAll(PacketPool? pool)
    {
        for (int i = 0; i < dirtyCount; i++)
        {
            TxPort? tx = txPorts[dirtyPorts[i]];
            if (tx != null && tx.Pending.Count > 0)
            {
                try
                {
                    CountOutputBatch(tx);
                    Send(tx, pool ?? execPool);
                }
                catch (Exception e)
                {
                    // A faulty port loses this batch (its frames' state is unknown, so they are not freed);
                    // the other ports are still flushed.
                    tx.Pending.Clear();
                    stats.PacketFaults++;
                    RecordFault($"tx port {dirtyPorts[i]}", e);
                }
            }
        }

        dirtyCount = 0;
    }

    /// <summary>Counts a batch about to be sent: two additions per batch, nothing per packet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountOutputBatch(TxPort tx)
    {
        stats.OutputBatches++;
        stats.OutputPackets += tx.Pending.Count;
    }

    /// <summary>
    /// Sends a port's pending batch. A queue this PMD owns is used without a lock; a queue shared with other
    /// PMDs (the port has fewer tx queues than there are PMDs, as OVS's XPS) is locked once per batch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Send(TxPort tx, PacketPool pool)
    {
        if (tx.Lock == null)
        {
            tx.Queue.Send(pool, ref tx.Pending);
            return;
        }

        tx.Lock.Enter();
        try
        {
            tx.Queue.Send(pool, ref tx.Pending);
        }
        finally
        {
            tx.Lock.Exit();
        }
    }

    private void ProcessCommands()
    {
        for (int n = 0; n < MaxCommandsPerIteration; n++)
        {
            ref PmdCommand slot = ref commands.TryPeek(out bool available);
            if (!available)
            {
                return;
            }

            PmdCommand cmd = slot;
            commands.Release();
            stats.Commands++;
            try
            {
                Apply(cmd);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // A refusal: the command asked for something this PMD cannot do.
                cmd.Ok = false;
                cmd.Error = e.Message;
            }
            catch (Exception e)
            {
                // A bug: answer with an error, report it once, and go on forwarding.
                stats.CommandFaults++;
                cmd.Ok = false;
                cmd.Error = $"PMD fault in {cmd.Kind}: {e.GetType().Name}: {e.Message}";
                RecordFault($"command {cmd.Kind}", e);
            }

            cmd.Complete();

            // Synchronous callers wait on the command itself; others drain replies, and if they do not,
            // the answer is lost but the PMD goes on.
            if (!cmd.IsSynchronous)
            {
                replies.TryEnqueue(cmd);
            }
        }
    }

    private void Apply(PmdCommand cmd)
    {
        cmd.Ok = true;
        switch (cmd.Kind)
        {
            case PmdCommandKind.FlowPut:
                // A program that would fault in the executor never reaches the classifier.
                ProgramValidation valid = ActionProgram.Validate(cmd.Actions);
                if (!valid.IsValid)
                {
                    throw new ArgumentException($"invalid action program: {valid}");
                }

                cmd.FlowId = classifier.Insert(cmd.Match, cmd.Actions);
                if (cmd.FlowId < 0)
                {
                    cmd.Ok = false;
                    cmd.Error = $"megaflow table full ({options.MaxMegaflows} flows)";
                }

                break;
            case PmdCommandKind.FlowDel:
                cmd.Ok = classifier.Remove(cmd.Match);
                if (!cmd.Ok)
                {
                    cmd.Error = "no such megaflow";
                }

                break;
            case PmdCommandKind.Flush:
                FlushMegaflows();
                break;
            case PmdCommandKind.Execute:
                ExecuteCommand(cmd);
                break;
            case PmdCommandKind.PortAdd:
                if (cmd.PortNo >= MaxPorts)
                {
                    throw new ArgumentException($"port number {cmd.PortNo} is above the PMD's limit {MaxPorts - 1}");
                }

                if (cmd.PortNo >= txPorts.Length)
                {
                    Array.Resize(ref txPorts, (int)Math.Min(MaxPorts, Math.Max(cmd.PortNo + 1, txPorts.Length * 2)));
                }

                txPorts[cmd.PortNo] = new TxPort(cmd.TxQueue ?? throw new ArgumentException("PortAdd without a tx queue"), cmd.TxLock);
                activeTxPorts = Array.FindAll(txPorts, t => t != null)!;
                break;
            case PmdCommandKind.PortDel:
                if (cmd.PortNo < txPorts.Length)
                {
                    txPorts[cmd.PortNo] = null;
                    activeTxPorts = Array.FindAll(txPorts, t => t != null)!;
                }

                RemoveRxqsOf(cmd.PortNo);
                break;
            case PmdCommandKind.RxqAdd:
                rxqs = [.. rxqs, new RxqSlot(cmd.PortNo, cmd.RxQueue ?? throw new ArgumentException("RxqAdd without an rx queue"))];
                break;
            case PmdCommandKind.RxqDel:
                cmd.Ok = RemoveRxq(cmd.RxQueue);
                break;
            case PmdCommandKind.StatsRequest:
                PmdStatsSnapshot snapshot = stats;
                snapshot.Megaflows = classifier.Count;
                cmd.Stats = snapshot;
                break;
            case PmdCommandKind.StatsClear:
                stats = default;
                break;
            case PmdCommandKind.FlowDump:
                DumpChunk(cmd);
                break;
            case PmdCommandKind.SetEmcInsertInvProb:
                emc.InsertInverseProbability = cmd.EmcInsertInvProb;
                break;
            default:
                // A command this PMD does not know: something upstream is broken, so it counts as a fault.
                throw new NotSupportedException($"unknown PMD command kind {(int)cmd.Kind}");
        }
    }

    /// <summary>
    /// Drops every megaflow in constant time: the PMD goes on with an empty classifier while a pool thread
    /// frees the old one, whose records (a million of them take milliseconds to walk) nothing reaches any more.
    /// The exact-match cache is cleared with it, so no cached id outlives its classifier.
    /// </summary>
    private void FlushMegaflows()
    {
        MegaflowClassifier old = classifier;
        classifier = new MegaflowClassifier(options.MaxMegaflows, options.HugePages);
        emc.Clear();
        upcallSuppressor.Clear();
        ThreadPool.UnsafeQueueUserWorkItem(static c => c.Dispose(), old, preferLocal: false);
    }

    // Lambdas that capture live in methods of their own: a capture of Apply's parameter would allocate a
    // closure on every command, a FlowPut's included.
    private void RemoveRxqsOf(uint portNo) => rxqs = Array.FindAll(rxqs, s => s.PortNo != portNo);

    private bool RemoveRxq(IRxQueue? queue)
    {
        int before = rxqs.Length;
        rxqs = Array.FindAll(rxqs, s => !ReferenceEquals(s.Queue, queue));
        return rxqs.Length < before;
    }

    /// <summary>One bounded chunk of a flow dump: at most <see cref="PmdCommand.MaxFlows"/> flows from the command's cursor.</summary>
    private void DumpChunk(PmdCommand cmd)
    {
        FlowDumpBuffer buffer = cmd.Flows!;
        buffer.Clear();
        Span<int> ids = stackalloc int[buffer.Capacity];
        int next = classifier.LiveIds(cmd.Cursor, ids, out int n);
        for (int i = 0; i < n; i++)
        {
            int id = ids[i];
            if (!buffer.TryAdd(classifier.GetMatch(id), classifier.GetActions(id), classifier.GetStats(id)))
            {
                // Out of action room: the next chunk starts at this flow.
                next = id;
                break;
            }
        }

        cmd.NextCursor = next;
    }

    private void ExecuteCommand(PmdCommand cmd)
    {
        if (!execPool.TryCopyIn(cmd.Packet.AsSpan(0, cmd.PacketLength), cmd.PortNo, out Packet p))
        {
            throw new InvalidOperationException("packet too large or no frame free for execute");
        }

        ProgramValidation v = ActionProgram.Validate(cmd.Actions);
        if (!v.IsValid)
        {
            execPool.Free(p);
            throw new ArgumentException(v.ToString());
        }

        FlowExtractor.Extract(execPool.GetData(p), ref p, out _);
        var sink = new PmdSink(this, execPool);
        ExecResult r = ActionExecutor.Execute(execPool, ref p, cmd.Actions, ref sink, meters, Cpu.ReadTsc());
        if (!r.Consumed)
        {
            execPool.Free(p);
        }

        FlushAll(execPool);
    }

    private sealed class RxqSlot(uint portNo, IRxQueue queue)
    {
        public readonly uint PortNo = portNo;
        public readonly IRxQueue Queue = queue;
        public long BusyCycles;
    }

    private sealed class TxPort(ITxQueue queue, Lock? txLock)
    {
        public readonly ITxQueue Queue = queue;

        // Null when this PMD owns the queue; the queue's lock when PMDs share it.
        public readonly Lock? Lock = txLock;
        public PacketBatch Pending;
    }
}

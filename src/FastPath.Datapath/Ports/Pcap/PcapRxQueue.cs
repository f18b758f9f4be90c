using FastPath.Native;
using FastPath.Packets;
using SharpPcap.LibPcap;

namespace FastPath.Datapath.Ports.Pcap;

/// <summary>
/// The receive side of a pcap port: reads what libpcap has captured on a non-blocking handle and
/// copies each packet into a frame of <see cref="Pool"/>.
/// </summary>
/// <remarks>
/// Uses <see cref="PcapDevice.GetNextPacketPointers"/> (pcap_next_ex) rather than
/// <c>GetNextPacket(out PacketCapture)</c>: the latter allocates a <c>PcapHeader</c> object and
/// polls the descriptor once per packet, while the pointers cost neither. The packet bytes live in
/// libpcap's ring only until the next call, hence the copy, the one per packet a pcap port cannot avoid.
/// </remarks>
public sealed unsafe class PcapRxQueue : IRxQueue
{
    private readonly LibPcapLiveDevice device;
    private readonly int capLenOffset = LibPcapNative.CapLenOffset;
    private readonly int wireLenOffset = LibPcapNative.WireLenOffset;
    private bool failing;
    private IdlePollBackoff backoff;

    internal PcapRxQueue(LibPcapLiveDevice device, PacketPool pool, ulong idleIntervalCycles)
    {
        this.device = device;
        Pool = pool;
        backoff = new IdlePollBackoff(idleIntervalCycles);
    }

    /// <inheritdoc />
    public PacketPool Pool { get; }

    /// <inheritdoc />
    public QueueCounters Counters { get; } = new();

    /// <summary>Packets that arrived larger than a frame holds (or cut by the snap length), counted in <see cref="QueueCounters.Errors"/> too.</summary>
    public long Oversized { get; private set; }

    /// <summary>libpcap's message for the most recent read error, or null if reads never failed.</summary>
    public string? LastError { get; private set; }

    /// <inheritdoc />
    public int Receive(ref PacketBatch batch)
    {
        // An empty non-blocking read still costs libpcap a poll() system call: while idle, space them out.
        ulong now = Cpu.ReadTsc();
        if (!backoff.ShouldPoll(now))
        {
            return 0;
        }

        int room = PacketBatch.Capacity - batch.Count;
        int added = 0;

        // At most one read per free slot, so a stream of unusable packets cannot hold the PMD here.
        for (int i = 0; i < room; i++)
        {
            nint header = 0;
            nint data = 0;
            int rc = device.GetNextPacketPointers(ref header, ref data);
            if (rc != 1)
            {
                // 0: nothing captured (non-blocking handle); -2: pcap_breakloop; -1: a real error.
                if (rc == -1)
                {
                    ReadFailed();
                }
                else if (rc == 0 && i == 0)
                {
                    backoff.Empty(now);
                }

                break;
            }

            failing = false;
            int capLen = (int)*(uint*)(header + capLenOffset);
            uint wireLen = *(uint*)(header + wireLenOffset);
            if (capLen != wireLen || capLen > Pool.MaxPacketLength)
            {
                Oversized++;
                Counters.Errors++;
                continue;
            }

            if (!Pool.TryCopyIn(new ReadOnlySpan<byte>((void*)data, capLen), 0, out Packet p))
            {
                // Every frame is queued somewhere in the datapath: drop, as a NIC with an empty ring would.
                Counters.Dropped++;
                continue;
            }

            batch.TryAdd(p);
            Counters.Count(capLen);
            added++;
        }

        return added;
    }

    private void ReadFailed()
    {
        Counters.Errors++;
        if (!failing)
        {
            // Read the message once per run of failures: a device that stays down fails on every poll.
            failing = true;
            LastError = device.LastError;
        }
    }
}

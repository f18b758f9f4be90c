using System.Runtime.CompilerServices;
using FastPath.Datapath.CaptureFiles;
using FastPath.Packets;

namespace FastPath.Datapath.Ports.Replay;

/// <summary>The receive side of a replay port: copies the next packets of the capture into fresh frames.</summary>
public sealed class ReplayRxQueue : IRxQueue
{
    private readonly PcapFile capture;
    private readonly long loops;
    private long loop;
    private int next;

    /// <summary>Replays <paramref name="capture"/> <paramref name="loops"/> times (0 = forever) into frames of <paramref name="pool"/>.</summary>
    public ReplayRxQueue(PcapFile capture, long loops, PacketPool pool)
    {
        this.capture = capture;
        this.loops = loops;
        Pool = pool;
    }

    /// <inheritdoc />
    public PacketPool Pool { get; }

    /// <inheritdoc />
    public QueueCounters Counters { get; } = new();

    /// <summary>Whether every loop has been delivered.</summary>
    public bool Finished => loops != 0 && loop >= loops;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Receive(ref PacketBatch batch)
    {
        int added = 0;
        while (batch.Count < PacketBatch.Capacity && !Finished)
        {
            ReadOnlySpan<byte> bytes = capture[next];
            bool copied = Pool.TryCopyIn(bytes, 0, out Packet p);
            if (++next == capture.Count)
            {
                next = 0;
                loop++;
            }

            if (!copied)
            {
                // Out of frames (or a packet larger than a frame): a NIC drops the packet and moves on.
                Counters.Dropped++;
                if (bytes.Length <= Pool.MaxPacketLength)
                {
                    break;
                }

                continue;
            }

            batch.TryAdd(p);
            Counters.Count(bytes.Length);
            added++;
        }

        return added;
    }
}

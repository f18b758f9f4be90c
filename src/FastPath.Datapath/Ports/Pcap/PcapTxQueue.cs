using FastPath.Packets;
using SharpPcap;
using SharpPcap.LibPcap;

namespace FastPath.Datapath.Ports.Pcap;

/// <summary>The transmit side of a pcap port: injects each packet with pcap_sendpacket and frees its frame at once.</summary>
/// <remarks>
/// <see cref="LibPcapLiveDevice.SendPacket(ReadOnlySpan{byte}, ICaptureHeader)"/> pins the span and
/// calls pcap_sendpacket, allocating nothing; only a failed send allocates (SharpPcap throws).
/// libpcap copies the packet into the kernel before returning, so the frame is free right after.
/// </remarks>
public sealed class PcapTxQueue : ITxQueue
{
    private readonly LibPcapLiveDevice device;

    internal PcapTxQueue(LibPcapLiveDevice device) => this.device = device;

    /// <inheritdoc />
    public QueueCounters Counters { get; } = new();

    /// <summary>libpcap's message for the most recent failed send, or null if none failed.</summary>
    public string? LastError { get; private set; }

    /// <inheritdoc />
    public void Send(PacketPool from, ref PacketBatch batch)
    {
        foreach (ref Packet p in batch.Packets)
        {
            try
            {
                device.SendPacket(from.GetData(p));
                Counters.Count(p.Length);
            }
            catch (PcapException e)
            {
                // A full socket buffer (EAGAIN on the non-blocking descriptor) or a device that went away.
                Counters.Errors++;
                LastError = e.Message;
            }

            from.Free(p);
        }

        batch.Clear();
    }

    /// <inheritdoc />
    public void Poll()
    {
        // Sends complete inside pcap_sendpacket: nothing to reclaim or kick.
    }
}

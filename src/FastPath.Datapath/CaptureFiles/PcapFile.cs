using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

namespace FastPath.Datapath.CaptureFiles;

/// <summary>
/// A pcap file loaded whole into one contiguous buffer (read with libpcap through SharpPcap), so
/// replaying it touches no file and allocates nothing per packet.
/// </summary>
public sealed class PcapFile
{
    private readonly byte[] data;
    private readonly int[] offsets;
    private readonly int[] lengths;

    private PcapFile(byte[] data, int[] offsets, int[] lengths)
    {
        this.data = data;
        this.offsets = offsets;
        this.lengths = lengths;
    }

    /// <summary>Number of packets.</summary>
    public int Count => offsets.Length;

    /// <summary>Total bytes of all packets.</summary>
    public long TotalBytes => data.LongLength;

    /// <summary>The bytes of packet <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> this[int index] => data.AsSpan(offsets[index], lengths[index]);

    /// <summary>Reads every packet of an Ethernet pcap file.</summary>
    /// <exception cref="InvalidDataException">The file is not a readable Ethernet capture.</exception>
    public static PcapFile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"pcap file '{path}' does not exist", path);
        }

        using var device = new CaptureFileReaderDevice(path);
        try
        {
            device.Open();
        }
        catch (PcapException e)
        {
            throw new InvalidDataException($"'{path}' is not a pcap file libpcap can read: {e.Message}", e);
        }

        if (device.LinkType != LinkLayers.Ethernet)
        {
            throw new InvalidDataException($"'{path}' has link type {device.LinkType}; only Ethernet captures can be replayed");
        }

        var packets = new List<byte[]>();
        while (device.GetNextPacket(out PacketCapture capture) == GetPacketStatus.PacketRead)
        {
            packets.Add(capture.Data.ToArray());
        }

        return FromPackets(packets);
    }

    /// <summary>Builds an in-memory capture from packets (tests, generated workloads).</summary>
    public static PcapFile FromPackets(IReadOnlyList<byte[]> packets)
    {
        var offsets = new int[packets.Count];
        var lengths = new int[packets.Count];
        long total = 0;
        for (int i = 0; i < packets.Count; i++)
        {
            offsets[i] = (int)total;
            lengths[i] = packets[i].Length;
            total += packets[i].Length;
        }

        var data = new byte[total];
        for (int i = 0; i < packets.Count; i++)
        {
            packets[i].CopyTo(data, offsets[i]);
        }

        return new PcapFile(data, offsets, lengths);
    }

    /// <summary>Writes packets to an Ethernet pcap file.</summary>
    public static void Write(string path, IEnumerable<byte[]> packets)
    {
        using var writer = new CaptureFileWriterDevice(path, FileMode.Create);
        writer.Open(new DeviceConfiguration { LinkLayerType = LinkLayers.Ethernet });
        var when = new PosixTimeval(1_700_000_000, 0);
        foreach (byte[] p in packets)
        {
            writer.Write(new RawCapture(LinkLayers.Ethernet, when, p));
        }
    }
}

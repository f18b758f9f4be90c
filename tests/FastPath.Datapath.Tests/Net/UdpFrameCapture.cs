using System.Collections.Concurrent;
using System.Diagnostics;
using FastPath.Datapath.Tests.Afxdp;

namespace FastPath.Datapath.Tests.Net;

/// <summary>
/// Collects, on a background thread, the <see cref="ChecksummedUdpFrames"/> to one UDP port that
/// arrive on a raw socket (frames this host sent itself are skipped), until the expected number came or
/// the time limit passed. Everything else on the wire (stray traffic) is counted and ignored.
/// </summary>
internal sealed class UdpFrameCapture : IDisposable
{
    private readonly RawEthernetSocket socket;
    private readonly ushort dstPort;
    private readonly int expected;
    private readonly TimeSpan limit;
    private readonly ConcurrentDictionary<int, byte[]> frames = new();
    private readonly Thread thread;
    private volatile bool stop;
    private Exception? error;

    /// <summary>Starts capturing on <paramref name="socket"/> (opened in the receiving namespace).</summary>
    public UdpFrameCapture(RawEthernetSocket socket, ushort dstPort, int expected, TimeSpan limit)
    {
        this.socket = socket;
        this.dstPort = dstPort;
        this.expected = expected;
        this.limit = limit;
        thread = new Thread(Run) { IsBackground = true, Name = $"capture-{dstPort}" };
        thread.Start();
    }

    /// <summary>Frames of other ports or protocols seen meanwhile.</summary>
    public int Others { get; private set; }

    /// <summary>Frames with a number already seen (duplicates).</summary>
    public int Duplicates { get; private set; }

    /// <summary>Waits for the capture to end (all frames, or the time limit); returns the frames by number.</summary>
    public Dictionary<int, byte[]> Wait()
    {
        if (!thread.Join(limit + TimeSpan.FromSeconds(5)))
        {
            throw new TimeoutException("capture thread did not finish");
        }

        if (error != null)
        {
            throw new InvalidOperationException($"capture failed: {error.Message}", error);
        }

        return new Dictionary<int, byte[]>(frames);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        stop = true;
        thread.Join(limit + TimeSpan.FromSeconds(5));
    }

    private void Run()
    {
        try
        {
            var buf = new byte[4096];
            var sw = Stopwatch.StartNew();
            while (!stop && frames.Count < expected && sw.Elapsed < limit)
            {
                // Bounded by the socket's receive timeout.
                int n = socket.Receive(buf, out byte type);
                if (n < 0 || type == RawEthernetSocket.PacketOutgoing)
                {
                    continue;
                }

                if (!ChecksummedUdpFrames.TryParse(buf.AsSpan(0, n), dstPort, out int seq))
                {
                    Others++;
                }
                else if (!frames.TryAdd(seq, buf.AsSpan(0, n).ToArray()))
                {
                    Duplicates++;
                }
            }
        }
        catch (Exception e)
        {
            error = e;
        }
    }
}

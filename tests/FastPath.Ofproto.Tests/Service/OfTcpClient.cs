using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using FastPath.OpenFlow.Wire;

namespace FastPath.Ofproto.Tests.Service;

/// <summary>
/// A hand-driven OpenFlow peer over TCP on loopback: writes exact bytes (whole, cut, slow) and reads whole messages,
/// so the hostile-peer tests see the wire as a controller would.
/// </summary>
internal sealed class OfTcpClient : IDisposable
{
    private readonly Socket socket;
    private byte[] pending = new byte[1 << 17];
    private int pendingLength;

    private OfTcpClient(Socket socket) => this.socket = socket;

    /// <summary>Whether echo requests from the switch (its inactivity probe) are answered as they arrive instead of returned, as real tools do.</summary>
    public bool AnswerEchoes { get; set; }

    /// <summary>The socket (tests set buffer sizes, linger, or close it abruptly).</summary>
    public Socket Socket => socket;

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<OfTcpClient> ConnectAsync(int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        return new OfTcpClient(s);
    }

    /// <summary>Connects to the unix socket <paramref name="path"/> (a bridge's management socket).</summary>
    public static async Task<OfTcpClient> ConnectUnixAsync(string path)
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await s.ConnectAsync(new UnixDomainSocketEndPoint(path), cts.Token);
        return new OfTcpClient(s);
    }

    /// <summary>Connects and exchanges hellos in <paramref name="version"/>.</summary>
    public static async Task<OfTcpClient> OpenAsync(int port, byte version = 0x04)
    {
        OfTcpClient c = await ConnectAsync(port);
        await c.SendAsync(Message(version, 0, 1, []));
        byte[] hello = await c.ReceiveAsync() ?? throw new IOException("closed before the hello");
        Assert.Equal(0, hello[1]);
        return c;
    }

    /// <summary>A message with a correct length.</summary>
    public static byte[] Message(byte version, byte type, uint xid, ReadOnlySpan<byte> body)
    {
        var b = new byte[OfHeader.Size + body.Length];
        new OfHeader(version, type, (ushort)b.Length, xid).Write(b);
        body.CopyTo(b.AsSpan(OfHeader.Size));
        return b;
    }

    /// <summary>The OFPT_ERROR Open vSwitch 3.1 sends about <paramref name="request"/>: its version and xid, the request whole as data (cut to fit).</summary>
    public static byte[] Error(byte version, ushort type, ushort code, ReadOnlySpan<byte> request, uint? xid = null)
    {
        ReadOnlySpan<byte> data = request[..Math.Min(request.Length, ushort.MaxValue - 12)];
        var body = new byte[4 + data.Length];
        BinaryPrimitives.WriteUInt16BigEndian(body, type);
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), code);
        data.CopyTo(body.AsSpan(4));
        return Message(version, 1, xid ?? BinaryPrimitives.ReadUInt32BigEndian(request[4..]), body);
    }

    /// <summary>Writes <paramref name="bytes"/> whole.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.SendAsync(bytes, SocketFlags.None, cts.Token);
    }

    /// <summary>The next whole message, or null once the switch closed; throws TimeoutException after <paramref name="timeoutMs"/>.</summary>
    public async Task<byte[]?> ReceiveAsync(int timeoutMs = 10000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        while (true)
        {
            if (pendingLength >= OfHeader.Size)
            {
                int len = BinaryPrimitives.ReadUInt16BigEndian(pending.AsSpan(2));
                if (len >= OfHeader.Size && pendingLength >= len)
                {
                    byte[] m = pending.AsSpan(0, len).ToArray();
                    pending.AsSpan(len, pendingLength - len).CopyTo(pending);
                    pendingLength -= len;
                    if (AnswerEchoes && m[1] == 2)
                    {
                        m[1] = 3;
                        await SendAsync(m);
                        continue;
                    }

                    return m;
                }
            }

            if (pending.Length - pendingLength < 65536)
            {
                Array.Resize(ref pending, pending.Length * 2);
            }

            int n;
            try
            {
                n = await socket.ReceiveAsync(pending.AsMemory(pendingLength), SocketFlags.None, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no message within {timeoutMs} ms");
            }
            catch (SocketException)
            {
                return null;
            }

            if (n == 0)
            {
                return null;
            }

            pendingLength += n;
        }
    }

    /// <summary>Receives until a message of <paramref name="type"/> on <paramref name="xid"/> arrives; the others before it are returned too.</summary>
    public async Task<(byte[] Reply, List<byte[]> Before)> ReceiveUntilAsync(byte type, uint xid, int timeoutMs = 10000)
    {
        var before = new List<byte[]>();
        long end = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            byte[] m = await ReceiveAsync((int)Math.Max(1, end - Environment.TickCount64)) ?? throw new IOException($"closed while waiting for type {type} xid {xid}");
            if (m[1] == type && BinaryPrimitives.ReadUInt32BigEndian(m.AsSpan(4)) == xid)
            {
                return (m, before);
            }

            before.Add(m);
        }
    }

    /// <summary>Sends a barrier (in <paramref name="version"/>) and waits for its reply: proof the connection is up and everything before it done.</summary>
    public async Task<List<byte[]>> BarrierAsync(uint xid, byte version = 0x04, int timeoutMs = 10000)
    {
        (byte barrier, byte reply) = version == 0x01 ? ((byte)18, (byte)19) : ((byte)20, (byte)21);
        await SendAsync(Message(version, barrier, xid, []));
        return (await ReceiveUntilAsync(reply, xid, timeoutMs)).Before;
    }

    /// <summary>Whether the switch closes the connection within <paramref name="timeoutMs"/>; what it sent before is returned.</summary>
    public async Task<(bool Closed, List<byte[]> Before)> ClosedWithinAsync(int timeoutMs)
    {
        var before = new List<byte[]>();
        long end = Environment.TickCount64 + timeoutMs;
        try
        {
            while (true)
            {
                int left = (int)(end - Environment.TickCount64);
                if (left <= 0)
                {
                    return (false, before);
                }

                if (await ReceiveAsync(left) is not { } m)
                {
                    return (true, before);
                }

                before.Add(m);
            }
        }
        catch (TimeoutException)
        {
            return (false, before);
        }
    }

    /// <summary>Closes with a TCP reset, as a crashing peer does.</summary>
    public void Abort()
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    /// <inheritdoc/>
    public void Dispose() => socket.Dispose();
}

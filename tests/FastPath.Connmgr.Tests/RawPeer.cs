using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using FastPath.OpenFlow.Wire;

namespace FastPath.Connmgr.Tests;

/// <summary>A hand-driven OpenFlow peer on a real socket: writes exact bytes and reads whole messages, so tests see the wire.</summary>
internal sealed class RawPeer : IDisposable
{
    private readonly Socket socket;
    private readonly List<byte> pending = [];

    private RawPeer(Socket socket) => this.socket = socket;

    public static async Task<RawPeer> ConnectAsync(EndPoint endPoint)
    {
        var s = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await s.ConnectAsync(endPoint, cts.Token);
        return new RawPeer(s);
    }

    public static RawPeer Wrap(Socket accepted) => new(accepted);

    public Socket Socket => socket;

    /// <summary>A message: header fields and the whole bytes.</summary>
    public readonly record struct Msg(byte Version, byte Type, uint Xid, byte[] Bytes)
    {
        public ReadOnlySpan<byte> Body => Bytes.AsSpan(OfHeader.Size);

        /// <summary>For an OFPT_ERROR: (type, code) as on the wire.</summary>
        public (ushort Type, ushort Code) Error => (BinaryPrimitives.ReadUInt16BigEndian(Body), BinaryPrimitives.ReadUInt16BigEndian(Body[2..]));

        public byte[] ErrorData => Body[4..].ToArray();
    }

    public static byte[] Message(byte version, byte type, uint xid, ReadOnlySpan<byte> body)
    {
        var b = new byte[OfHeader.Size + body.Length];
        new OfHeader(version, type, (ushort)b.Length, xid).Write(b);
        body.CopyTo(b.AsSpan(OfHeader.Size));
        return b;
    }

    public static byte[] Hello(byte version, uint? bitmap = null)
    {
        if (bitmap is not { } bm)
        {
            return Message(version, 0, 1, []);
        }

        var body = new byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(body, 1);
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), 8);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(4), bm);
        return Message(version, 0, 1, body);
    }

    public async Task SendAsync(byte[] bytes) => await socket.SendAsync(bytes, SocketFlags.None);

    /// <summary>The next whole message, or null if the peer closed; throws TimeoutException after <paramref name="timeoutMs"/>.</summary>
    public async Task<Msg?> ReceiveAsync(int timeoutMs = 5000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        var buf = new byte[65536];
        while (true)
        {
            if (pending.Count >= OfHeader.Size)
            {
                int len = (pending[2] << 8) | pending[3];
                if (len >= OfHeader.Size && pending.Count >= len)
                {
                    byte[] m = [.. pending.GetRange(0, len)];
                    pending.RemoveRange(0, len);
                    return new Msg(m[0], m[1], BinaryPrimitives.ReadUInt32BigEndian(m.AsSpan(4)), m);
                }
            }

            int n;
            try
            {
                n = await socket.ReceiveAsync(buf, SocketFlags.None, cts.Token);
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

            pending.AddRange(buf.AsSpan(0, n));
        }
    }

    /// <summary>Receives until a message of <paramref name="type"/> arrives (others are skipped).</summary>
    public async Task<Msg> ReceiveTypeAsync(byte type, int timeoutMs = 5000)
    {
        while (true)
        {
            Msg m = await ReceiveAsync(timeoutMs) ?? throw new IOException("connection closed");
            if (m.Type == type)
            {
                return m;
            }
        }
    }

    /// <summary>Whether the peer closes the connection within <paramref name="timeoutMs"/> (messages before the close are skipped).</summary>
    public async Task<bool> ClosedWithinAsync(int timeoutMs)
    {
        long end = Environment.TickCount64 + timeoutMs;
        try
        {
            while (true)
            {
                int left = (int)(end - Environment.TickCount64);
                if (left <= 0)
                {
                    return false;
                }

                if (await ReceiveAsync(left) is null)
                {
                    return true;
                }
            }
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Sends a hello and reads the switch's.</summary>
    public async Task<Msg> HandshakeAsync(byte version = 0x04, uint? bitmap = null)
    {
        await SendAsync(Hello(version, bitmap));
        return await ReceiveTypeAsync(0);
    }

    public void Dispose() => socket.Dispose();
}

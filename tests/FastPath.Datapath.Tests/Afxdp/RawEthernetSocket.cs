using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace FastPath.Datapath.Tests.Afxdp;

/// <summary>
/// An AF_PACKET raw socket bound to one interface: sends and receives whole Ethernet frames. Open it
/// inside a namespace (<c>NetnsTopology.RunIn</c>); it keeps working from any thread afterwards.
/// </summary>
internal sealed unsafe partial class RawEthernetSocket : IDisposable
{
    private const int AfPacket = 17;
    private const int SockRaw = 3;
    private const ushort EthPAll = 0x0003;
    private const int SolSocket = 1;
    private const int SoRcvTimeo = 20;
    private const int SoRcvBufForce = 33;
    private const int Eagain = 11;

    /// <summary>sll_pkttype of frames this host sent itself.</summary>
    public const byte PacketOutgoing = 4;

    private int fd;

    private RawEthernetSocket(int fd, int ifindex)
    {
        this.fd = fd;
        IfIndex = ifindex;
    }

    /// <summary>Index of the bound interface (in its namespace).</summary>
    public int IfIndex { get; }

    /// <summary>Opens a socket bound to <paramref name="ifname"/> in the calling thread's namespace.</summary>
    public static RawEthernetSocket Open(string ifname, TimeSpan receiveTimeout)
    {
        int ifindex = (int)IfNameToIndex(ifname);
        if (ifindex == 0)
        {
            throw new InvalidOperationException($"no interface {ifname}: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        int s = Socket(AfPacket, SockRaw, BinaryPrimitives.ReverseEndianness(EthPAll));
        if (s < 0)
        {
            throw new InvalidOperationException($"socket(AF_PACKET): {Marshal.GetLastPInvokeErrorMessage()}");
        }

        var sock = new RawEthernetSocket(s, ifindex);
        try
        {
            SockaddrLl addr = default;
            addr.Family = AfPacket;
            addr.Protocol = BinaryPrimitives.ReverseEndianness(EthPAll);
            addr.IfIndex = ifindex;
            if (Bind(s, &addr, sizeof(SockaddrLl)) != 0)
            {
                throw new InvalidOperationException($"bind({ifname}): {Marshal.GetLastPInvokeErrorMessage()}");
            }

            long* tv = stackalloc long[2];
            tv[0] = (long)receiveTimeout.TotalSeconds;
            tv[1] = receiveTimeout.Microseconds + (receiveTimeout.Milliseconds * 1000L);
            SetSockOpt(s, SolSocket, SoRcvTimeo, tv, 16);

            // A few MB so a burst waits in the socket instead of being dropped before the test reads it.
            int buf = 8 << 20;
            SetSockOpt(s, SolSocket, SoRcvBufForce, &buf, sizeof(int));
            return sock;
        }
        catch
        {
            sock.Dispose();
            throw;
        }
    }

    /// <summary>Sends one frame; throws on failure.</summary>
    public void Send(ReadOnlySpan<byte> frame)
    {
        fixed (byte* p = frame)
        {
            nint n = SendRaw(fd, p, frame.Length, 0);
            if (n != frame.Length)
            {
                throw new InvalidOperationException($"send: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
    }

    /// <summary>Receives one frame into <paramref name="buffer"/>; returns its length, or -1 when the receive timeout passed.</summary>
    public int Receive(Span<byte> buffer, out byte packetType)
    {
        SockaddrLl from = default;
        int len = sizeof(SockaddrLl);
        fixed (byte* p = buffer)
        {
            nint n = RecvFrom(fd, p, buffer.Length, 0, &from, &len);
            packetType = from.PktType;
            if (n < 0)
            {
                int err = Marshal.GetLastPInvokeError();
                if (err == Eagain)
                {
                    return -1;
                }

                throw new InvalidOperationException($"recvfrom: {Marshal.GetPInvokeErrorMessage(err)}");
            }

            return (int)n;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (fd > 0)
        {
            Close(fd);
            fd = -1;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SockaddrLl
    {
        public ushort Family;
        public ushort Protocol;
        public int IfIndex;
        public ushort HaType;
        public byte PktType;
        public byte HaLen;
        public ulong Addr;
    }

    [LibraryImport("libc", EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial uint IfNameToIndex(string name);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int Bind(int fd, SockaddrLl* addr, int len);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSockOpt(int fd, int level, int name, void* value, int len);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint SendRaw(int fd, byte* buf, nint len, int flags);

    [LibraryImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    private static partial nint RecvFrom(int fd, byte* buf, nint len, int flags, SockaddrLl* from, int* fromLen);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastPath.Datapath.Classifier;

/// <summary>Per-megaflow counters, updated in place by the PMD through <see cref="MegaflowClassifier.GetStats"/>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct MegaflowStats
{
    /// <summary>Packets that hit the flow.</summary>
    [FieldOffset(0)] public long Packets;

    /// <summary>Bytes of those packets.</summary>
    [FieldOffset(8)] public long Bytes;

    /// <summary>Timestamp of the last hit, in whatever unit the caller uses (0 = never).</summary>
    [FieldOffset(16)] public ulong Used;

    /// <summary>OR of the TCP flags (host order) of every packet that hit.</summary>
    [FieldOffset(24)] public ushort TcpFlags;

    /// <summary>Accounts <paramref name="packets"/> packets totalling <paramref name="bytes"/> bytes seen at <paramref name="now"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long packets, long bytes, ulong now, ushort tcpFlags)
    {
        Packets += packets;
        Bytes += bytes;
        Used = now;
        TcpFlags |= tcpFlags;
    }
}

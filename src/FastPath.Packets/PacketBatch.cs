using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace FastPath.Packets;

/// <summary>Up to <see cref="Capacity"/> packet handles received or sent together; a value type, no allocation.</summary>
public struct PacketBatch
{
    /// <summary>The most packets one batch holds (as in OVS's NETDEV_MAX_BURST).</summary>
    public const int Capacity = 32;

    private PacketArray packets;

    /// <summary>Number of packets in the batch.</summary>
    public int Count;

    /// <summary>The packets in the batch.</summary>
    [UnscopedRef]
    public Span<Packet> Packets => ((Span<Packet>)packets)[..Count];

    /// <summary>Whether another packet fits.</summary>
    public readonly bool IsFull => Count == Capacity;

    /// <summary>Appends a packet; returns false when the batch is full.</summary>
    public bool TryAdd(in Packet p)
    {
        if (Count == Capacity)
        {
            return false;
        }

        packets[Count++] = p;
        return true;
    }

    /// <summary>A reference to packet <paramref name="i"/>.</summary>
    [UnscopedRef]
    public ref Packet this[int i] => ref ((Span<Packet>)packets)[..Count][i];

    /// <summary>Empties the batch (the frames are not freed).</summary>
    public void Clear() => Count = 0;

    [InlineArray(Capacity)]
    private struct PacketArray
    {
        private Packet first;
    }
}

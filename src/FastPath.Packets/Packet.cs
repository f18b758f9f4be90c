using System.Runtime.InteropServices;

namespace FastPath.Packets;

/// <summary>
/// A packet handle: where its bytes start inside a <see cref="PacketPool"/> region, its length, the
/// port it came in on and the header offsets the parser found. 16 bytes, no object.
/// </summary>
/// <remarks>
/// <see cref="Addr"/> is an offset into the pool's region, the same number an AF_XDP descriptor
/// carries, so a frame can move between a UMEM ring and the datapath unchanged.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = 16)]
public struct Packet
{
    /// <summary>Offset of the first byte of the packet within the pool region.</summary>
    public uint Addr;

    /// <summary>Length of the packet in bytes.</summary>
    public ushort Length;

    /// <summary>Offset of the L3 header from the first byte, or <see cref="NoOffset"/>.</summary>
    public ushort L3Offset;

    /// <summary>Offset of the L4 header from the first byte, or <see cref="NoOffset"/>.</summary>
    public ushort L4Offset;

    /// <summary>Offset of the outermost VLAN tag's TPID (12 when tagged), or <see cref="NoOffset"/>.</summary>
    public ushort VlanOffset;

    /// <summary>Datapath port the packet was received on.</summary>
    public uint InPort;

    /// <summary>Marks an offset the parser did not reach.</summary>
    public const ushort NoOffset = 0xffff;

    /// <summary>Offset of the frame that holds this packet (frames are power-of-two aligned).</summary>
    public readonly uint FrameAddr(uint frameSize) => Addr & ~(frameSize - 1);
}

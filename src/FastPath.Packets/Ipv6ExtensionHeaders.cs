using System.Buffers.Binary;

namespace FastPath.Packets;

/// <summary>
/// Walks an IPv6 extension-header chain the way Open vSwitch's flow extraction does (hop-by-hop,
/// routing, destination options, AH, fragment), without allocating. The parser and the action
/// executor share it so that both agree on where L4 starts.
/// </summary>
public static class Ipv6ExtensionHeaders
{
    /// <summary>Whether <paramref name="nextHeader"/> names a header this walk steps over.</summary>
    public static bool IsExtensionHeader(byte nextHeader) =>
        nextHeader is IpProtocols.HopByHop or IpProtocols.Routing or IpProtocols.DestOpts or IpProtocols.Ah or IpProtocols.Fragment;

    /// <summary>
    /// Steps over the extension headers that start at <paramref name="offset"/> in <paramref name="packet"/>.
    /// </summary>
    /// <param name="packet">The packet, cut at the end of the IPv6 payload so that padding is never read as headers.</param>
    /// <param name="offset">Offset of the first header after the fixed IPv6 header.</param>
    /// <param name="nextHeader">The fixed header's next-header field.</param>
    /// <param name="chain">Where the walk ended; on failure, how far it got.</param>
    /// <returns>
    /// False when an extension header does not fit in <paramref name="packet"/> (fewer than 8 bytes left, or
    /// its length field runs past the end): then nothing after the fixed header can be trusted.
    /// </returns>
    /// <remarks>
    /// A later fragment (non-zero offset) ends the walk with <see cref="Ipv6ExtensionChain.Protocol"/> =
    /// <see cref="IpProtocols.Fragment"/>, as in Open vSwitch: the protocol it names is not in this packet.
    /// Each step consumes at least 8 bytes, so the walk ends within packet.Length / 8 steps.
    /// </remarks>
    public static bool TryWalk(ReadOnlySpan<byte> packet, int offset, byte nextHeader, out Ipv6ExtensionChain chain)
    {
        chain = default;
        byte next = nextHeader;
        int ofs = offset;
        while (IsExtensionHeader(next))
        {
            // Every extension header is at least 8 bytes, and the fields read here are in the first 8.
            if (ofs < 0 || packet.Length - ofs < 8)
            {
                chain.Protocol = next;
                chain.Offset = ofs;
                return false;
            }

            byte following = packet[ofs];
            int len;
            switch (next)
            {
                case IpProtocols.Fragment:
                    len = 8;
                    ushort offFlags = BinaryPrimitives.ReadUInt16BigEndian(packet[(ofs + 2)..]);
                    if (offFlags != 0)
                    {
                        // Open vSwitch counts any non-zero offset/flags word (reserved bits included) as a fragment.
                        chain.Frag |= FragFlags.Any;
                        if ((offFlags & 0xfff8) != 0)
                        {
                            chain.Frag |= FragFlags.Later;
                            chain.Protocol = IpProtocols.Fragment;
                            chain.Offset = ofs + len;
                            return true;
                        }
                    }

                    break;
                case IpProtocols.Ah:
                    len = (packet[ofs + 1] + 2) * 4;
                    break;
                case IpProtocols.Routing:
                    len = (packet[ofs + 1] + 1) * 8;
                    chain.RoutingSegmentsLeft |= packet[ofs + 3] != 0;
                    break;
                default:
                    len = (packet[ofs + 1] + 1) * 8;
                    break;
            }

            if (packet.Length - ofs < len)
            {
                chain.Protocol = next;
                chain.Offset = ofs;
                return false;
            }

            next = following;
            ofs += len;
        }

        chain.Protocol = next;
        chain.Offset = ofs;
        return true;
    }
}

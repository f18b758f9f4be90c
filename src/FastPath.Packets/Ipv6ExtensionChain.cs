namespace FastPath.Packets;

/// <summary>Where an IPv6 extension-header walk ended (see <see cref="Ipv6ExtensionHeaders.TryWalk"/>).</summary>
public struct Ipv6ExtensionChain
{
    /// <summary>The first header that is not an extension header (the L4 protocol), or <see cref="IpProtocols.Fragment"/> for a later fragment.</summary>
    public byte Protocol;

    /// <summary>Offset of that header in the packet (just past the chain).</summary>
    public int Offset;

    /// <summary>Fragment bits from a fragment header in the chain.</summary>
    public FragFlags Frag;

    /// <summary>A routing header with segments left: the destination address is not the final one.</summary>
    public bool RoutingSegmentsLeft;
}

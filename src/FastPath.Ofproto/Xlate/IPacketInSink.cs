namespace FastPath.Ofproto.Xlate;

/// <summary>Where packet-ins go: the OpenFlow connection manager (its own issue), or a test.</summary>
public interface IPacketInSink
{
    /// <summary>Delivers <paramref name="packetIn"/>; called on the ofproto thread.</summary>
    void Deliver(PacketIn packetIn);
}

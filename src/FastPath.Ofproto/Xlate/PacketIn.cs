namespace FastPath.Ofproto.Xlate;

/// <summary>A packet for the OpenFlow controllers, with what a packet-in message reports about it.</summary>
/// <param name="Reason">Why it was sent.</param>
/// <param name="TableId">The table whose rule (or miss) sent it.</param>
/// <param name="Cookie">That rule's cookie (all ones for a miss).</param>
/// <param name="InPort">The OpenFlow port it came in on.</param>
/// <param name="Metadata">The pipeline's metadata when it was sent.</param>
/// <param name="Data">The first max_len bytes of the packet (as modified up to the action).</param>
/// <param name="TotalLength">The packet's whole length.</param>
/// <param name="ImplicitMiss">
/// A table had no rule for it, not even a table-miss rule: Open vSwitch sends such packet-ins only to connections
/// speaking OpenFlow 1.0-1.2 (1.3 made a bare miss drop), while a table-miss rule's output goes to everyone.
/// </param>
public sealed record PacketIn(PacketInReason Reason, byte TableId, ulong Cookie, uint InPort, ulong Metadata, byte[] Data, int TotalLength, bool ImplicitMiss = false);

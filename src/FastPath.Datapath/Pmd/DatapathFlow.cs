using FastPath.Datapath.Flows;

namespace FastPath.Datapath.Pmd;

/// <summary>A megaflow as dpctl/dump-flows shows it: match, actions and counters.</summary>
public sealed record DatapathFlow(FlowMatch Match, byte[] Actions, long Packets, long Bytes, ushort TcpFlags, ulong UsedTsc);

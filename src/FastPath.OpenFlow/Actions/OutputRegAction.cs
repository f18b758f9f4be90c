using FastPath.OpenFlow.Fields;

namespace FastPath.OpenFlow.Actions;

/// <summary>
/// Open vSwitch's output:FIELD[start..end]: outputs to the port number held in bits of a field (a register, say),
/// read when the action runs.
/// </summary>
/// <param name="Source">The field read.</param>
/// <param name="Offset">First bit read.</param>
/// <param name="Bits">Number of bits read (at most 32; Open vSwitch reads at most 16 of them as an OpenFlow 1.0 port).</param>
/// <param name="MaxLen">Bytes sent to the controller if the port turns out to be CONTROLLER.</param>
public sealed record OutputRegAction(OfField Source, int Offset, int Bits, ushort MaxLen = 0) : OfAction;

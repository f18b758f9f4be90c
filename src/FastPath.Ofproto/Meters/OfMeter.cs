using FastPath.OpenFlow.Meters;

namespace FastPath.Ofproto.Meters;

/// <summary>An installed OpenFlow meter: its configuration, the datapath meter that enforces it, and its age.</summary>
/// <param name="Config">What the last add or modify said.</param>
/// <param name="DatapathId">The datapath meter; a modify keeps it, so megaflows that name it need no re-translation.</param>
/// <param name="CreatedTicks">When it was added (Stopwatch ticks); a modify keeps it, as Open vSwitch's duration does.</param>
public sealed record OfMeter(OfMeterConfig Config, uint DatapathId, long CreatedTicks);

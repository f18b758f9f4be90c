using FastPath.Ofproto.Meters;

namespace FastPath.Ofproto.Xlate;

/// <summary>Xlate of the meter instruction: a datapath meter action, so the fast path enforces the meter.</summary>
public sealed partial class OfXlate
{
    /// <summary>The meters rules' meter instructions name (the pipeline refuses such rules while this has none).</summary>
    public OfMeterTable? Meters { get; init; }

    private sealed partial class Context
    {
        // OpenFlow runs a rule's meter before its apply-actions: the datapath meter action comes first, and a
        // packet over a drop band goes no further. The meter depends on no packet field, so the megaflow stays as
        // wide; pending sets need no commit, since they leave the frame's length, which is all a meter reads.
        private void Meter(uint meterId)
        {
            if (x.Meters is null || !x.Meters.TryGetDatapathId(meterId, out uint datapathId))
            {
                throw new XlateException($"meter:{meterId} names no meter xlate knows");
            }

            Actions.Meter(datapathId);
            Trace?.Add($"    meter:{meterId}");
        }
    }
}

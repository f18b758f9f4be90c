using FastPath.Connmgr;
using FastPath.OpenFlow;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.Ofproto.Service;

/// <summary>The switch as a whole: descriptions, features, configuration, tables.</summary>
public sealed partial class OpenFlowEndpoint
{
    // Open vSwitch's classifier tables hold a million rules each and match every OpenFlow 1.0 field.
    private const uint MaxEntriesPerTable = 1_000_000;
    private const uint Of10AllWildcards = 0x3fffff;

    private bool DispatchSwitch(OfConnection c, OfRequest request)
    {
        uint xid = request.Xid;
        switch (request.Message)
        {
            case DescRequest:
                c.Send(
                    new DescReply(Options.Manufacturer, Options.Hardware, Options.Software, Options.SerialNumber, Options.DatapathDescription ?? Bridge.Name),
                    xid);
                return true;
            case TableStatsRequest:
                c.Send(new TableStatsReply(TableStatistics()), xid);
                return true;
            default:
                return false;
        }
    }

    private List<TableStats> TableStatistics()
    {
        var tables = new List<TableStats>(Options.Tables);
        for (int i = 0; i < Options.Tables; i++)
        {
            byte id = (byte)i;
            tables.Add(new TableStats(id, (uint)Bridge.Pipeline.Table(id).Count, 0, 0, string.Empty, Of10AllWildcards, MaxEntriesPerTable));
        }

        return tables;
    }
}

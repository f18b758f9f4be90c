using System.Diagnostics.Metrics;
using FastPath.Connmgr;

namespace FastPath.Ofproto;

/// <summary>
/// The slow path's coverage counters, under Open vSwitch's names for the same events (ofproto.c,
/// ofproto-dpif-xlate.c, ofproto-dpif-upcall.c, dpif.c). Counted on the ofproto thread and the OpenFlow service,
/// once per upcall, revalidation or request: never per packet on a PMD. Published on
/// <see cref="ConnmgrCoverage.MeterName"/>, where fastpathd's <c>coverage/show</c> reads them.
/// </summary>
public static class OfprotoCoverage
{
    private static readonly Meter Meter = new(ConnmgrCoverage.MeterName);

    /// <summary>ofproto_flush: a bridge's flow table flushed (on creation, and on a reset).</summary>
    public static readonly Counter<long> OfprotoFlush = Meter.CreateCounter<long>("ofproto_flush");

    /// <summary>ofproto_packet_out: a packet-out executed.</summary>
    public static readonly Counter<long> OfprotoPacketOut = Meter.CreateCounter<long>("ofproto_packet_out");

    /// <summary>ofproto_recv_openflow: an OpenFlow request handed to the bridge.</summary>
    public static readonly Counter<long> OfprotoRecvOpenflow = Meter.CreateCounter<long>("ofproto_recv_openflow");

    /// <summary>ofproto_update_port: a port added to or removed from a bridge.</summary>
    public static readonly Counter<long> OfprotoUpdatePort = Meter.CreateCounter<long>("ofproto_update_port");

    /// <summary>xlate_actions: a flow translated through the OpenFlow tables (upcall, revalidation).</summary>
    public static readonly Counter<long> XlateActions = Meter.CreateCounter<long>("xlate_actions");

    /// <summary>handler_duplicate_upcall: an upcall for a megaflow already being installed.</summary>
    public static readonly Counter<long> HandlerDuplicateUpcall = Meter.CreateCounter<long>("handler_duplicate_upcall");

    /// <summary>upcall_ukey_replace: an upcall replaced an existing ukey with different actions.</summary>
    public static readonly Counter<long> UpcallUkeyReplace = Meter.CreateCounter<long>("upcall_ukey_replace");

    /// <summary>rev_flow_table: the revalidator found the OpenFlow tables changed since its last pass.</summary>
    public static readonly Counter<long> RevFlowTable = Meter.CreateCounter<long>("rev_flow_table");

    /// <summary>revalidate_missed_dp_flow: the revalidator dumped a megaflow it had no ukey for (and deleted it).</summary>
    public static readonly Counter<long> RevalidateMissedDpFlow = Meter.CreateCounter<long>("revalidate_missed_dp_flow");

    /// <summary>dpif_flow_put: a megaflow installed or modified.</summary>
    public static readonly Counter<long> DpifFlowPut = Meter.CreateCounter<long>("dpif_flow_put");

    /// <summary>dpif_flow_del: a megaflow deleted.</summary>
    public static readonly Counter<long> DpifFlowDel = Meter.CreateCounter<long>("dpif_flow_del");

    /// <summary>dpif_execute: a packet executed on the datapath (an upcall's packet, a packet-out).</summary>
    public static readonly Counter<long> DpifExecute = Meter.CreateCounter<long>("dpif_execute");

    /// <summary>dpif_port_add: a port added to a datapath.</summary>
    public static readonly Counter<long> DpifPortAdd = Meter.CreateCounter<long>("dpif_port_add");

    /// <summary>dpif_port_del: a port removed from a datapath.</summary>
    public static readonly Counter<long> DpifPortDel = Meter.CreateCounter<long>("dpif_port_del");
}

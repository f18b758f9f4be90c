using FastPath.Connmgr;
using FastPath.Ofproto.Tables;
using FastPath.OpenFlow;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;
using FastPath.OpenFlow.Wire.Tables;

namespace FastPath.Ofproto.Service;

/// <summary>The switch as a whole: descriptions, features, configuration, tables, queues, roles, async configuration.</summary>
public sealed partial class OpenFlowEndpoint
{
    // Open vSwitch's classifier tables hold a million rules each and match every OpenFlow 1.0 field.
    private const uint MaxEntriesPerTable = 1_000_000;
    private const uint Of10AllWildcards = 0x3fffff;

    // OFPC_FLOW_STATS | TABLE_STATS | PORT_STATS | QUEUE_STATS, plus ARP_MATCH_IP (1.0) or GROUP_STATS (1.3+), as Open vSwitch.
    private const uint Of10Capabilities = 0x01 | 0x02 | 0x04 | 0x40 | 0x80;
    private const uint Of13Capabilities = 0x01 | 0x02 | 0x04 | 0x08 | 0x40;

    // Every OpenFlow 1.0 action (OFPAT10_OUTPUT .. ENQUEUE), as Open vSwitch reports them.
    private const uint Of10Actions = 0xfff;

    // OFPC_INVALID_TTL_TO_CONTROLLER in set-config's flags.
    private const ushort InvalidTtlToController = 4;

    // OFPQ_ALL.
    private const uint QueueAll = 0xffffffff;

    // A queue counter FastPath does not keep: OpenFlow's "not supported" is all-ones.
    private const ulong NoCount = ulong.MaxValue;

    private List<TableFeatures>? tableFeatures;

    // OFPC_FRAG_* as set-config leaves them (frags=normal by default; reassembly is not offered).
    private ushort fragFlags;

    /// <summary>The connection manager role requests go through (set by the host).</summary>
    public OfConnectionManager? Manager { get; set; }

    private bool DispatchSwitch(OfConnection c, OfRequest request)
    {
        uint xid = request.Xid;
        switch (request.Message)
        {
            case FeaturesRequest:
                c.Send(Features(c.Session.Version), xid);
                return true;
            case GetConfigRequest:
                c.Send(new SwitchConfig((ushort)(fragFlags | (extras[c].InvalidTtlToController ? InvalidTtlToController : 0)), (ushort)Math.Min(c.MissSendLength, ushort.MaxValue), false), xid);
                return true;
            case SwitchConfig { IsSet: true } set:
                SetConfig(c, set);
                return true;
            case TableFeaturesRequest tf:
                if (tf.Tables.Count > 0)
                {
                    // Changing the pipeline's shape is not offered (nor by Open vSwitch's userspace datapath).
                    throw new OfErrorException(OfError.TableFeaturesFailedPermission, "table features cannot be set");
                }

                tableFeatures ??= BuildTableFeatures();
                c.Send(new TableFeaturesReply(tableFeatures), xid);
                return true;
            case DescRequest:
                c.Send(
                    new DescReply(Options.Manufacturer, Options.Hardware, Options.Software, Options.SerialNumber, Options.DatapathDescription ?? Bridge.Name),
                    xid);
                return true;
            case TableStatsRequest:
                c.Send(new TableStatsReply(TableStatistics()), xid);
                return true;
            case QueueStatsRequest q:
                c.Send(new QueueStatsReply([.. DefaultQueues(q.PortNo, q.QueueId).Select(p => new QueueStats(p, 0, NoCount, NoCount, NoCount, uint.MaxValue, uint.MaxValue))]), xid);
                return true;
            case QueueGetConfigRequest q:
                c.Send(new QueueGetConfigReply(q.PortNo, [.. DefaultQueues(q.PortNo, QueueAll).Select(p => new QueueConfig(p, 0))]), xid);
                return true;
            case QueueDescRequest q:
                c.Send(new QueueDescReply([.. DefaultQueues(q.PortNo, q.QueueId).Select(p => new QueueConfig(p, 0))]), xid);
                return true;
            case RoleMessage { IsReply: false } role:
                Role(c, role, xid);
                return true;
            case GetAsyncRequest:
                OfAsyncConfig a = c.AsyncConfig;
                c.Send(new AsyncConfig(false, a.MasterPacketIn, a.SlavePacketIn, a.MasterPortStatus, a.SlavePortStatus, a.MasterFlowRemoved, a.SlaveFlowRemoved), xid);
                return true;
            case AsyncConfig { IsSet: true } set:
                OfAsyncConfig now = c.AsyncConfig;
                c.AsyncConfig = new OfAsyncConfig(
                    set.PacketInMaster ?? now.MasterPacketIn,
                    set.PacketInSlave ?? now.SlavePacketIn,
                    set.PortStatusMaster ?? now.MasterPortStatus,
                    set.PortStatusSlave ?? now.SlavePortStatus,
                    set.FlowRemovedMaster ?? now.MasterFlowRemoved,
                    set.FlowRemovedSlave ?? now.SlaveFlowRemoved);
                return true;
            default:
                return DispatchPorts(c, request) || DispatchGroups(c, request) || DispatchMeters(c, request) || DispatchPacketOut(c, request);
        }
    }

    private FeaturesReply Features(OpenFlowVersion version) => version == OpenFlowVersion.OF10
        ? new FeaturesReply(DatapathId, 0, Options.Tables, Of10Capabilities, 0, Of10Actions, [.. Ports.Descriptions])
        : new FeaturesReply(DatapathId, 0, Options.Tables, Of13Capabilities);

    private void SetConfig(OfConnection c, SwitchConfig set)
    {
        c.MissSendLength = set.MissSendLen;

        // OFPC_INVALID_TTL_TO_CONTROLLER is the connection's own (Open vSwitch keeps it per connection), so one
        // tool's `ovs-ofctl monitor ... invalid_ttl` does not show in another's get-config.
        extras[c].InvalidTtlToController = (set.Flags & InvalidTtlToController) != 0;

        // A slave may set its own miss_send_len, not the switch's fragment handling (as Open vSwitch).
        if (!c.IsSlave)
        {
            // OFPC_FRAG_REASM is not offered: Open vSwitch also keeps the previous setting then.
            ushort frag = (ushort)(set.Flags & 3);
            if (frag != 2)
            {
                fragFlags = frag;
            }
        }
    }

    private void Role(OfConnection c, RoleMessage role, uint xid)
    {
        OfConnectionManager manager = Manager ?? throw new OfErrorException(OfError.BadRequestBadType, "no connection manager");
        if (role.Role > 3)
        {
            throw new OfErrorException(OfError.RoleRequestFailedBadRole, $"role {role.Role} is not a role");
        }

        OfControllerRole? wanted = role.Role == 0 ? null : (OfControllerRole)role.Role;
        ulong? generation = role.Role is 2 or 3 ? role.GenerationId : null;
        OfRoleReply reply = manager.RequestRole(c, wanted, generation);
        c.Send(new RoleMessage(true, (uint)reply.Role, reply.GenerationId ?? ulong.MaxValue), xid);
    }

    // Every port has one queue, 0, with no configuration and no statistics (Open vSwitch's default queue of a port
    // without QoS): the ports a queue request names (a port, or ANY / 1.0's ALL for every port), refused with
    // OFPQOFC_BAD_PORT for a port that does not exist and OFPQOFC_BAD_QUEUE for a queue other than 0 or ALL.
    private List<uint> DefaultQueues(uint port, uint queue)
    {
        List<uint> ports = port is OfPorts.Any or OfPorts.All
            ? [.. Ports.Descriptions.Select(d => d.PortNo)]
            : Ports.Find(port) is null ? throw new OfErrorException(OfError.QueueOpFailedBadPort, $"no port {OfPorts.Format(port)}") : [port];
        if (queue != 0 && queue != QueueAll)
        {
            throw new OfErrorException(OfError.QueueOpFailedBadQueue, $"no queue {queue}");
        }

        return ports;
    }

    private List<TableStats> TableStatistics()
    {
        var tables = new List<TableStats>(Options.Tables);
        for (int i = 0; i < Options.Tables; i++)
        {
            byte id = (byte)i;
            TableCounters counters = Bridge.Pipeline.Counters(id);
            tables.Add(new TableStats(id, (uint)Bridge.Pipeline.Table(id).Count, (ulong)counters.Lookups, (ulong)counters.Matches, string.Empty, Of10AllWildcards, MaxEntriesPerTable));
        }

        return tables;
    }

    // What every table offers (they are all alike): the instructions, actions and fields FastPath supports, each
    // table able to go to any later one.
    private List<TableFeatures> BuildTableFeatures()
    {
        ushort[] instructions = [1, 2, 3, 4, 5, 6]; // goto_table, write_metadata, write/apply/clear_actions, meter
        ushort[] actions = [0, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]; // output, MPLS TTL, VLAN/MPLS push/pop, queue, group, NW TTL, set_field
        // Fields by every header Open vSwitch lists them by, the maskable ones with the has-mask bit in the match list;
        // not the fields the datapath never parses from a packet (in_phy_port, pbb_isid, ipv6_exthdr: a rule could
        // name them but never see a value; Open vSwitch lists none of them either).
        OfField[] fields = [.. OfFields.All.Where(f => f.HasOxm && f != OfFields.InPhyPort && f != OfFields.PbbIsid && f != OfFields.Ipv6Exthdr)];
        ulong[] match = [.. fields.SelectMany(f => TableFeatureFields.Headers(f, f.Maskable)).Select(h => (ulong)h)];
        ulong[] wildcards = [.. fields.SelectMany(f => TableFeatureFields.Headers(f, false)).Select(h => (ulong)h)];
        ulong[] writable = [.. fields.Where(f => f.Writable).SelectMany(f => TableFeatureFields.Headers(f, false)).Select(h => (ulong)h)];
        var tables = new List<TableFeatures>(Options.Tables);
        for (int i = 0; i < Options.Tables; i++)
        {
            byte[] next = [.. Enumerable.Range(i + 1, Math.Max(0, Options.Tables - i - 1)).Select(t => (byte)t)];
            ushort[] ins = i == Options.Tables - 1 ? [.. instructions.Where(t => t != 1)] : instructions;
            tables.Add(new TableFeatures(
                (byte)i,
                string.Empty, // unnamed, as Open vSwitch's tables until a name is configured
                ulong.MaxValue,
                ulong.MaxValue,
                0,
                MaxEntriesPerTable,
                [
                    TableFeatureProperty.Instructions(TableFeaturePropType.Instructions, ins),
                    TableFeatureProperty.Instructions(TableFeaturePropType.InstructionsMiss, ins),
                    TableFeatureProperty.NextTables(TableFeaturePropType.NextTables, next),
                    TableFeatureProperty.NextTables(TableFeaturePropType.NextTablesMiss, next),
                    TableFeatureProperty.Actions(TableFeaturePropType.WriteActions, actions),
                    TableFeatureProperty.Actions(TableFeaturePropType.WriteActionsMiss, actions),
                    TableFeatureProperty.Actions(TableFeaturePropType.ApplyActions, actions),
                    TableFeatureProperty.Actions(TableFeaturePropType.ApplyActionsMiss, actions),
                    TableFeatureProperty.Oxms(TableFeaturePropType.Match, match),
                    TableFeatureProperty.Oxms(TableFeaturePropType.Wildcards, wildcards),
                    TableFeatureProperty.Oxms(TableFeaturePropType.WriteSetField, writable),
                    TableFeatureProperty.Oxms(TableFeaturePropType.WriteSetFieldMiss, writable),
                    TableFeatureProperty.Oxms(TableFeaturePropType.ApplySetField, writable),
                    TableFeatureProperty.Oxms(TableFeaturePropType.ApplySetFieldMiss, writable),
                ]));
        }

        return tables;
    }
}

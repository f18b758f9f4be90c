using FastPath.Connmgr;
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
                c.Send(new SwitchConfig(fragFlags, (ushort)Math.Min(c.MissSendLength, ushort.MaxValue), false), xid);
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
                RequirePortOrAny(q.PortNo);

                // No port of FastPath has QoS queues (as an Open vSwitch port without a QoS record).
                c.Send(new QueueStatsReply([]), xid);
                return true;
            case QueueGetConfigRequest q:
                RequirePortOrAny(q.PortNo);
                c.Send(new QueueGetConfigReply(q.PortNo, []), xid);
                return true;
            case QueueDescRequest q:
                RequirePortOrAny(q.PortNo);
                c.Send(new QueueDescReply([]), xid);
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

        // A slave may set its own miss_send_len, not the switch's fragment handling (as Open vSwitch).
        if (!c.IsSlave)
        {
            // OFPC_FRAG_REASM is not offered: Open vSwitch also keeps the previous setting then.
            ushort frag = (ushort)(set.Flags & 3);
            if (frag != 2)
            {
                fragFlags = (ushort)((set.Flags & ~3) | frag);
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

    private void RequirePortOrAny(uint port)
    {
        if (port != OfPorts.Any && port != 0xffffffff && Ports.Find(port) is null)
        {
            throw new OfErrorException(OfError.QueueOpFailedBadPort, $"no port {OfPorts.Format(port)}");
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

    // What every table offers (they are all alike): the instructions, actions and fields FastPath supports, each
    // table able to go to any later one.
    private List<TableFeatures> BuildTableFeatures()
    {
        ushort[] instructions = [1, 2, 3, 4, 5, 6]; // goto_table, write_metadata, write/apply/clear_actions, meter
        ushort[] actions = [0, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]; // output, MPLS TTL, VLAN/MPLS push/pop, queue, group, NW TTL, set_field
        ulong[] match = [.. OfFields.All.Where(f => f.HasOxm).Select(f => (ulong)f.OxmHeader(false))];
        ulong[] writable = [.. OfFields.All.Where(f => f.HasOxm && f.Writable).Select(f => (ulong)f.OxmHeader(false))];
        var tables = new List<TableFeatures>(Options.Tables);
        for (int i = 0; i < Options.Tables; i++)
        {
            byte[] next = [.. Enumerable.Range(i + 1, Math.Max(0, Options.Tables - i - 1)).Select(t => (byte)t)];
            ushort[] ins = i == Options.Tables - 1 ? [.. instructions.Where(t => t != 1)] : instructions;
            tables.Add(new TableFeatures(
                (byte)i,
                "table" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
                    TableFeatureProperty.Oxms(TableFeaturePropType.Wildcards, match),
                    TableFeatureProperty.Oxms(TableFeaturePropType.WriteSetField, writable),
                    TableFeatureProperty.Oxms(TableFeaturePropType.WriteSetFieldMiss, writable),
                    TableFeatureProperty.Oxms(TableFeaturePropType.ApplySetField, writable),
                    TableFeatureProperty.Oxms(TableFeaturePropType.ApplySetFieldMiss, writable),
                ]));
        }

        return tables;
    }
}

using System.Diagnostics;
using FastPath.Connmgr;
using FastPath.Ofproto.Bridge;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.Ofproto.Service;

/// <summary>Flow-mods, flow and aggregate statistics, flow-removed notices and packet-ins.</summary>
public sealed partial class OpenFlowEndpoint
{
    /// <summary>Packet-ins delivered to at least one connection.</summary>
    public long PacketInsSent { get; private set; }

    /// <summary>Packet-ins no connection wanted.</summary>
    public long PacketInsUnwanted { get; private set; }

    /// <inheritdoc/>
    void IFlowRemovedSink.Deliver(FlowRemoved notice)
    {
        OfRule rule = notice.Rule;
        var message = new FlowRemovedMessage(rule.Spec, (OfFlowRemovedReason)notice.Reason, Stats(rule, Stopwatch.GetTimestamp()));
        foreach (OfConnection c in connections)
        {
            SendAsync(c, OfAsyncKind.FlowRemoved, (int)notice.Reason, message);
        }
    }

    /// <inheritdoc/>
    void IPacketInSink.Deliver(PacketIn packetIn)
    {
        bool sent = false;
        foreach (OfConnection c in connections)
        {
            ushort controllerId = extras[c].ControllerId;
            OpenFlowVersion version = c.Session.Version;
            if (controllerId != 0 || (packetIn.ImplicitMiss && version >= OpenFlowVersion.OF13))
            {
                // Misses go to controller id 0 only; a bare miss (no table-miss rule) only to OpenFlow 1.0-1.2.
                continue;
            }

            // Reasons OpenFlow 1.4 added are OFPR_ACTION to older versions, as Open vSwitch's wire_reason.
            OfPacketInReason reason = (OfPacketInReason)packetIn.Reason;
            if (version < OpenFlowVersion.OF14 && reason > OfPacketInReason.InvalidTtl)
            {
                reason = OfPacketInReason.Action;
            }

            byte[] data = packetIn.Data;
            if (reason == OfPacketInReason.NoMatch && data.Length > c.MissSendLength && c.MissSendLength < ushort.MaxValue)
            {
                data = data.AsSpan(0, Math.Max(0, c.MissSendLength)).ToArray();
            }

            var match = default(PipelineMatch);
            OfFields.InPort.Set(ref match, packetIn.InPort, OfFields.InPort.FullMask);
            if (packetIn.Metadata != 0)
            {
                OfFields.Metadata.Set(ref match, packetIn.Metadata, OfFields.Metadata.FullMask);
            }

            // A packet-out's own actions belong to no table: Open vSwitch reports table 0 (and no cookie) then.
            // A bare table miss (no table-miss rule) comes from Open vSwitch's built-in miss rule, whose cookie is 0.
            byte table = packetIn.TableId == 0xff ? (byte)0 : packetIn.TableId;
            ulong cookie = packetIn.ImplicitMiss ? 0 : packetIn.Cookie;
            var message = new PacketInMessage(
                FlowMod.NoBuffer, (ushort)Math.Min(packetIn.TotalLength, ushort.MaxValue), reason, table, cookie, match, data);
            sent |= SendAsync(c, OfAsyncKind.PacketIn, (int)reason, message);
        }

        if (sent)
        {
            PacketInsSent++;
        }
        else
        {
            PacketInsUnwanted++;
        }
    }

    /// <summary>Asynchronous messages a connection's session could not encode (dropped for that connection).</summary>
    public long AsyncUnencodable { get; private set; }

    // A message one connection's session cannot carry costs that connection its copy, never the ofproto thread
    // (these run inside upcall handling, where an exception would stop the slow path).
    private bool SendAsync(OfConnection c, OfAsyncKind kind, int reason, OfMessage message)
    {
        try
        {
            return c.SendAsyncMessage(kind, reason, message);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or OfErrorException)
        {
            AsyncUnencodable++;
            return false;
        }
    }

    private bool DispatchFlows(OfConnection c, OfRequest request)
    {
        uint xid = request.Xid;
        switch (request.Message)
        {
            case FlowModMessage m:
                ApplyFlowMod(c, m.Mod);
                return true;
            case FlowStatsRequest f:
                c.Send(new FlowStatsReply(FlowEntries(f)), xid);
                return true;
            case NxFlowStatsRequest f:
                c.Send(new NxFlowStatsReply(FlowEntries(f)), xid);
                return true;
            case AggregateStatsRequest a:
                {
                    (ulong packets, ulong bytes, uint flows) = Aggregate(a);
                    c.Send(new AggregateStatsReply(packets, bytes, flows), xid);
                    return true;
                }

            case NxAggregateStatsRequest a:
                {
                    (ulong packets, ulong bytes, uint flows) = Aggregate(a);
                    c.Send(new NxAggregateStatsReply(packets, bytes, flows), xid);
                    return true;
                }

            default:
                return false;
        }
    }

    // The table past the last one Open vSwitch offers to OpenFlow (n_tables is 254).
    private const byte HiddenTable = 254;

    private void ApplyFlowMod(OfConnection c, FlowMod mod)
    {
        RequireNotSlave(c);

        // Open vSwitch offers tables 0 to n_tables-1 to OpenFlow (255 = all, for modify and delete).
        byte table = mod.Rule.TableId;
        if (table == HiddenTable && !mod.AllTables)
        {
            // Open vSwitch keeps table 254 for itself, read-only, and refuses to change it with EPERM rather than
            // BAD_TABLE_ID; ovs-ofctl users see that error, so FastPath, which has no such table, answers alike.
            throw new OfErrorException(OfError.BadRequestPermission, $"table {table} is read-only");
        }

        if (table >= Options.Tables && !(mod.AllTables && mod.Command != FlowModCommand.Add))
        {
            throw new OfErrorException(OfprotoErrors.Of(FlowModError.BadTableId), $"no table {table}");
        }

        // OpenFlow 1.0 has no reset_counts flag: an add there always resets the counters of a rule it replaces,
        // which Open vSwitch records on the rule as reset_counts (ofputil_decode_flow_mod_flags), so an OpenFlow 1.3
        // dump of a flow ovs-ofctl added shows it. NXT_FLOW_MOD on a later version says it with its flags only.
        if (c.Session.Version == OpenFlowVersion.OF10 && mod.Command == FlowModCommand.Add)
        {
            mod = mod with { Rule = mod.Rule with { Flags = mod.Rule.Flags | FlowModFlags.ResetCounts } };
        }

        Bridge.Apply(mod);

        // Nothing is ever buffered (every packet-in carries its whole packet), so no buffer id names a packet;
        // the rule stands, as in Open vSwitch.
        if (mod.BufferId != FlowMod.NoBuffer)
        {
            throw new OfErrorException(OfError.BadRequestBufferUnknown, $"buffer {mod.BufferId} does not exist");
        }
    }

    private List<FlowStatsEntry> FlowEntries(FlowStatsFilter filter)
    {
        long now = Stopwatch.GetTimestamp();
        var entries = new List<FlowStatsEntry>();
        foreach (OfRule rule in Select(filter))
        {
            entries.Add(new FlowStatsEntry(rule.Spec, Stats(rule, now)));
        }

        return entries;
    }

    private (ulong Packets, ulong Bytes, uint Flows) Aggregate(FlowStatsFilter filter)
    {
        ulong packets = 0, bytes = 0;
        uint flows = 0;
        foreach (OfRule rule in Select(filter))
        {
            packets += (ulong)rule.Packets;
            bytes += (ulong)rule.Bytes;
            flows++;
        }

        return (packets, bytes, flows);
    }

    // A stats request selects what a non-strict delete with the same filter would, table by table in order,
    // higher priorities first within a table.
    private IEnumerable<OfRule> Select(FlowStatsFilter f)
    {
        if (f.TableId != FlowStatsFilter.AllTables && f.TableId >= Options.Tables)
        {
            throw new OfErrorException(OfError.BadRequestBadTableId, $"no table {f.TableId}");
        }

        var filter = new FlowMod(
            FlowModCommand.Delete,
            new FlowRule { TableId = f.TableId, Match = f.Match, Cookie = f.Cookie, CookieMask = f.CookieMask },
            f.OutPort,
            f.OutGroup,
            AllTables: f.TableId == FlowStatsFilter.AllTables);
        return Bridge.Pipeline.Select(filter, strict: false)
            .Where(r => r.TableId < Options.Tables)
            .OrderBy(r => r.TableId)
            .ThenByDescending(r => r.Spec.Priority);
    }

    private static FlowStats Stats(OfRule rule, long now)
    {
        TimeSpan age = Stopwatch.GetElapsedTime(rule.CreatedTicks, now);
        long ticks = Math.Max(0, age.Ticks);
        uint seconds = (uint)Math.Min(uint.MaxValue, ticks / TimeSpan.TicksPerSecond);
        // Millisecond precision, as Open vSwitch reports durations.
        uint nanos = (uint)(ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMillisecond * 1_000_000);
        int idle = (int)Math.Max(0, Stopwatch.GetElapsedTime(Math.Max(rule.LastUsedTicks, rule.CreatedTicks), now).TotalSeconds);
        return new FlowStats((ulong)rule.Packets, (ulong)rule.Bytes, seconds, nanos, idle, (int)seconds);
    }
}

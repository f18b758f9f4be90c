using FastPath.Connmgr;
using FastPath.Ofproto.Tables;
using FastPath.OpenFlow;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Monitor;

namespace FastPath.Ofproto.Service;

/// <summary>
/// Flow monitoring (NXST_FLOW_MONITOR, ONFST_FLOW_MONITOR, OFPMP_FLOW_MONITOR) as Open vSwitch 3.1's connmgr does it:
/// a connection's monitors select flows by table, match, out_port and out_group; the request is answered with the
/// flows they select now (initial), then every change to those flows, by whatever made it, goes to the connection as
/// one update message per change (a flow-mod, a timeout pass, a learn), the connection's own changes abbreviated to
/// their request's xid unless a monitor says "own". A connection that does not drain its updates is paused: once
/// more than <see cref="OpenFlowEndpointOptions.FlowMonitorPauseBytes"/> of them wait unsent it gets PAUSED, then
/// only the removals of flows it already knew, and when the backlog is written, the flows added or modified
/// meanwhile and RESUMED.
/// </summary>
public sealed partial class OpenFlowEndpoint : IFlowTableMonitor
{
    // Open vSwitch's monitor_seqno: orders rule additions and modifications against a connection's pause.
    private long monitorSeqno;

    // The connection and xid of the request being served: its own changes are abbreviated.
    private OfConnection? serving;
    private uint servingXid;
    private bool flushPosted;

    /// <summary>Times a connection's flow monitors paused because its updates were not drained.</summary>
    public long FlowMonitorPauses { get; private set; }

    /// <summary>Times a paused connection's flow monitors resumed.</summary>
    public long FlowMonitorResumes { get; private set; }

    /// <inheritdoc/>
    void IFlowTableMonitor.RuleAdded(OfRule rule)
    {
        rule.MonitorAddSeqno = rule.MonitorModifySeqno = ++monitorSeqno;
        Report(rule, FlowUpdateEvent.Added, FlowMonitorFlags.Add, 0, null);
    }

    /// <inheritdoc/>
    void IFlowTableMonitor.RuleModified(OfRule rule, OfInstructionSet oldInstructions)
    {
        rule.MonitorModifySeqno = ++monitorSeqno;
        Report(rule, FlowUpdateEvent.Modified, FlowMonitorFlags.Modify, 0, oldInstructions);
    }

    /// <inheritdoc/>
    void IFlowTableMonitor.RuleRemoved(OfRule rule, FlowRemovedReason reason) =>
        Report(rule, FlowUpdateEvent.Deleted, FlowMonitorFlags.Delete, (byte)reason, null);

    private bool DispatchMonitors(OfConnection c, OfRequest request)
    {
        switch (request.Message)
        {
            case FlowMonitorRequest r:
                AddMonitors(c, r, request.Xid);
                return true;
            case FlowMonitorCancel cancel:
                if (extras[c].FlowMonitor?.Monitors.Remove(cancel.Id) != true)
                {
                    throw new OfErrorException(OfError.FlowMonitorFailedUnknownMonitor, $"no flow monitor {cancel.Id}");
                }

                return true;
            default:
                return false;
        }
    }

    private void AddMonitors(OfConnection c, FlowMonitorRequest request, uint xid)
    {
        FlowMonitorState state = extras[c].FlowMonitor ??= NewMonitorState(c);
        var created = new List<FlowMonitorRequestEntry>();
        try
        {
            foreach (FlowMonitorRequestEntry m in request.Monitors)
            {
                if (m.Command != FlowMonitorCommand.Add && !state.Monitors.Remove(m.Id))
                {
                    // OpenFlow 1.4's modify and delete name a monitor that must exist.
                    throw new OfErrorException(OfError.FlowMonitorFailedUnknownMonitor, $"no flow monitor {m.Id}");
                }

                if (m.Command == FlowMonitorCommand.Delete)
                {
                    continue;
                }

                if (!state.Monitors.TryAdd(m.Id, m))
                {
                    throw new OfErrorException(OfError.FlowMonitorFailedMonitorExists, $"flow monitor {m.Id} exists");
                }

                created.Add(m);
            }
        }
        catch (OfErrorException)
        {
            // Nothing of a refused request stays, as in Open vSwitch.
            foreach (FlowMonitorRequestEntry m in created)
            {
                state.Monitors.Remove(m.Id);
            }

            throw;
        }

        var flags = new Dictionary<OfRule, FlowMonitorFlags>();
        var order = new List<OfRule>();
        foreach (FlowMonitorRequestEntry m in created)
        {
            if ((m.Flags & FlowMonitorFlags.Initial) != 0)
            {
                Collect(m, FlowMonitorFlags.Initial, seqno: 0, flags, order);
            }
        }

        c.Send(new FlowMonitorReply(Refresh(flags, order)), xid);
    }

    private FlowMonitorState NewMonitorState(OfConnection c)
    {
        var state = new FlowMonitorState();

        // The writer thread says when the last update is on the wire; resuming happens on the ofproto thread.
        state.Counter.Drained += () =>
        {
            if (Volatile.Read(ref state.PausedAt) != 0)
            {
                _ = Post(() => MaybeResume(c));
            }
        };
        return state;
    }

    // The rules monitor m selects now (seqno 0: all of them, as the initial dump) or that were added or modified
    // since the pause at seqno (Open vSwitch's ofproto_collect_ofmonitor_refresh_rule); each rule once, flags joined.
    private void Collect(FlowMonitorRequestEntry m, FlowMonitorFlags initial, long seqno, Dictionary<OfRule, FlowMonitorFlags> flags, List<OfRule> order)
    {
        var filter = new FlowMod(
            FlowModCommand.Delete,
            new FlowRule { TableId = m.TableId, Match = m.Match },
            m.OutPort,
            m.OutGroup,
            AllTables: m.TableId == FlowMonitorRequestEntry.AllTables);
        IEnumerable<OfRule> selected = Bridge.Pipeline.Select(filter, strict: false)
            .OrderBy(r => r.TableId)
            .ThenByDescending(r => r.Spec.Priority);
        foreach (OfRule rule in selected)
        {
            FlowMonitorFlags update = initial;
            if (seqno != 0)
            {
                update = rule.MonitorAddSeqno > seqno ? FlowMonitorFlags.Add | FlowMonitorFlags.Modify
                    : rule.MonitorModifySeqno > seqno ? FlowMonitorFlags.Modify
                    : FlowMonitorFlags.None;
                if ((m.Flags & update) == 0)
                {
                    continue;
                }
            }

            if (!flags.TryGetValue(rule, out FlowMonitorFlags f))
            {
                order.Add(rule);
            }

            flags[rule] = f | update | (m.Flags & FlowMonitorFlags.Actions);
        }
    }

    // Open vSwitch's ofmonitor_compose_refresh_updates: the initial dump's flows, or on resume added or modified.
    private static List<FlowUpdate> Refresh(Dictionary<OfRule, FlowMonitorFlags> flags, List<OfRule> order)
    {
        var updates = new List<FlowUpdate>(order.Count);
        foreach (OfRule rule in order)
        {
            FlowMonitorFlags f = flags[rule];
            FlowUpdateEvent ev = (f & FlowMonitorFlags.Initial) != 0 ? FlowUpdateEvent.Initial
                : (f & FlowMonitorFlags.Add) != 0 ? FlowUpdateEvent.Added
                : FlowUpdateEvent.Modified;
            updates.Add(new FlowUpdate(ev, Reported(rule, f)));
        }

        return updates;
    }

    private static FlowRule Reported(OfRule rule, FlowMonitorFlags flags) =>
        (flags & FlowMonitorFlags.Actions) != 0 ? rule.Spec : rule.Spec with { Instructions = OfInstructionSet.Drop };

    // Open vSwitch's ofmonitor_report: the update goes to every connection with a monitor that wants this kind of
    // change and selects the rule (or, for a modify, selected it by its old actions' out_port).
    private void Report(OfRule rule, FlowUpdateEvent ev, FlowMonitorFlags update, byte reason, OfInstructionSet? old)
    {
        foreach (OfConnection c in connections)
        {
            if (extras[c].FlowMonitor is not { } state || state.Monitors.Count == 0)
            {
                continue;
            }

            // Paused, a connection hears only of removals of the flows it knew before it paused.
            if (state.PausedAt != 0 && (ev != FlowUpdateEvent.Deleted || rule.MonitorAddSeqno > state.PausedAt))
            {
                continue;
            }

            FlowMonitorFlags flags = FlowMonitorFlags.None;
            foreach (FlowMonitorRequestEntry m in state.Monitors.Values)
            {
                if ((m.Flags & update) != 0 && Selects(m, rule, old))
                {
                    flags |= m.Flags;
                }
            }

            if (flags == FlowMonitorFlags.None)
            {
                continue;
            }

            if (state.Pending.Count == 0)
            {
                state.SentAbbreviation = false;
            }

            if ((flags & FlowMonitorFlags.Own) != 0 || c != serving || state.PausedAt != 0)
            {
                state.Pending.Add(new FlowUpdate(ev, Reported(rule, flags), reason));
            }
            else if (!state.SentAbbreviation)
            {
                state.Pending.Add(FlowUpdate.Abbreviated(servingXid));
                state.SentAbbreviation = true;
            }

            ScheduleMonitorFlush();
        }
    }

    private static bool Selects(FlowMonitorRequestEntry m, OfRule rule, OfInstructionSet? old)
    {
        FlowRule spec = rule.Spec;
        return (m.TableId == FlowMonitorRequestEntry.AllTables || m.TableId == spec.TableId)
            && (OfPipeline.OutputsTo(spec.Instructions, m.OutPort) || (old != null && OfPipeline.OutputsTo(old, m.OutPort)))
            && (OfPipeline.SendsToGroup(spec.Instructions, m.OutGroup) || (old != null && OfPipeline.SendsToGroup(old, m.OutGroup)))
            && IsLooseMatch(spec.Match, m.Match);
    }

    // The rule's match is at least as specific as the monitor's: every bit the monitor matches, the rule matches with
    // the same value (Open vSwitch's cls_rule_is_loose_match).
    private static bool IsLooseMatch(in PipelineMatch rule, in PipelineMatch criteria)
    {
        ReadOnlySpan<ulong> rk = rule.Key.ReadOnlyWords;
        ReadOnlySpan<ulong> rm = rule.Mask.ReadOnlyWords;
        ReadOnlySpan<ulong> ck = criteria.Key.ReadOnlyWords;
        ReadOnlySpan<ulong> cm = criteria.Mask.ReadOnlyWords;
        for (int i = 0; i < PipelineKey.Words; i++)
        {
            if ((cm[i] & ~rm[i]) != 0 || ((rk[i] ^ ck[i]) & cm[i]) != 0)
            {
                return false;
            }
        }

        return true;
    }

    // Updates made while serving a request go out when it is served (before anything it answers later); others (a
    // timeout pass, a learned flow) once the work that made them is done: one update message per change, as OVS.
    private void ScheduleMonitorFlush()
    {
        if (serving != null || flushPosted)
        {
            return;
        }

        flushPosted = true;
        _ = Post(() =>
        {
            flushPosted = false;
            FlushMonitors();
        });
    }

    // Open vSwitch's ofmonitor_flush: each connection's pending updates as one reply (split if long), then PAUSED if
    // its unsent updates passed the bound.
    private void FlushMonitors()
    {
        foreach (OfConnection c in connections)
        {
            if (extras[c].FlowMonitor is not { } state || state.Pending.Count == 0)
            {
                continue;
            }

            List<FlowUpdate> updates = state.Pending;
            state.Pending = [];
            SendMonitorMessage(c, new FlowMonitorReply(updates), state);
            if (state.PausedAt == 0 && state.Counter.Bytes > Options.FlowMonitorPauseBytes)
            {
                // Paused before PAUSED is queued: the writer's drained signal must find the connection paused.
                Volatile.Write(ref state.PausedAt, ++monitorSeqno);
                FlowMonitorPauses++;
                SendMonitorMessage(c, Marker(c, resumed: false), state);
            }
        }
    }

    private void MaybeResume(OfConnection c)
    {
        if (!extras.TryGetValue(c, out ConnectionExtras? x) || x.FlowMonitor is not { } state || state.PausedAt == 0 || state.Counter.Messages != 0)
        {
            return;
        }

        // Open vSwitch's ofmonitor_resume: what was added or modified while paused, then RESUMED.
        var flags = new Dictionary<OfRule, FlowMonitorFlags>();
        var order = new List<OfRule>();
        foreach (FlowMonitorRequestEntry m in state.Monitors.Values)
        {
            Collect(m, FlowMonitorFlags.None, state.PausedAt, flags, order);
        }

        Volatile.Write(ref state.PausedAt, 0);
        FlowMonitorResumes++;
        if (order.Count > 0)
        {
            SendMonitorMessage(c, new FlowMonitorReply(Refresh(flags, order)), null);
        }

        SendMonitorMessage(c, Marker(c, resumed: true), null);
    }

    // OpenFlow 1.4 says paused and resumed with an update; earlier versions with a message of their own.
    private static OfMessage Marker(OfConnection c, bool resumed) => c.Session.Version >= OpenFlowVersion.OF14
        ? new FlowMonitorReply([new FlowUpdate(resumed ? FlowUpdateEvent.Resumed : FlowUpdateEvent.Paused, null)])
        : new FlowMonitorPaused(resumed);

    private void SendMonitorMessage(OfConnection c, OfMessage message, FlowMonitorState? counted)
    {
        try
        {
            _ = counted is null ? c.Send(message, 0) : c.SendCounted(message, 0, counted.Counter);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or OfErrorException)
        {
            // A flow the connection's version cannot express costs that connection its update, as other async messages.
            AsyncUnencodable++;
        }
    }

    // One connection's flow monitors (Open vSwitch keeps these in its ofconn).
    private sealed class FlowMonitorState
    {
        // Set on the ofproto thread, read by the connection's writer (Drained).
        public long PausedAt;

        public Dictionary<uint, FlowMonitorRequestEntry> Monitors { get; } = [];

        public List<FlowUpdate> Pending { get; set; } = [];

        public bool SentAbbreviation { get; set; }

        public OfSendCounter Counter { get; } = new();
    }
}

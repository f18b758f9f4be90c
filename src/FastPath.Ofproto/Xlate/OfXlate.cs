using System.Buffers.Binary;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Upcalls;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Ports;
using FastPath.OpenFlow.Rules;
using FastPath.Packets;

namespace FastPath.Ofproto.Xlate;

/// <summary>
/// Xlate: runs a flow through the OpenFlow pipeline and returns the datapath actions and the widest megaflow
/// that keeps them right, as Open vSwitch's ofproto-dpif-xlate does.
/// </summary>
/// <remarks>
/// <para>
/// The megaflow's mask is the union of what the table lookups had to look at (the classifier's wildcard
/// tracking), of what actions depended on (in_port always; dl_type and nw_proto for the protocol-specific
/// sets; the tag's presence for VLAN pushes and pops; a bit of the TTL for dec_ttl), minus every bit the
/// actions themselves wrote before a later lookup read it (those bits are constants of the translation, not
/// of the packet). Rewrites are committed as masked sets (<see cref="PendingSets"/>), so a rewritten field is
/// never matched.
/// </para>
/// <para>
/// NORMAL is in OfXlate.Normal.cs, meters in OfXlate.Meters.cs, groups in OfXlate.Groups.cs. Not yet: lookups after
/// pop_mpls (such a translation is refused and the packet dropped, counted).
/// </para>
/// </remarks>
public sealed partial class OfXlate : IFlowTranslator
{
    private readonly OfPipeline pipeline;
    private readonly BridgePorts ports;
    private readonly IPacketInSink? packetIns;
    private readonly XlateOptions options;
    private readonly ControllerContexts controllers = new();
    private readonly TranslationInterner interner = new();
    private bool tableMissToController;
    private ushort missSendLength;
    private bool failOpen;
    private long settingsVersion;
    private Context? spareContext;

    // What a packet-out's actions run "in": no table (OFPTT_ALL) and an all-ones cookie, as Open vSwitch
    // reports the packet-ins such actions cause.
    private static readonly OfRule PacketOutRule = new(new FlowRule { TableId = 0xff, Cookie = ulong.MaxValue }, 0);

    /// <summary>Translates through <paramref name="pipeline"/> for a bridge with <paramref name="ports"/>, sending packet-ins to <paramref name="packetIns"/>.</summary>
    public OfXlate(OfPipeline pipeline, BridgePorts ports, IPacketInSink? packetIns = null, XlateOptions? options = null)
    {
        this.pipeline = pipeline;
        this.ports = ports;
        this.packetIns = packetIns;
        this.options = options ?? new XlateOptions();
        tableMissToController = this.options.TableMissToController;
        missSendLength = this.options.MissSendLength;
    }

    /// <inheritdoc/>
    public long Version => pipeline.Version + ports.Version + NormalVersion + settingsVersion;

    /// <summary>
    /// What a table miss does now (starts as <see cref="XlateOptions.TableMissToController"/>): Open vSwitch sends
    /// misses to the controller while some connection speaks OpenFlow 1.0-1.2, so the OpenFlow front end flips
    /// it as connections come and go. A change makes every megaflow translate again.
    /// </summary>
    public bool TableMissToController
    {
        get => tableMissToController;
        set
        {
            if (value != tableMissToController)
            {
                tableMissToController = value;
                settingsVersion++;
            }
        }
    }

    /// <summary>Bytes of a missed packet the datapath hands up for the controller (connections cut it further to their miss_send_len).</summary>
    public ushort MissSendLength
    {
        get => missSendLength;
        set
        {
            if (value != missSendLength)
            {
                missSendLength = value;
                settingsVersion++;
            }
        }
    }

    /// <summary>
    /// Fail-open (Open vSwitch's fail_mode=standalone with its controllers lost): every packet is switched by
    /// NORMAL, above every OpenFlow rule, as OVS's hidden fail-open flow does. A change makes every megaflow translate again.
    /// </summary>
    public bool FailOpen
    {
        get => failOpen;
        set
        {
            if (value != failOpen)
            {
                failOpen = value;
                settingsVersion++;
            }
        }
    }

    /// <summary>Translations refused (an unsupported combination), each dropping its packet.</summary>
    public long Failures { get; private set; }

    /// <summary>Why the last translation was refused.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>Action upcalls whose cookie named no controller context.</summary>
    public long UnknownActionUpcalls { get; private set; }

    /// <summary>Packet-ins the controller meter dropped.</summary>
    public long PacketInsMetered { get; private set; }

    /// <inheritdoc/>
    public bool Translate(in FlowKey key, ReadOnlySpan<byte> packet, out FlowTranslation translation)
    {
        // Only a real packet teaches NORMAL its source (a revalidation passes none), as Open vSwitch's allow_side_effects.
        bool mayLearn = !packet.IsEmpty;

        // The context is reused from one translation to the next; taken while in use, so a translation started
        // inside another (none is today) would get a context of its own.
        Context ctx;
        if (spareContext is { } spare)
        {
            spareContext = null;
            spare.Reset(key, mayLearn);
            ctx = spare;
        }
        else
        {
            ctx = new Context(this, key) { MayLearn = mayLearn };
        }

        try
        {
            if (!ctx.Run(out string? error))
            {
                Failures++;
                LastFailure = error;
                translation = default;
                return false;
            }

            translation = new FlowTranslation
            {
                Megaflow = new FlowMatch(key, ctx.MegaflowMask),
                Actions = interner.Program(ctx.Actions.AsSpan()),
                Install = true,
                Credited = interner.Credited(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ctx.Rules), Version),
            };
            return true;
        }
        finally
        {
            spareContext = ctx;
        }
    }

    /// <summary>
    /// Translates a packet-out: <paramref name="actions"/> run on the packet <paramref name="key"/> describes
    /// (its in_port may be <see cref="OfPorts.Controller"/> for none), output:TABLE sending it through the tables
    /// from table 0. The result is datapath actions to execute once; nothing is installed. False if the
    /// translation is refused (<paramref name="error"/> says why).
    /// </summary>
    /// <param name="key">The packet's flow.</param>
    /// <param name="actions">The packet-out's actions.</param>
    /// <param name="datapathActions">What the datapath executes.</param>
    /// <param name="error">Why the translation was refused.</param>
    /// <param name="packetBytes">The packet's length: the rules and tables output:TABLE passed through are credited with it, as Open vSwitch does.</param>
    public bool TranslatePacketOut(in FlowKey key, IReadOnlyList<OfAction> actions, out byte[] datapathActions, out string? error, int packetBytes = 0)
    {
        // A packet the controller sends teaches NORMAL its source as a received one would (Open vSwitch's
        // packet-outs run with side effects allowed).
        var ctx = new Context(this, key) { MayLearn = true };
        if (!ctx.RunPacketOut(actions, out error))
        {
            Failures++;
            LastFailure = error;
            datapathActions = [];
            return false;
        }

        datapathActions = ctx.Actions.ToArray();
        FlowStatsCredit.CreditAll(ctx.Rules, 1, packetBytes, System.Diagnostics.Stopwatch.GetTimestamp());
        return true;
    }

    /// <summary>Translates like <see cref="Translate"/> and also says, step by step, what happened (for ofproto/trace).</summary>
    /// <param name="key">The flow.</param>
    /// <param name="learn">Whether NORMAL learns the source as for a real packet (ofproto/trace's -generate); by default a trace changes nothing.</param>
    public XlateTrace Trace(in FlowKey key, bool learn = false)
    {
        var trace = new XlateTrace();
        var ctx = new Context(this, key) { Trace = trace, MayLearn = learn };
        trace.Succeeded = ctx.Run(out string? error);
        trace.Error = error;
        trace.Megaflow = new FlowMatch(key, ctx.MegaflowMask);
        trace.Actions = ctx.Actions.ToArray();
        trace.FinalFlow = ctx.Flow;
        return trace;
    }

    /// <inheritdoc/>
    public void OnActionUpcall(in Upcall upcall)
    {
        if (!controllers.TryGet(upcall.Cookie, out ControllerContexts.Context c))
        {
            UnknownActionUpcalls++;
            return;
        }

        ReadOnlySpan<byte> data = upcall.Packet;
        if (Meters is not null && !Meters.AdmitPacketIn(upcall.Length))
        {
            PacketInsMetered++;
            return;
        }

        int keep = Math.Min(data.Length, c.MaxLen);
        uint inPort = upcall.InPort == ports.LocalPort ? OfPorts.Local : upcall.InPort;
        packetIns?.Deliver(new PacketIn(c.Reason, c.TableId, c.RuleCookie, inPort, c.Metadata, data[..keep].ToArray(), upcall.Length, c.ImplicitMiss));
    }

    // One translation: the working flow, what it depended on, what it wrote, and the actions so far.
    private sealed partial class Context
    {
        private readonly OfXlate x;
        private uint inPort;
        private bool inputTagged;
        private readonly PendingSets pending = new();
        private readonly List<OfAction> actionSet = [];
        private PipelineKey flow;
        private PipelineKey wildcards;
        private PipelineKey written;
        private bool mplsReinterpreted;
        private bool mplsPopped;
        private bool stopped;
        private bool exited;

        public Context(OfXlate x, in FlowKey key)
        {
            this.x = x;
            Start(key);
        }

        /// <summary>
        /// Makes this context a fresh translation of <paramref name="key"/>, as the constructor does, so the upcall
        /// path reuses one context instead of allocating one (about a kilobyte) per flow set up. Every field of
        /// every part of the class is set here.
        /// </summary>
        public void Reset(in FlowKey key, bool mayLearn)
        {
            pending.Clear();
            actionSet.Clear();
            Actions.Clear();
            Rules.Clear();
            wildcards = default;
            written = default;
            mplsReinterpreted = false;
            mplsPopped = false;
            stopped = false;
            exited = false;
            groupDepth = 0;
            committedInBucket = default;
            restoredInBucket = default;
            restoreDeps = default;
            restoresWaiting = false;
            headerNotRestored = false;
            normalRestore = null;
            depth = 0;
            resubmits = 0;
            MayLearn = mayLearn;
            Start(key);
        }

        private void Start(in FlowKey key)
        {
            flow = PipelineKey.FromPacket(key);
            inPort = key.InPort;

            // The tables see the bridge's own port as OpenFlow's LOCAL, whatever datapath number carries it.
            if (x.ports.LocalPort == inPort)
            {
                flow.PacketPart.InPort = OfPorts.Local;
            }
            inputTagged = (key.Vlan0Tci & FlowKey.VlanCfi) != 0;

            // A megaflow always names its input port (outputs are relative to it) and its recirculation id.
            wildcards.Bytes.Slice(FlowKey.Offsets.InPort, 8).Fill(0xff);
        }

        public XlateTrace? Trace { get; init; }

        public ActionProgramBuilder Actions { get; } = new();

        public List<IFlowStatsSink> Rules { get; } = [];

        public PipelineKey Flow => flow;

        public FlowKey MegaflowMask
        {
            get
            {
                PipelineKey w = wildcards;
                Span<byte> m = w.Bytes;
                if ((m[FlowKey.Offsets.Vlan0 + 2] & 0x10) != 0 && !inputTagged)
                {
                    // An untagged packet's key has both tags zero, so matching "no tag" already fixes them:
                    // the VID or PCP bits a table looked at (its rule wanted a tag) add nothing. Dropping them
                    // gives the mask Open vSwitch's datapath installs (no VLAN in the key) and lets such
                    // megaflows share masks.
                    m.Slice(FlowKey.Offsets.Vlan0, 8).Clear();
                    m[FlowKey.Offsets.Vlan0 + 2] = 0x10;
                }

                return w.PacketPart;
            }
        }

        public bool Run(out string? error)
        {
            try
            {
                RunTables();
                error = null;
                return true;
            }
            catch (XlateException e)
            {
                error = e.Message;
                Trace?.Note($"translation refused: {e.Message}");
                return false;
            }
        }

        public bool RunPacketOut(IReadOnlyList<OfAction> actions, out string? error)
        {
            try
            {
                foreach (OfAction a in actions)
                {
                    if (stopped)
                    {
                        break;
                    }

                    if (a is OutputAction { Port: OfPorts.Table })
                    {
                        RunTables();
                    }
                    else
                    {
                        Do(a, PacketOutRule);
                    }
                }

                Commit();
                error = null;
                return true;
            }
            catch (XlateException e)
            {
                error = e.Message;
                return false;
            }
        }

        private void RunTables()
        {
            if (!x.ports.CanReceive(inPort))
            {
                Trace?.Add($"port {inPort} is down or no_recv: the packet is dropped");
                return;
            }

            if (x.FailOpen)
            {
                Trace?.Add("fail-open: NORMAL switches every packet while the controllers are lost");
                Normal();
                return;
            }

            OfRule? last = RunChain(0, lookupPort: null);

            // The pipeline ends here, and its action set runs. After a miss too, as in Open vSwitch (OpenFlow 1.3
            // would drop the packet; Open vSwitch, the oracle, executes what earlier tables wrote).
            if (last != null)
            {
                RunActionSet(last);
            }
        }

        /// <summary>
        /// Looks <paramref name="table"/> up (as if the packet came in on <paramref name="lookupPort"/>, for a
        /// resubmit that names one) and runs the rule found, following its goto_table chain; returns the last
        /// rule matched. The first lookup of a resubmit never sends a miss to the controller, as in Open vSwitch.
        /// </summary>
        private OfRule? RunChain(byte table, uint? lookupPort)
        {
            bool resubmitted = lookupPort is not null;
            OfRule? last = null;
            int gotos = 0;
            for (int passes = 0; passes < x.options.MaxTables && !stopped; passes++)
            {
                if (mplsPopped)
                {
                    throw new XlateException("a table lookup after pop_mpls needs the packet parsed again, which FastPath's xlate does not do yet");
                }

                PipelineKey lookupWc = default;
                OfRule? rule;
                if (passes == 0 && lookupPort is uint port && port != OfPorts.InPort)
                {
                    // The port is the lookup's only: actions and later lookups see the packet's own.
                    uint own = flow.PacketPart.InPort;
                    flow.PacketPart.InPort = port;
                    rule = x.pipeline.Table(table).Lookup(flow, ref lookupWc);
                    flow.PacketPart.InPort = own;
                }
                else
                {
                    rule = x.pipeline.Table(table).Lookup(flow, ref lookupWc);
                }

                Depend(lookupWc);
                Rules.Add(rule == null ? x.pipeline.Counters(table).Missed : x.pipeline.Counters(table).Matched);
                if (rule == null)
                {
                    bool toController = x.TableMissToController && !(resubmitted && passes == 0);
                    Trace?.Miss(table, toController);
                    if (toController && (x.ports.ConfigOf(inPort) & OfPortConfig.NoPacketIn) == 0)
                    {
                        Commit();
                        ulong cookie = x.controllers.CookieOf(PacketInReason.NoMatch, table, ulong.MaxValue, x.MissSendLength, flow.Metadata, implicitMiss: true);
                        Actions.Userspace(cookie);
                        Trace?.Add("    -> table miss: sent to the controller");
                    }

                    break;
                }

                last = rule;
                Rules.Add(rule);
                Trace?.Rule(table, rule);
                OfInstructionSet ins = rule.Spec.Instructions;
                if (ins.Meter is uint meter)
                {
                    Meter(meter);
                }

                // Indexed, as below: a foreach over the interface allocates an enumerator on every lookup.
                IReadOnlyList<OfAction> apply = ins.ApplyActions;
                for (int i = 0; i < apply.Count && !stopped; i++)
                {
                    Do(apply[i], rule);
                }

                if (exited)
                {
                    break;
                }

                if (ins.ClearActions)
                {
                    actionSet.Clear();
                }

                if (ins.WriteActions != null)
                {
                    IReadOnlyList<OfAction> write = ins.WriteActions;
                    for (int i = 0; i < write.Count; i++)
                    {
                        WriteToSet(write[i]);
                    }
                }

                Trace?.Instructions(ins, flow, actionSet);
                if (ins.WriteMetadata is (ulong value, ulong mask))
                {
                    flow.Metadata = (flow.Metadata & ~mask) | (value & mask);
                }

                if (ins.GotoTable is not byte next)
                {
                    break;
                }

                // Open vSwitch's trace nests the next table under this one, as a resubmit's.
                Trace?.Add($"    goto_table:{next}");
                Trace?.BeginResubmit();
                gotos++;
                table = next;
            }

            for (; gotos > 0; gotos--)
            {
                Trace?.EndResubmit();
            }

            return last;
        }

        private void RunActionSet(OfRule rule)
        {
            if (actionSet.Count == 0)
            {
                // Most translations write no action set: the ordering below (an iterator) is then not made at all.
                return;
            }

            Trace?.ExecutingActionSet();

            foreach (OfAction a in OrderedActionSet())
            {
                if (stopped)
                {
                    break;
                }

                Do(a, rule);
            }
        }

        // Lookup wildcards count only where the packet still decides: bits an action wrote are constants here.
        private void Depend(in PipelineKey lookupWc)
        {
            Span<ulong> w = wildcards.AsWords;
            ReadOnlySpan<ulong> l = lookupWc.ReadOnlyWords;
            ReadOnlySpan<ulong> c = written.ReadOnlyWords;
            for (int i = 0; i < PipelineKey.Words; i++)
            {
                w[i] |= l[i] & ~c[i];
            }

            if (mplsReinterpreted)
            {
                // After an MPLS push the L3 words hold a label stack derived from the packet's IP header:
                // a lookup on them depends on that whole header.
                for (int i = FlowKey.StageStartWords[2]; i < FlowKey.StageStartWords[3]; i++)
                {
                    w[i] = ulong.MaxValue;
                }
            }
        }

        private void UnWildcard(int offset, ReadOnlySpan<byte> mask)
        {
            Span<byte> w = wildcards.Bytes.Slice(offset, mask.Length);
            ReadOnlySpan<byte> c = written.ReadOnlyBytes.Slice(offset, mask.Length);
            for (int i = 0; i < mask.Length; i++)
            {
                w[i] |= (byte)(mask[i] & ~c[i]);
            }
        }

        private void Commit()
        {
            RestoreVlansAfterNormal();
            BeforeCommit();
            if (!pending.Commit(flow, ref wildcards, Actions, out string? error))
            {
                throw new XlateException(error!);
            }
        }

        private void Write(OfField field, UInt128 value, UInt128 mask)
        {
            field.WriteMasked(ref flow, value, mask);
            PipelineKey bits = default;
            field.WriteMasked(ref bits, mask, mask);
            ReadOnlySpan<byte> keyMask = bits.ReadOnlyBytes.Slice(field.KeyOffset, field.KeyLength);
            Span<byte> wr = written.Bytes.Slice(field.KeyOffset, field.KeyLength);
            for (int i = 0; i < keyMask.Length; i++)
            {
                wr[i] |= keyMask[i];
            }

            if (field.KeyOffset < FlowKey.Size)
            {
                pending.Mark(field.KeyOffset, keyMask);
            }
        }

        private void Do(OfAction action, OfRule rule)
        {
            Trace?.Action(action, flow);
            switch (action)
            {
                case OutputAction o:
                    Output(o, rule);
                    break;
                case SetFieldAction s:
                    Write(s.Field, s.Value, s.Mask);
                    break;
                case SetNwTtlAction t:
                    Write(OfFields.NwTtl, t.Ttl, 0xff);
                    break;
                case MoveAction m:
                    Move(m);
                    break;
                case SetVlanVidAction v:
                    SetVlan(vid: v.Vid, pcp: null);
                    break;
                case SetVlanPcpAction p:
                    SetVlan(vid: null, pcp: p.Pcp);
                    break;
                case PushVlanAction p:
                    // As Open vSwitch does, the new tag starts at VID 0, PCP 0 whatever tag it goes over (OpenFlow
                    // 1.3 would copy the outer tag's; OVS, the oracle, does not, and neither does FastPath).
                    PushVlan(p.EtherType, 0);
                    break;
                case PopVlanAction:
                    PopVlan();
                    break;
                case DecTtlAction:
                    DecTtl(rule);
                    break;
                case PushMplsAction pm:
                    Commit();
                    Actions.PushMpls(pm.EtherType);
                    UnWildcard(FlowKey.Offsets.DlType, [0xff, 0xff]);
                    flow.PacketPart.EthType = pm.EtherType;
                    mplsReinterpreted = true;
                    break;
                case PopMplsAction pp:
                    Commit();
                    UnWildcard(FlowKey.Offsets.DlType, [0xff, 0xff]);
                    if (EtherTypes.IsMpls(flow.PacketPart.EthType))
                    {
                        Actions.PopMpls(pp.EtherType);
                        flow.PacketPart.EthType = pp.EtherType;
                        mplsPopped = true;
                    }

                    break;
                case SetMplsLabelAction l:
                    Write(OfFields.MplsLabel, l.Label, 0xfffff);
                    break;
                case SetMplsTcAction tc:
                    Write(OfFields.MplsTc, tc.Tc, 7);
                    break;
                case SetMplsTtlAction mt:
                    Write(OfFields.MplsTtl, mt.Ttl, 0xff);
                    break;
                case DecMplsTtlAction:
                    Commit();
                    Actions.DecMplsTtl();
                    break;
                case GroupAction g:
                    Group(g, rule);
                    break;
                case SetQueueAction:
                    // No QoS queues on FastPath's ports: selecting one changes nothing, as on an OVS port without QoS.
                    break;
                case ResubmitAction r:
                    Resubmit(r, rule);
                    break;
                case OutputRegAction o:
                    OutputReg(o, rule);
                    break;
                case NoteAction:
                    break;
                case LearnAction l:
                    Learn(l);
                    break;
                case ExitAction:
                    // Everything stops, the action set too (Open vSwitch 3.1 prints the action set's header and runs none of it).
                    stopped = exited = true;
                    break;
                default:
                    throw new XlateException($"{action.GetType().Name} is not translated yet");
            }
        }

        private void Output(OutputAction o, OfRule rule)
        {
            switch (o.Port)
            {
                case OfPorts.InPort:
                    Commit();
                    SendTo(inPort);
                    break;
                case OfPorts.All:
                case OfPorts.Flood:
                    Commit();
                    foreach (uint p in x.ports.Numbers)
                    {
                        if (p != inPort && (o.Port == OfPorts.All || !x.ports.IsNoFlood(p)))
                        {
                            SendTo(p);
                        }
                    }

                    break;
                case OfPorts.Local:
                    if (x.ports.LocalPort is uint local && local != inPort)
                    {
                        Commit();
                        SendTo(local);
                    }

                    break;
                case OfPorts.Controller:
                    Commit();
                    Actions.Userspace(x.controllers.CookieOf(ControllerReason(rule), rule.TableId, rule.Spec.Cookie, o.MaxLen, flow.Metadata));
                    break;
                case OfPorts.Normal:
                    Normal();
                    break;
                default:
                    // OpenFlow never sends a packet back where it came in unless told IN_PORT; nor to a port the bridge lacks.
                    if (o.Port != inPort && x.ports.Contains(o.Port))
                    {
                        Commit();
                        SendTo(o.Port);
                    }
                    else
                    {
                        Trace?.Note(o.Port == inPort ? "skipping output to input port" : "Nonexistent output port");
                    }

                    break;
            }
        }

        // A port administratively down or set no_fwd sends nothing (OpenFlow port-mod).
        private void SendTo(uint port)
        {
            if (x.ports.CanSend(port))
            {
                Actions.Output(port);
            }
            else
            {
                Trace?.Note($"port {port} is down or no_fwd: not sent");
            }
        }

        // Open vSwitch reports a table-miss rule's (priority 0, matching everything) output as a miss, as OpenFlow
        // 1.3 says; a packet-out's as the packet-out.
        private static PacketInReason ControllerReason(OfRule rule) =>
            ReferenceEquals(rule, PacketOutRule) ? PacketInReason.PacketOut
            : rule.Spec.Priority == 0 && rule.Spec.Match.Mask.Equals(default(PipelineKey)) ? PacketInReason.NoMatch
            : PacketInReason.Action;

        private void Move(MoveAction m)
        {
            UInt128 bits = m.Bits == 128 ? UInt128.MaxValue : (UInt128.One << m.Bits) - 1;

            // The value read is the packet's where no action wrote it: the megaflow must match those bits.
            PipelineKey sourceMask = default;
            m.Source.WriteMasked(ref sourceMask, bits << m.SourceOffset, bits << m.SourceOffset);
            UnWildcard(m.Source.KeyOffset, sourceMask.ReadOnlyBytes.Slice(m.Source.KeyOffset, m.Source.KeyLength));
            UInt128 value = (m.Source.Read(flow) >> m.SourceOffset) & bits;
            Write(m.Destination, value << m.DestinationOffset, bits << m.DestinationOffset);
        }

        private bool HasTag(out ushort tci)
        {
            // Whether the packet has a tag is a packet property: the megaflow matches the key's "present" bit.
            UnWildcard(FlowKey.Offsets.Vlan0 + 2, [0x10, 0x00]);
            tci = flow.PacketPart.Vlan0Tci;
            return (tci & FlowKey.VlanCfi) != 0;
        }

        private void SetVlan(ushort? vid, byte? pcp)
        {
            if (!HasTag(out _))
            {
                // OpenFlow 1.0's mod_vlan_vid/mod_vlan_pcp push a tag on an untagged packet.
                ushort tci = (ushort)(((pcp ?? 0) << 13) | (vid ?? 0));
                PushVlan(EtherTypes.Vlan8021Q, tci);
                return;
            }

            if (vid is ushort v)
            {
                Write(OfFields.VlanVid, (UInt128)(0x1000 | v), 0x0fff);
            }

            if (pcp is byte p)
            {
                Write(OfFields.VlanPcp, p, 7);
            }
        }

        private void PushVlan(ushort tpid, ushort tci)
        {
            Commit();
            Actions.PushVlan(tpid, tci);
            Span<byte> k = flow.Bytes;
            k.Slice(FlowKey.Offsets.Vlan0, 4).CopyTo(k.Slice(FlowKey.Offsets.Vlan1, 4));
            BinaryPrimitives.WriteUInt16BigEndian(k[FlowKey.Offsets.Vlan0..], tpid);
            BinaryPrimitives.WriteUInt16BigEndian(k[(FlowKey.Offsets.Vlan0 + 2)..], (ushort)(tci | FlowKey.VlanCfi));

            // The new tag is the translation's own: later lookups on it depend on no packet bit.
            written.Bytes.Slice(FlowKey.Offsets.Vlan0, 4).Fill(0xff);
        }

        private void PopVlan()
        {
            Commit();
            if (!HasTag(out _))
            {
                return;
            }

            Actions.PopVlan();
            Span<byte> k = flow.Bytes;
            k.Slice(FlowKey.Offsets.Vlan1, 4).CopyTo(k.Slice(FlowKey.Offsets.Vlan0, 4));
            k.Slice(FlowKey.Offsets.Vlan1, 4).Clear();
            pending.Forget(FlowKey.Offsets.Vlan0, 4);
        }

        private void DecTtl(OfRule rule)
        {
            UnWildcard(FlowKey.Offsets.DlType, [0xff, 0xff]);
            ushort dlType = flow.PacketPart.EthType;
            if (dlType != EtherTypes.Ipv4 && dlType != EtherTypes.Ipv6)
            {
                // Open vSwitch's dec_ttl leaves a packet without an IP TTL alone.
                return;
            }

            byte ttl = flow.PacketPart.NwTtl;
            if (ttl <= 1)
            {
                // Invalid TTL: the packet goes to the controller (if it asked for these) and no further.
                UnWildcard(FlowKey.Offsets.NwTtl, [0xff]);
                Commit();
                Actions.Userspace(x.controllers.CookieOf(PacketInReason.InvalidTtl, rule.TableId, rule.Spec.Cookie, ushort.MaxValue, flow.Metadata));
                stopped = true;
                Trace?.Add("    dec_ttl: invalid TTL, to the controller");
                return;
            }

            // TTL above 1 is all the decrement needs to know: its highest set bit proves it for every packet that shares it.
            UnWildcard(FlowKey.Offsets.NwTtl, [(byte)(1 << (7 - byte.LeadingZeroCount(ttl)))]);
            Commit();
            Actions.DecTtl();
            flow.PacketPart.NwTtl = (byte)(ttl - 1);
        }

        // The action set keeps one action of each kind (one set-field per field), the later write winning.
        private void WriteToSet(OfAction a)
        {
            int i = actionSet.FindIndex(e => SameSlot(e, a));
            if (i >= 0)
            {
                actionSet[i] = a;
            }
            else
            {
                actionSet.Add(a);
            }
        }

        private static bool SameSlot(OfAction a, OfAction b) =>
            a is SetFieldAction sa && b is SetFieldAction sb ? sa.Field == sb.Field : a.GetType() == b.GetType();

        // OpenFlow 1.3's order for the action set (5.10): copy TTL inwards, pops, push-MPLS, push-VLAN, copy TTL
        // outwards, decrement TTL, sets, QoS, group, output (output only without a group).
        private IEnumerable<OfAction> OrderedActionSet()
        {
            static int Rank(OfAction a) => a switch
            {
                PopVlanAction or PopMplsAction => 1,
                PushMplsAction => 2,
                PushVlanAction => 3,
                DecTtlAction or DecMplsTtlAction => 4,
                SetFieldAction or SetNwTtlAction or SetVlanVidAction or SetVlanPcpAction or SetMplsLabelAction or SetMplsTcAction or SetMplsTtlAction or MoveAction => 5,
                SetQueueAction => 6,
                GroupAction => 7,
                OutputAction => 8,
                _ => 5,
            };

            bool hasGroup = actionSet.Any(a => a is GroupAction);
            return actionSet.Where(a => !(hasGroup && a is OutputAction)).OrderBy(Rank);
        }
    }
}

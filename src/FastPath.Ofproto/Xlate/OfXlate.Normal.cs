using FastPath.Ofproto.Normal;
using FastPath.Ofproto.Upcalls;
using FastPath.OpenFlow.Fields;
using FastPath.Packets;

namespace FastPath.Ofproto.Xlate;

/// <summary>
/// The NORMAL action in xlate: <see cref="NormalSwitch"/> decides (learning the source when a real packet is
/// translated), and the decision becomes outputs with the VLAN pushes, pops and sets each port needs, plus the
/// megaflow bits it depended on (in_port, both addresses, dl_type and the VLAN headers, as in Open vSwitch).
/// </summary>
/// <remarks>
/// <para>
/// Each output's VLAN change is relative to the frame as NORMAL saw it; the datapath actions go from one
/// output's headers to the next one's (from an access port of VLAN 10, a flood to access port 2 and trunk 4 reads
/// <c>2,push_vlan(vid=10,pcp=0),4</c>; outputs go in port order). After NORMAL the pipeline's flow is
/// what it was before (as Open vSwitch's <c>output_normal</c> restores <c>flow-&gt;vlans</c>); if the datapath's
/// headers then differ, the next action that emits anything first brings them back.
/// </para>
/// <para>
/// Revalidation: the MAC table's version is part of <see cref="Version"/>, so an address learned, moved or aged
/// out re-translates every megaflow (as Open vSwitch's REV_MAC_LEARNING does); with many hosts coming and going
/// that is a full revalidation pass per change, the price of never forwarding by a stale entry. A megaflow made
/// by NORMAL also credits a re-learning of its source address (Open vSwitch's XC_NORMAL cache entry), so a host
/// whose traffic only hits megaflows does not age out.
/// </para>
/// </remarks>
public sealed partial class OfXlate
{
    private readonly NormalDecision normalDecision = new();

    private long NormalVersion => ports.Normal.Version;

    /// <summary>
    /// The slow path's periodic work for translations, for <see cref="OfprotoThread.AddTimer"/>: ages out NORMAL's
    /// learned addresses. They age by the bridge's clock (<see cref="NormalBridge.Now"/>), the one translations
    /// learn and look up by: the Stopwatch <paramref name="nowTicks"/> comes from, unless the bridge was given
    /// another clock (a test's), which then wins.
    /// </summary>
    public void RunPeriodic(long nowTicks) => ports.Normal.Expire(ports.Normal.Now);

    /// <summary>
    /// Re-learns a megaflow's source address whenever the megaflow forwarded packets. Stale once the ports or
    /// their VLANs changed (the revalidator then re-translates the megaflow and gets a new one), so it never
    /// brings back an entry a reconfiguration flushed.
    /// </summary>
    private sealed class NormalRelearn(BridgePorts ports, ulong mac, ushort vlan, uint port) : IFlowStatsSink
    {
        private readonly long epoch = Epoch(ports);

        public void Credit(long packets, long bytes, long usedTicks)
        {
            NormalBridge bridge = ports.Normal;
            if (packets > 0 && Epoch(ports) == epoch)
            {
                bridge.Table.Learn(mac, vlan, port, bridge.Now);
            }
        }

        private static long Epoch(BridgePorts ports) => ports.Version + ports.Normal.ConfigVersion;
    }

    private sealed partial class Context
    {
        // The datapath's VLAN headers after a NORMAL that left them unlike the flow's, and the flow's: the next
        // commit brings the datapath back (null when they agree).
        private (VlanTags Datapath, VlanTags Flow)? normalRestore;

        /// <summary>Whether NORMAL may learn (a miss with its packet, or a trace asked to); never on revalidation.</summary>
        public bool MayLearn { get; set; }

        private void Normal()
        {
            Commit();
            BridgePorts bridgePorts = x.ports;
            NormalBridge bridge = bridgePorts.Normal;
            NormalDecision d = x.normalDecision;
            FlowKey current = flow.PacketPart;

            // The tables see the bridge's own port as LOCAL; NORMAL's ports, its MAC table and its relearning rules
            // know it by the datapath number that carries it, as every other port.
            if (current.InPort == OfPorts.Local && bridgePorts.LocalPort is uint local)
            {
                current.InPort = local;
            }

            bridge.Switch.Decide(current.InPort, current, bridge.PortsOf(bridgePorts), bridge.Now, d, MayLearn);

            FlowKey depends = default;
            d.UnwildcardInto(ref depends);
            UnWildcard(0, depends.Bytes);

            if (d.HasVlan && d.Verdict != NormalVerdict.DropReservedMulticast)
            {
                ulong src = EthernetAddress.Read(current.DlSrc);
                if (bridge.Table.MayLearn(src, d.Vlan))
                {
                    Rules.Add(new NormalRelearn(bridgePorts, src, d.Vlan, current.InPort));
                }
            }

            if (Trace is not null)
            {
                TraceNormal(d, current, bridgePorts);
            }
            if (d.IsDrop)
            {
                return;
            }

            VlanTags arrived = VlanTags.Of(current);
            VlanTags now = arrived;
            foreach (NormalOutput o in d.Outputs)
            {
                MoveTags(ref now, arrived.After(o), arrived);
                SendTo(o.Port);
            }

            if (now != arrived)
            {
                normalRestore = (now, arrived);
            }
        }

        // Called first by every commit: the datapath's headers become the flow's again before anything else is emitted.
        private void RestoreVlansAfterNormal()
        {
            if (normalRestore is (VlanTags datapath, VlanTags wanted))
            {
                normalRestore = null;
                MoveTags(ref datapath, wanted, wanted);
            }
        }

        // Emits the fewest datapath VLAN actions that turn headers `now` into `target`; both derive from `arrived`,
        // whose bits a pushed copy depends on.
        private void MoveTags(ref VlanTags now, VlanTags target, VlanTags arrived)
        {
            if (now == target)
            {
                return;
            }

            if (now.HasOuter && target.HasOuter && now.Inner == target.Inner && now.OuterTpid == target.OuterTpid)
            {
                ushort diff = (ushort)(now.OuterTci ^ target.OuterTci);
                ushort mask = (ushort)(((diff & 0x0fff) != 0 ? 0x0fff : 0) | ((diff & 0xe000) != 0 ? 0xe000 : 0));
                if ((diff & 0xe000) != 0)
                {
                    // Which priority bits change depends on the frame's priority.
                    UnWildcard(FlowKey.Offsets.Vlan0 + 2, [0xe0, 0x00]);
                }

                Actions.SetVlanTci((ushort)(target.OuterTci & mask), mask);
                now = target;
                return;
            }

            if (now.HasOuter && now.Popped == target)
            {
                Actions.PopVlan();
                now = target;
                return;
            }

            if (target.HasOuter && target.Inner == now.Outer)
            {
                Push(target.Outer, arrived, inner: false);
                now = target;
                return;
            }

            // Anything else: off with every header known, on with the target's, inner first.
            while (now.HasOuter)
            {
                Actions.PopVlan();
                now = now.Popped;
            }

            if (target.HasInner)
            {
                Push(target.Inner, arrived, inner: true);
            }

            Push(target.Outer, arrived, inner: false);
            now = target;
        }

        private void Push(uint tag, VlanTags arrived, bool inner)
        {
            // A header NORMAL pushes on an untagged frame is the port's constant; one it puts back is the frame's own.
            if (arrived.HasOuter)
            {
                UnWildcard(FlowKey.Offsets.Vlan0, [0xff, 0xff, 0xff, 0xff]);
                if (inner && arrived.HasInner)
                {
                    UnWildcard(FlowKey.Offsets.Vlan1, [0xff, 0xff, 0xff, 0xff]);
                }
            }

            Actions.PushVlan((ushort)(tag >> 16), (ushort)(tag & ~(uint)FlowKey.VlanCfi & 0xffff));
        }

        /// <summary>
        /// What Open vSwitch's xlate_normal reports, in its words and node types: a learned address, then why a
        /// frame is dropped (an error line naming the port and VLANs, then the warning) or where it goes.
        /// </summary>
        private void TraceNormal(NormalDecision d, in FlowKey current, BridgePorts bridgePorts)
        {
            const string Detail = "     -> ";
            const string Warn = "     >> ";
            string inPort = bridgePorts.NameOf(current.InPort);
            if (d.Learning is MacLearnResult.Learned or MacLearnResult.Moved)
            {
                Trace!.Add($"{Detail}learned that {OpenFlow.Text.FieldText.FormatEthernet(EthernetAddress.Read(current.DlSrc))} is on port {inPort} in VLAN {d.Vlan}");
            }

            if (d.Verdict == NormalVerdict.DropVlanNotAllowed)
            {
                VlanTags arrived = VlanTags.Of(current);
                int vid = arrived.HasOuter ? arrived.OuterTci & 0x0fff : 0;
                PortVlanConfig config = bridgePorts.Normal.VlanOf(current.InPort);
                Trace!.Add(config.Mode == PortVlanMode.Access
                    ? $"     >>>> dropping VLAN {vid} tagged packet received on port {inPort} configured as VLAN {config.Vlan} access port <<<<"
                    : $"     >>>> dropping VLAN {vid} packet received on port {inPort} not configured for trunking VLAN {vid} <<<<");
            }

            Trace!.Add(d.Verdict switch
            {
                NormalVerdict.Forward => Detail + "forwarding to learned port",
                NormalVerdict.Flood => Detail + "no learned MAC for destination, flooding",
                NormalVerdict.DropUnknownInPort => Warn + "no input bundle, dropping",
                NormalVerdict.DropPartialVlanTag => Warn + "partial VLAN tag, dropping",
                NormalVerdict.DropVlanNotAllowed => Warn + "disallowed VLAN VID for this input port, dropping",
                NormalVerdict.DropReservedMulticast => Warn + "packet has reserved destination MAC, dropping",
                NormalVerdict.DropLearnedOnInPort => Detail + "learned port is input port, dropping",
                _ => Detail + "learned port is unknown, dropping",
            });
        }
    }

    /// <summary>A frame's two outermost VLAN headers as the flow key holds them: TPID in the high half, TCI (with the key's present bit) in the low.</summary>
    private readonly record struct VlanTags(uint Outer, uint Inner)
    {
        public bool HasOuter => (Outer & FlowKey.VlanCfi) != 0;

        public bool HasInner => (Inner & FlowKey.VlanCfi) != 0;

        public ushort OuterTpid => (ushort)(Outer >> 16);

        public ushort OuterTci => (ushort)Outer;

        // What is known after a pop: the inner header comes out, and whatever was under it the key never held.
        public VlanTags Popped => new(Inner, 0);

        public static VlanTags Of(in FlowKey key) =>
            new(((uint)key.Vlan0Tpid << 16) | key.Vlan0Tci, ((uint)key.Vlan1Tpid << 16) | key.Vlan1Tci);

        // The headers output `o` wants, from these (the frame as NORMAL saw it).
        public VlanTags After(in NormalOutput o) => o.VlanAction switch
        {
            NormalVlanAction.Push => new(((uint)NormalOutput.PushTpid << 16) | FlowKey.VlanCfi | ((uint)o.Pcp << 13) | o.Vid, Outer),
            NormalVlanAction.Pop => Popped,
            NormalVlanAction.SetVid => new((Outer & ~0x0fffu) | o.Vid, Inner),
            _ => this,
        };
    }
}

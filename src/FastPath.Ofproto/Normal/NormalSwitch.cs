using FastPath.Packets;

namespace FastPath.Ofproto.Normal;

/// <summary>
/// The decision logic of the OpenFlow NORMAL action: an L2 learning switch with Open vSwitch's VLAN rules
/// (ofproto-dpif-xlate.c's <c>xlate_normal</c>), independent of the rest of the slow path. The translator calls
/// <see cref="Decide"/> and turns the outputs into datapath actions and the dependencies into megaflow mask bits.
/// </summary>
/// <remarks>
/// <para>
/// Per frame: the input port must be a bridge port; a cut VLAN tag drops; the input port's VLAN mode decides
/// the frame's VLAN or drops it; reserved link-local destinations drop unless <see cref="ForwardBpdu"/>; the
/// source is learned (never a multicast source); then a multicast or broadcast destination floods, a learned
/// unicast destination goes to its port (dropped if that is the input port), an unknown one floods. Flooding
/// goes to every other port that carries the VLAN and may flood. Each output gets the VLAN change its port's
/// mode requires.
/// </para>
/// <para>
/// Checked against ovs-vswitchd 3.1's ofproto/trace for every VLAN mode and priority-tags setting with
/// untagged, priority-tagged and tagged frames. Double-tagged frames follow Open vSwitch with vlan-limit=2 (the
/// flow key always holds two tags): a frame keeping an inner tag with a nonzero VID never leaves an access port,
/// and a native-untagged port's pop exposes the inner tag. Where Open vSwitch also rewrites the inner header
/// (it drops an inner tag whose VID and priority are both 0, and the inner tag of a double-tagged frame that
/// entered an access port or left a trunk in VLAN 0 untagged), this keeps the inner header as it is.
/// </para>
/// <para>
/// A destination learned on a port that is gone or no longer carries the VLAN is dropped
/// (<see cref="NormalVerdict.DropLearnedPortGone"/>); ovs-vswitchd never gets there because it flushes a port's
/// entries when the port changes, which the caller should do too (<see cref="MacLearningTable.FlushPort"/>).
/// </para>
/// <para>
/// The caller keeps the table current: <see cref="MacLearningTable.Expire"/> periodically (ovs-vswitchd's
/// mac_learning_run), and, because packets that hit a megaflow never come back here, a
/// <see cref="MacLearningTable.Learn"/> with the decision's <see cref="NormalDecision.Vlan"/>, dl_src and input
/// port for each megaflow that saw traffic since the last pass (Open vSwitch's xlate cache entry XC_NORMAL);
/// otherwise a host that only sends through megaflows ages out and its traffic floods.
/// </para>
/// <para>
/// Not modeled: bonds, mirrors, multicast snooping, dot1q-tunnel ports, static fdb entries, gratuitous ARP
/// locking (it only matters for bonds). Not thread-safe: the ofproto thread owns it.
/// </para>
/// </remarks>
public sealed class NormalSwitch
{
    private ulong configVersion;

    /// <summary>Creates a switch around <paramref name="table"/> (a new default table when null).</summary>
    public NormalSwitch(MacLearningTable? table = null) => Table = table ?? new MacLearningTable();

    /// <summary>The forwarding database.</summary>
    public MacLearningTable Table { get; }

    /// <summary>
    /// The bridge's other_config:forward-bpdu: when false (the default), frames to reserved addresses
    /// (<see cref="EthernetAddress.IsReserved"/>) are dropped. Changing it changes <see cref="Version"/>.
    /// </summary>
    public bool ForwardBpdu
    {
        get;
        set
        {
            if (field != value)
            {
                field = value;
                configVersion++;
            }
        }
    }

    /// <summary>
    /// Changes whenever a decision could come out differently for the same frame and ports: the learning table
    /// changed (see <see cref="MacLearningTable.Version"/>) or <see cref="ForwardBpdu"/> did. Port set and port
    /// configuration changes are the caller's: it passes the ports in, so it knows when they changed (and should
    /// then <see cref="MacLearningTable.FlushPort"/> a port whose VLAN settings changed, as ovs-vswitchd does).
    /// </summary>
    public ulong Version => Table.Version + configVersion;

    /// <summary>Decides where a frame goes.</summary>
    /// <param name="inPort">The port the frame arrived on.</param>
    /// <param name="key">The frame's flow key (dl_src, dl_dst, dl_type and the VLAN headers are read).</param>
    /// <param name="ports">The bridge's ports, input port included, in the order outputs should come.</param>
    /// <param name="now">The current time in the table's ticks (monotonic).</param>
    /// <param name="decision">Receives the result (reset first).</param>
    /// <param name="learn">False to decide without learning (Open vSwitch's allow_side_effects, e.g. for a trace).</param>
    public void Decide(uint inPort, in FlowKey key, ReadOnlySpan<NormalPort> ports, long now, NormalDecision decision, bool learn = true)
    {
        ArgumentNullException.ThrowIfNull(decision);
        decision.Reset(ports.Length);

        // What Open vSwitch un-wildcards up front: addresses and the outer VID and tag-present bit (in_port and
        // dl_type are always in its megaflows).
        decision.Depend(NormalKeyFields.InPort | NormalKeyFields.DlSrc | NormalKeyFields.DlDst | NormalKeyFields.DlType | NormalKeyFields.Vlan0Tci, NormalDecision.VidCfiMask);
        DecideCore(inPort, in key, ports, now, decision, learn);
        decision.Version = Version;
    }

    private static int IndexOf(ReadOnlySpan<NormalPort> ports, uint port)
    {
        for (int i = 0; i < ports.Length; i++)
        {
            if (ports[i].Port == port)
            {
                return i;
            }
        }

        return -1;
    }

    private void DecideCore(uint inPort, in FlowKey key, ReadOnlySpan<NormalPort> ports, long now, NormalDecision decision, bool learn)
    {
        int inIndex = IndexOf(ports, inPort);
        if (inIndex < 0)
        {
            decision.SetVerdict(NormalVerdict.DropUnknownInPort);
            return;
        }

        ushort tci = key.Vlan0Tci;
        bool tagged = (tci & FlowKey.VlanCfi) != 0;
        if (!tagged && key.EthType is EtherTypes.Vlan8021Q or EtherTypes.Vlan8021AD)
        {
            decision.SetVerdict(NormalVerdict.DropPartialVlanTag);
            return;
        }

        var frame = new Frame
        {
            Tagged = tagged,
            Vid = (ushort)(tci & 0x0fff),
            Pcp = (byte)(tci >> 13),
        };
        PortVlanConfig inConfig = ports[inIndex].Vlan;
        if (!inConfig.AcceptsInput(frame.Vid))
        {
            decision.SetVerdict(NormalVerdict.DropVlanNotAllowed);
            return;
        }

        ushort vlan = inConfig.InputVlan(frame.Vid);
        decision.SetVlan(vlan);

        // Trunk and native ports keep the frame's headers inside the bridge, a second tag included; an access
        // port replaces them. The inner tag then decides whether an access port may take the frame and what a
        // native-untagged port's pop leaves.
        if (tagged && inConfig.Mode != PortVlanMode.Access)
        {
            decision.Depend(NormalKeyFields.Vlan1Tci, vlan1Mask: NormalDecision.VidCfiMask);
            ushort inner = key.Vlan1Tci;
            frame.HasInner = (inner & FlowKey.VlanCfi) != 0;
            frame.InnerVid = frame.HasInner ? (ushort)(inner & 0x0fff) : (ushort)0;
        }

        // Access and native ports put a header on the frame inside the bridge even when it arrived untagged.
        frame.InternalTpid = tagged || inConfig.Mode != PortVlanMode.Trunk;

        ReadOnlySpan<byte> k = System.Runtime.InteropServices.MemoryMarshal.AsBytes(key.ReadOnlyWords);
        ulong dst = EthernetAddress.Read(k.Slice(FlowKey.Offsets.DlDst, 6));
        if (!ForwardBpdu && EthernetAddress.IsReserved(dst))
        {
            decision.SetVerdict(NormalVerdict.DropReservedMulticast);
            return;
        }

        if (learn)
        {
            ulong src = EthernetAddress.Read(k.Slice(FlowKey.Offsets.DlSrc, 6));
            decision.SetLearning(Table.Learn(src, vlan, inPort, now));
        }

        if (!EthernetAddress.IsMulticast(dst) && Table.TryLookup(dst, vlan, now, out uint learnedPort))
        {
            if (learnedPort == inPort)
            {
                decision.SetVerdict(NormalVerdict.DropLearnedOnInPort);
                return;
            }

            int outIndex = IndexOf(ports, learnedPort);
            if (outIndex < 0 || !ports[outIndex].Vlan.CarriesVlan(vlan))
            {
                decision.SetVerdict(NormalVerdict.DropLearnedPortGone);
                return;
            }

            decision.SetVerdict(NormalVerdict.Forward);
            Output(decision, ports[outIndex].Port, ports[outIndex].Vlan, vlan, in frame);
            return;
        }

        decision.SetVerdict(NormalVerdict.Flood);
        for (int i = 0; i < ports.Length; i++)
        {
            ref readonly NormalPort p = ref ports[i];
            if (p.Port != inPort && p.Flood && p.Vlan.CarriesVlan(vlan, frame.InnerVid))
            {
                Output(decision, p.Port, p.Vlan, vlan, in frame);
            }
        }
    }

    /// <summary>
    /// Open vSwitch's output_normal: the headers the frame should leave with on <paramref name="config"/>'s port
    /// (xvlan_output_translate, priority tags, xvlan_put), expressed as one change to the frame as it arrived.
    /// </summary>
    private static void Output(NormalDecision decision, uint port, PortVlanConfig config, ushort vlan, in Frame frame)
    {
        bool keepPriority = config.PriorityTags != PriorityTagsMode.Never;
        if (config.Mode == PortVlanMode.NativeUntagged && vlan == config.Vlan)
        {
            // The bridge's header comes off; whatever was inside it is what leaves.
            if (frame.HasInner)
            {
                decision.Add(new NormalOutput(port, NormalVlanAction.Pop));
                return;
            }

            byte pcp = keepPriority ? frame.Pcp : (byte)0;
            if (frame.Tagged && keepPriority)
            {
                decision.Depend(NormalKeyFields.Vlan0Tci, NormalDecision.PcpMask);
            }

            AddChange(decision, port, in frame, outTagged: pcp != 0, outVid: 0, outPcp: pcp);
            return;
        }

        bool access = config.Mode == PortVlanMode.Access;
        ushort outVid = access ? (ushort)0 : vlan;
        byte outPcp = access && !keepPriority ? (byte)0 : frame.Pcp;
        bool alwaysTag = config.PriorityTags == PriorityTagsMode.Always && !access && frame.InternalTpid;
        if (frame.Tagged && outVid == 0 && !alwaysTag && (!access || keepPriority))
        {
            // Whether a VLAN 0 frame keeps its header depends on its priority.
            decision.Depend(NormalKeyFields.Vlan0Tci, NormalDecision.PcpMask);
        }

        AddChange(decision, port, in frame, outTagged: outVid != 0 || outPcp != 0 || alwaysTag, outVid, outPcp);
    }

    private static void AddChange(NormalDecision decision, uint port, in Frame frame, bool outTagged, ushort outVid, byte outPcp)
    {
        NormalOutput output;
        if (!outTagged)
        {
            output = new NormalOutput(port, frame.Tagged ? NormalVlanAction.Pop : NormalVlanAction.None);
        }
        else if (!frame.Tagged)
        {
            output = new NormalOutput(port, NormalVlanAction.Push, outVid, outPcp);
        }
        else
        {
            // A tagged frame leaving tagged keeps its priority on every path, so only the VID can differ.
            output = outVid == frame.Vid ? new NormalOutput(port, NormalVlanAction.None) : new NormalOutput(port, NormalVlanAction.SetVid, outVid);
        }

        decision.Add(in output);
    }

    /// <summary>The frame's outer header as it arrived, and what the bridge keeps of it.</summary>
    private struct Frame
    {
        public bool Tagged;
        public ushort Vid;
        public byte Pcp;
        public bool HasInner;
        public ushort InnerVid;
        public bool InternalTpid;
    }
}

using FastPath.Ofproto.Groups;
using FastPath.Ofproto.Tables;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Groups;
using FastPath.Packets;

namespace FastPath.Ofproto.Xlate;

/// <summary>Groups in xlate: all, select, indirect and fast failover, chained up to <see cref="MaxGroupDepth"/> deep.</summary>
/// <remarks>
/// <para>
/// Every bucket of an all or indirect group runs on its own copy of the flow, as Open vSwitch's xlate does: what
/// a bucket rewrites is undone for the next bucket and for the actions after the group. The datapath has one
/// packet, so the undo is a masked set back to the value before the group; where that value was the packet's own
/// (no action had written it), the set carries the packet's value and the megaflow must match it, but only if
/// something is sent after the undo (the un-wildcarding waits for that commit).
/// </para>
/// <para>
/// A select group hashes the flow's symmetric L4 fields (Ethernet source XOR destination, the VLAN ids, the
/// Ethernet type, and for IP the source XOR destination, the protocol, and for TCP and SCTP the ports XOR'd:
/// Open vSwitch's flow_hash_symmetric_l4), or with <c>selection_method=hash</c> and fields, those fields under
/// their masks; the megaflow matches exactly the bits hashed, so every packet it covers picks the same bucket.
/// The bucket is the highest of a weighted rendezvous score (weight / -ln(u), u uniform from the hash and the
/// bucket id) among the live buckets: each takes flows in proportion to its weight, and a bucket going down moves
/// only its own flows.
/// </para>
/// <para>
/// Liveness is the bridge's state, not the packet's: a port going down moves <see cref="BridgePorts.Version"/>
/// and the revalidator translates the megaflows again.
/// </para>
/// </remarks>
public sealed partial class OfXlate
{
    /// <summary>Most groups one translation goes through one inside another.</summary>
    public const int MaxGroupDepth = 32;

    private sealed partial class Context
    {
        private int groupDepth;

        // Bits the datapath actions committed inside the bucket now running (so possibly differing from the flow before it).
        private PipelineKey committedInBucket;

        // Bits that groups run inside the bucket now running put back and that are not sent yet.
        private PipelineKey restoredInBucket;

        // Bits a rolled-back bucket restores to the packet's own value: the megaflow matches them once the restore is committed.
        private PipelineKey restoreDeps;

        // Whether restoreDeps holds anything (so translations without groups skip the work before each commit).
        private bool restoresWaiting;

        // A bucket pushed or popped a header and the undo of that is not translated: nothing may be sent after it.
        private bool headerNotRestored;

        private void Group(GroupAction action, OfRule rule)
        {
            Trace?.Add($"    group:{action.GroupId}");
            OfGroup? g = x.pipeline.Groups.Find(action.GroupId);
            if (g == null)
            {
                // The pipeline removes the rules of a deleted group; a chained reference cannot dangle either.
                Trace?.Add("     -> no such group");
                return;
            }

            if (groupDepth >= MaxGroupDepth)
            {
                throw new XlateException($"groups chained more than {MaxGroupDepth} deep");
            }

            Rules.Add(g);
            groupDepth++;
            try
            {
                switch (g.Type)
                {
                    case GroupType.All:
                    case GroupType.Indirect:
                        foreach (OfBucket b in g.Buckets)
                        {
                            RunBucket(g, b, rule);
                        }

                        break;
                    case GroupType.Select:
                        RunChosen(g, SelectBucket(g), rule);
                        break;
                    case GroupType.FastFailover:
                        RunChosen(g, g.Buckets.FirstOrDefault(b => Live(g, b)), rule);
                        break;
                }
            }
            finally
            {
                groupDepth--;
            }
        }

        private void RunChosen(OfGroup g, OfBucket? b, OfRule rule)
        {
            if (b == null)
            {
                Trace?.Add("     -> no live bucket");
                return;
            }

            RunBucket(g, b, rule);
        }

        private bool Live(OfGroup g, OfBucket b) => GroupLiveness.IsLive(x.pipeline.Groups, g, b, x.ports.IsLive);

        // Runs one bucket on a copy of the flow: afterwards the flow is as it was before, and the datapath packet
        // will be put back where the bucket changed it before anything else is sent.
        private void RunBucket(OfGroup g, OfBucket b, OfRule rule)
        {
            Trace?.Add($"    bucket {b.Spec.BucketId}");
            Rules.Add(b);

            // The datapath packet is the flow as it stands except where writes are pending: those stay pending after
            // the bucket, as does whatever the bucket sends changed.
            PipelineKey pending0 = pending.Marked;
            PipelineKey flow0 = flow;
            PipelineKey written0 = written;
            bool mplsReinterpreted0 = mplsReinterpreted;
            bool mplsPopped0 = mplsPopped;
            bool stopped0 = stopped;
            PipelineKey outerCommitted = committedInBucket;
            PipelineKey outerRestored = restoredInBucket;
            committedInBucket = default;
            restoredInBucket = default;

            foreach (OfAction a in b.Program)
            {
                if (stopped)
                {
                    break;
                }

                if (Applies(a))
                {
                    Do(a, rule);
                }
            }

            // Writes the bucket made but never sent are dropped with it; what groups inside it put back and did not
            // send yet still differs in the datapath packet.
            PipelineKey stillRestoring = pending.Marked;
            pending.Clear();
            // To put back: what stays pending from before the bucket, and what the bucket sent changed (a bit the
            // packet gave, or a constant the bucket gave another value).
            PipelineKey restore = default;
            PipelineKey end = flow;
            Span<ulong> rs = restore.AsWords;
            ReadOnlySpan<ulong> p0 = pending0.ReadOnlyWords;
            ReadOnlySpan<ulong> sent = committedInBucket.ReadOnlyWords;
            ReadOnlySpan<ulong> w0 = written0.ReadOnlyWords;
            ReadOnlySpan<ulong> w1 = written.ReadOnlyWords;
            ReadOnlySpan<ulong> f0 = flow0.ReadOnlyWords;
            ReadOnlySpan<ulong> f1 = end.ReadOnlyWords;
            for (int i = 0; i < PipelineKey.Words; i++)
            {
                rs[i] = (p0[i] & ~sent[i]) | (sent[i] & w1[i] & ~w0[i]) | (sent[i] & w0[i] & (f0[i] ^ f1[i]))
                    | (stillRestoring.ReadOnlyWords[i] & restoredInBucket.ReadOnlyWords[i]);
            }

            CheckHeaders(b, flow0, ref restore);

            flow = flow0;
            written = written0;
            mplsReinterpreted = mplsReinterpreted0;
            mplsPopped = mplsPopped0;
            stopped = stopped0;

            Span<byte> r = restore.Bytes[..FlowKey.Size];
            if (r.IndexOfAnyExcept((byte)0) >= 0)
            {
                pending.Mark(0, r);
                restoresWaiting = true;
                Span<ulong> deps = restoreDeps.AsWords;
                ReadOnlySpan<ulong> rw = restore.ReadOnlyWords;
                for (int i = 0; i < FlowKey.Words; i++)
                {
                    deps[i] |= rw[i];
                }
            }

            Span<ulong> c = committedInBucket.AsWords;
            ReadOnlySpan<ulong> o = outerCommitted.ReadOnlyWords;
            restoredInBucket = outerRestored;
            Span<ulong> rb = restoredInBucket.AsWords;
            ReadOnlySpan<ulong> rr = restore.ReadOnlyWords;
            for (int i = 0; i < PipelineKey.Words; i++)
            {
                c[i] |= o[i];
                rb[i] |= rr[i];
            }
        }

        // What the bucket changed without a set-field: a decremented TTL is undone by setting it back; a pushed or
        // popped header is not undone, so nothing may be sent after the group.
        private void CheckHeaders(OfBucket b, in PipelineKey flow0, ref PipelineKey restore)
        {
            ref readonly FlowKey before = ref flow0.PacketPart;
            PipelineKey after = flow;
            ref readonly FlowKey now = ref after.PacketPart;
            ReadOnlySpan<byte> b0 = flow0.ReadOnlyBytes;
            ReadOnlySpan<byte> b1 = after.ReadOnlyBytes;
            bool pushesOrPops = b.Program.Any(a => a is PushVlanAction or PopVlanAction or PushMplsAction or PopMplsAction);
            bool tagAppeared = (b0[FlowKey.Offsets.Vlan0 + 2] & 0x10) != (b1[FlowKey.Offsets.Vlan0 + 2] & 0x10);
            if (pushesOrPops || tagAppeared || before.EthType != now.EthType)
            {
                headerNotRestored = true;
            }

            if (before.NwTtl != now.NwTtl && before.EthType is EtherTypes.Ipv4 or EtherTypes.Ipv6)
            {
                restore.Bytes[FlowKey.Offsets.NwTtl] = 0xff;
            }

            if (EtherTypes.IsMpls(before.EthType) && b.Program.Any(a => a is DecMplsTtlAction))
            {
                restore.Bytes[FlowKey.Offsets.MplsLse + 3] = 0xff;
            }
        }

        // Called before every commit: the restores of rolled-back buckets that are about to be sent depend on the
        // packet, and a header a bucket left pushed or popped cannot be sent on.
        private void BeforeCommit()
        {
            if (groupDepth == 0 && !restoresWaiting && !headerNotRestored)
            {
                return;
            }

            if (headerNotRestored)
            {
                throw new XlateException("a group bucket pushed or popped a header and more is sent after it: undoing that is not translated yet");
            }

            PipelineKey marked = pending.Marked;
            if (!pending.Any)
            {
                return;
            }

            ReadOnlySpan<byte> m = marked.ReadOnlyBytes;
            Span<byte> deps = restoreDeps.Bytes;
            Span<byte> due = stackalloc byte[FlowKey.Size];
            bool any = false;
            for (int i = 0; i < FlowKey.Size; i++)
            {
                due[i] = (byte)(deps[i] & m[i]);
                deps[i] &= (byte)~m[i];
                any |= due[i] != 0;
            }

            if (any)
            {
                UnWildcard(0, due);
            }

            if (groupDepth > 0)
            {
                Span<ulong> c = committedInBucket.AsWords;
                ReadOnlySpan<ulong> w = marked.ReadOnlyWords;
                for (int i = 0; i < PipelineKey.Words; i++)
                {
                    c[i] |= w[i];
                }
            }
        }

        // A bucket's actions carry no match that guarantees their fields exist: like Open vSwitch, a set on a field
        // the packet lacks is skipped, and whether it has the field is part of the megaflow.
        private bool Applies(OfAction a) => a switch
        {
            SetFieldAction sf when sf.Field == OfFields.VlanVid || sf.Field == OfFields.VlanPcp || sf.Field == OfFields.VlanTci
                || sf.Field == OfFields.DlVlan || sf.Field == OfFields.DlVlanPcp => HasTag(out _),
            SetFieldAction sf => Has(sf.Field.Prerequisite) && (sf.Field != OfFields.IcmpType && sf.Field != OfFields.IcmpCode || Has(FieldPrerequisite.Icmp4)),
            MoveAction mv => Has(mv.Source.Prerequisite) && Has(mv.Destination.Prerequisite),
            SetNwTtlAction or DecTtlAction => Has(FieldPrerequisite.IpAny),
            SetMplsLabelAction or SetMplsTcAction or SetMplsTtlAction or DecMplsTtlAction => Has(FieldPrerequisite.Mpls),
            _ => true,
        };

        // Whether the flow as it stands has what a prerequisite asks for; the bits looked at join the megaflow.
        private bool Has(FieldPrerequisite p)
        {
            switch (p)
            {
                case FieldPrerequisite.None:
                case FieldPrerequisite.InPort:
                    return true;
                case FieldPrerequisite.Vlan:
                    return HasTag(out _);
            }

            UnWildcard(FlowKey.Offsets.DlType, [0xff, 0xff]);
            ushort dlType = flow.PacketPart.EthType;
            if (dlType is EtherTypes.Ipv4 or EtherTypes.Ipv6
                && p is FieldPrerequisite.Tcp or FieldPrerequisite.Udp or FieldPrerequisite.Sctp or FieldPrerequisite.L4Ports
                    or FieldPrerequisite.Icmp4 or FieldPrerequisite.Icmp6 or FieldPrerequisite.IcmpAny
                    or FieldPrerequisite.Nd or FieldPrerequisite.NdSolicit or FieldPrerequisite.NdAdvert)
            {
                UnWildcard(FlowKey.Offsets.NwProto, [0xff]);
                if (p is FieldPrerequisite.Nd or FieldPrerequisite.NdSolicit or FieldPrerequisite.NdAdvert)
                {
                    UnWildcard(FlowKey.Offsets.TpSrc, [0xff, 0xff]);
                }
            }

            PipelineMatch exact = new() { Key = flow };
            exact.Mask.Bytes.Fill(0xff);
            return Prerequisites.IsSatisfied(p, exact);
        }

        private OfBucket? SelectBucket(OfGroup g)
        {
            GroupDescription d = g.Description;
            ulong hash = d.SelectionMethod == "hash" && d.Fields.Count > 0 ? HashFields(d) : HashSymmetricL4();
            OfBucket? best = null;
            double bestScore = double.NegativeInfinity;
            foreach (OfBucket b in g.Buckets)
            {
                if (!Live(g, b))
                {
                    continue;
                }

                double score = RendezvousScore(hash, b.Spec.BucketId, b.Spec.Weight);
                if (score > bestScore)
                {
                    best = b;
                    bestScore = score;
                }
            }

            return best;
        }

        // Open vSwitch's flow_hash_symmetric_l4 fields (the same for both directions of a connection), and exactly
        // those bits un-wildcarded.
        private ulong HashSymmetricL4()
        {
            ReadOnlySpan<byte> k = flow.ReadOnlyBytes;
            ulong h = 0x9E3779B97F4A7C15;
            ReadOnlySpan<byte> all6 = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
            UnWildcard(FlowKey.Offsets.DlSrc, all6);
            UnWildcard(FlowKey.Offsets.DlDst, all6);
            for (int i = 0; i < 6; i++)
            {
                h = Mix(h, (byte)(k[FlowKey.Offsets.DlSrc + i] ^ k[FlowKey.Offsets.DlDst + i]));
            }

            UnWildcard(FlowKey.Offsets.Vlan0 + 2, [0x0f, 0xff]);
            UnWildcard(FlowKey.Offsets.Vlan1 + 2, [0x0f, 0xff]);
            int vid = ((k[FlowKey.Offsets.Vlan0 + 2] ^ k[FlowKey.Offsets.Vlan1 + 2]) & 0x0f) << 8 | (k[FlowKey.Offsets.Vlan0 + 3] ^ k[FlowKey.Offsets.Vlan1 + 3]);
            h = Mix(h, (ulong)vid);

            UnWildcard(FlowKey.Offsets.DlType, [0xff, 0xff]);
            ushort dlType = flow.PacketPart.EthType;
            h = Mix(h, dlType);
            int addr = dlType == EtherTypes.Ipv4 ? 4 : dlType == EtherTypes.Ipv6 ? 16 : 0;
            if (addr == 0)
            {
                return h;
            }

            Span<byte> ones = stackalloc byte[16];
            ones.Fill(0xff);
            UnWildcard(FlowKey.Offsets.NwSrc, ones[..addr]);
            UnWildcard(FlowKey.Offsets.NwDst, ones[..addr]);
            for (int i = 0; i < addr; i++)
            {
                h = Mix(h, (byte)(k[FlowKey.Offsets.NwSrc + i] ^ k[FlowKey.Offsets.NwDst + i]));
            }

            UnWildcard(FlowKey.Offsets.NwProto, [0xff]);
            byte proto = k[FlowKey.Offsets.NwProto];
            h = Mix(h, proto);
            if (proto is IpProtocols.Tcp or IpProtocols.Sctp)
            {
                // UDP ports are left out: a UDP reply need not come from the port the request went to.
                UnWildcard(FlowKey.Offsets.TpSrc, [0xff, 0xff, 0xff, 0xff]);
                h = Mix(h, (ulong)(flow.PacketPart.TpSrc ^ flow.PacketPart.TpDst));
            }

            return h;
        }

        // selection_method=hash with fields: each field the packet has, under its mask, and its prerequisites.
        private ulong HashFields(GroupDescription d)
        {
            ulong h = Mix(0x9E3779B97F4A7C15, d.SelectionMethodParam);
            foreach ((OfField field, UInt128 mask) in d.Fields)
            {
                if (!Has(field.Prerequisite))
                {
                    continue;
                }

                UInt128 v = field.Read(flow) & mask;
                h = Mix(Mix(h, (ulong)v), (ulong)(v >> 64));
                PipelineKey bits = default;
                field.WriteMasked(ref bits, mask, mask);
                if (field.KeyOffset < FlowKey.Size)
                {
                    UnWildcard(field.KeyOffset, bits.ReadOnlyBytes.Slice(field.KeyOffset, field.KeyLength));
                }
            }

            return h;
        }

        // Weighted rendezvous hashing: weight / -ln(u) with u in (0, 1) drawn from the flow's hash and the bucket id.
        private static double RendezvousScore(ulong hash, uint bucketId, ushort weight)
        {
            ulong r = Mix(hash, bucketId);
            double u = ((r >> 11) + 0.5) / (1UL << 53);
            return weight / -Math.Log(u);
        }

        // SplitMix64's finalizer over the running hash and the next value.
        private static ulong Mix(ulong h, ulong v)
        {
            ulong z = h ^ (v + 0x9E3779B97F4A7C15 + (h << 6) + (h >> 2));
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }
}

using System.Buffers.Binary;
using FastPath.Packets;

namespace FastPath.Ofproto.Normal;

/// <summary>
/// The result of one <see cref="NormalSwitch.Decide"/>: the outputs, why, and which key fields it depended on.
/// Owned by the caller and reused from decision to decision, so deciding allocates nothing once the output
/// array has grown to the bridge's port count.
/// </summary>
public sealed class NormalDecision
{
    /// <summary>VID and CFI ("tag present") bits of a TCI: what every decision that reads the VLAN depends on.</summary>
    public const ushort VidCfiMask = 0x1fff;

    /// <summary>Priority bits of a TCI.</summary>
    public const ushort PcpMask = 0xe000;

    private NormalOutput[] outputs = new NormalOutput[8];
    private int count;

    /// <summary>How the decision ended.</summary>
    public NormalVerdict Verdict { get; private set; }

    /// <summary>Whether the frame was admitted to a VLAN (<see cref="Vlan"/> is meaningful).</summary>
    public bool HasVlan { get; private set; }

    /// <summary>The bridge-internal VLAN the frame is in: what was learned and looked up.</summary>
    public ushort Vlan { get; private set; }

    /// <summary>What learning the source address did (<see cref="MacLearnResult.NotLearned"/> when learning was not attempted).</summary>
    public MacLearnResult Learning { get; private set; }

    /// <summary>The outputs in port order; empty for a drop (or a flood with nowhere to go).</summary>
    public ReadOnlySpan<NormalOutput> Outputs => outputs.AsSpan(0, count);

    /// <summary>The key fields the decision read.</summary>
    public NormalKeyFields Fields { get; private set; }

    /// <summary>The outer TCI bits the decision read (host order), when <see cref="Fields"/> has <see cref="NormalKeyFields.Vlan0Tci"/>.</summary>
    public ushort Vlan0TciMask { get; private set; }

    /// <summary>The inner TCI bits the decision read (host order), when <see cref="Fields"/> has <see cref="NormalKeyFields.Vlan1Tci"/>.</summary>
    public ushort Vlan1TciMask { get; private set; }

    /// <summary>
    /// <see cref="NormalSwitch.Version"/> after the decision (learning included): a megaflow built from this
    /// decision is current while the version stays the same.
    /// </summary>
    public ulong Version { get; internal set; }

    /// <summary>Whether the frame goes nowhere.</summary>
    public bool IsDrop => count == 0;

    /// <summary>
    /// Un-wildcards in <paramref name="mask"/> (a megaflow mask in <see cref="FlowKey"/> layout) every bit the
    /// decision depended on, leaving the others as they are.
    /// </summary>
    public void UnwildcardInto(ref FlowKey mask)
    {
        Span<byte> m = mask.Bytes;
        if ((Fields & NormalKeyFields.InPort) != 0)
        {
            m.Slice(FlowKey.Offsets.InPort, 4).Fill(0xff);
        }

        if ((Fields & NormalKeyFields.DlDst) != 0)
        {
            m.Slice(FlowKey.Offsets.DlDst, 6).Fill(0xff);
        }

        if ((Fields & NormalKeyFields.DlSrc) != 0)
        {
            m.Slice(FlowKey.Offsets.DlSrc, 6).Fill(0xff);
        }

        if ((Fields & NormalKeyFields.DlType) != 0)
        {
            m.Slice(FlowKey.Offsets.DlType, 2).Fill(0xff);
        }

        if ((Fields & NormalKeyFields.Vlan0Tci) != 0)
        {
            OrBe16(m[(FlowKey.Offsets.Vlan0 + 2)..], Vlan0TciMask);
        }

        if ((Fields & NormalKeyFields.Vlan1Tci) != 0)
        {
            OrBe16(m[(FlowKey.Offsets.Vlan1 + 2)..], Vlan1TciMask);
        }
    }

    /// <summary>The outputs in Open vSwitch's action syntax, or "drop" (diagnostics and tests).</summary>
    public override string ToString() => count == 0 ? $"drop ({Verdict})" : string.Join(',', Outputs.ToArray());

    internal void Reset(int portCount)
    {
        if (outputs.Length < portCount)
        {
            outputs = new NormalOutput[Math.Max(portCount, outputs.Length * 2)];
        }

        count = 0;
        Verdict = NormalVerdict.Flood;
        HasVlan = false;
        Vlan = 0;
        Learning = MacLearnResult.NotLearned;
        Fields = NormalKeyFields.None;
        Vlan0TciMask = 0;
        Vlan1TciMask = 0;
        Version = 0;
    }

    internal void Depend(NormalKeyFields fields, ushort vlan0Mask = 0, ushort vlan1Mask = 0)
    {
        Fields |= fields;
        Vlan0TciMask |= vlan0Mask;
        Vlan1TciMask |= vlan1Mask;
    }

    internal void SetVerdict(NormalVerdict verdict) => Verdict = verdict;

    internal void SetVlan(ushort vlan)
    {
        HasVlan = true;
        Vlan = vlan;
    }

    internal void SetLearning(MacLearnResult result) => Learning = result;

    internal void Add(in NormalOutput output) => outputs[count++] = output;

    private static void OrBe16(Span<byte> at, ushort bits) =>
        BinaryPrimitives.WriteUInt16BigEndian(at, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(at) | bits));
}

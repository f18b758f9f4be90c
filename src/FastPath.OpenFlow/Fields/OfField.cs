using FastPath.OpenFlow.Flows;

namespace FastPath.OpenFlow.Fields;

/// <summary>
/// One OpenFlow match field: its Open vSwitch names, its OXM id, and where its bits live in a
/// <see cref="PipelineKey"/>. Values are unsigned integers of <see cref="Bits"/> bits (an Ethernet address is
/// a 48-bit number, an IPv6 address a 128-bit one, most significant byte first as on the wire).
/// </summary>
/// <remarks>
/// A field occupies the bits <see cref="KeyMask"/> of the integer made of <see cref="KeyLength"/> bytes at
/// <see cref="KeyOffset"/> (network order for packet fields, little-endian for the pipeline-only words); the
/// value is those bits shifted right by <see cref="ValueShift"/>. So ip_dscp (shift 2) and nw_tos (shift 0)
/// are two views of the same six bits, and vlan_vid's 13 bits include the key's 0x1000 "tag present" bit,
/// which is OpenFlow's OFPVID_PRESENT.
/// </remarks>
public sealed class OfField
{
    internal OfField(
        string name, string[] aliases, string? nxmName, OxmClass oxmClass, byte oxmField, int bits,
        int keyOffset, int keyLength, bool bigEndian, UInt128 keyMask, bool maskable,
        FieldPrerequisite prerequisite, bool writable, FieldFormat format, int valueShift)
    {
        Name = name;
        Aliases = aliases;
        NxmName = nxmName;
        OxmClass = oxmClass;
        OxmField = oxmField;
        Bits = bits;
        KeyOffset = keyOffset;
        KeyLength = keyLength;
        BigEndian = bigEndian;
        KeyMask = keyMask;
        ValueShift = valueShift >= 0 ? valueShift : (int)UInt128.TrailingZeroCount(keyMask);
        Maskable = maskable;
        Prerequisite = prerequisite;
        Writable = writable;
        Format = format;
    }

    /// <summary>Open vSwitch's name for the field (what <c>ovs-ofctl</c> prints after set_field).</summary>
    public string Name { get; }

    /// <summary>Other names <c>ovs-ofctl</c> accepts (dl_src for eth_src...).</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>The NXM/OXM name used in load/move subfields (NXM_OF_ETH_SRC, OXM_OF_METADATA...), or null.</summary>
    public string? NxmName { get; }

    /// <summary>OXM class of the field's id (meaningless when <see cref="HasOxm"/> is false).</summary>
    public OxmClass OxmClass { get; }

    /// <summary>OXM field number within <see cref="OxmClass"/>.</summary>
    public byte OxmField { get; }

    /// <summary>Whether the field has an OXM/NXM id of its own (the OpenFlow 1.0 views dl_vlan, tp_src... do not).</summary>
    public bool HasOxm => NxmName is not null;

    /// <summary>Width of the value in bits (the OXM payload width).</summary>
    public int Bits { get; }

    /// <summary>Width of the OXM payload in bytes (the 20-bit mpls_label and ipv6_label travel in 4 bytes, as OpenFlow defines them).</summary>
    public int OxmLength => Bits == 20 ? 4 : (Bits + 7) / 8;

    /// <summary>First byte of the field's storage in <see cref="PipelineKey"/>.</summary>
    public int KeyOffset { get; }

    /// <summary>Bytes of storage read as one integer.</summary>
    public int KeyLength { get; }

    /// <summary>Whether the storage is network order (packet fields) or little-endian (pipeline-only fields).</summary>
    public bool BigEndian { get; }

    /// <summary>The bits of the storage integer the field owns.</summary>
    public UInt128 KeyMask { get; }

    /// <summary>Right shift from the storage bits to the value.</summary>
    public int ValueShift { get; }

    /// <summary>Every value bit the key can hold (a field may be narrower in the key than on the wire: arp_op keeps 8 of 16 bits).</summary>
    public UInt128 ValueMask => KeyMask >> ValueShift;

    /// <summary>A mask with all <see cref="Bits"/> bits set: an exact match.</summary>
    public UInt128 FullMask => Bits == 128 ? UInt128.MaxValue : (UInt128.One << Bits) - 1;

    /// <summary>Whether a match may give the field an arbitrary bitwise mask.</summary>
    public bool Maskable { get; }

    /// <summary>What the match must pin down first.</summary>
    public FieldPrerequisite Prerequisite { get; }

    /// <summary>Whether set_field may write the field.</summary>
    public bool Writable { get; }

    /// <summary>How values are written in flow syntax.</summary>
    public FieldFormat Format { get; }

    /// <summary>The 32-bit OXM header (class, field, has-mask bit, payload length) the codec will emit.</summary>
    public uint OxmHeader(bool hasMask) =>
        ((uint)OxmClass << 16) | ((uint)OxmField << 9) | (hasMask ? 0x100u : 0u) | (uint)(hasMask ? 2 * OxmLength : OxmLength);

    /// <summary>Reads the field from a key.</summary>
    public UInt128 Read(in PipelineKey key) => (ReadStorage(key.ReadOnlyBytes) & KeyMask) >> ValueShift;

    /// <summary>Writes the field into a key (bits of <paramref name="value"/> the key cannot hold are dropped).</summary>
    public void Write(ref PipelineKey key, UInt128 value) => WriteMasked(ref key, value, ValueMask);

    /// <summary>Writes the bits of <paramref name="value"/> under <paramref name="mask"/> into a key, as a masked set_field does.</summary>
    public void WriteMasked(ref PipelineKey key, UInt128 value, UInt128 mask)
    {
        UInt128 bits = (mask << ValueShift) & KeyMask;
        UInt128 raw = ReadStorage(key.ReadOnlyBytes);
        raw = (raw & ~bits) | ((value << ValueShift) & bits);
        WriteStorage(key.Bytes, raw);
    }

    /// <summary>The field's value and mask in a match.</summary>
    public (UInt128 Value, UInt128 Mask) Get(in PipelineMatch match) => (Read(match.Key), Read(match.Mask));

    /// <summary>Whether the match constrains any bit of the field.</summary>
    public bool IsMatched(in PipelineMatch match) => Read(match.Mask) != 0;

    /// <summary>Makes the match compare the field's bits under <paramref name="mask"/> with <paramref name="value"/>, replacing what it had for the field.</summary>
    public void Set(ref PipelineMatch match, UInt128 value, UInt128 mask)
    {
        mask &= ValueMask;
        Write(ref match.Key, value & mask);
        Write(ref match.Mask, mask);
    }

    /// <summary>Stops matching on the field.</summary>
    public void Clear(ref PipelineMatch match)
    {
        Write(ref match.Key, 0);
        Write(ref match.Mask, 0);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private UInt128 ReadStorage(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> s = bytes.Slice(KeyOffset, KeyLength);
        UInt128 v = 0;
        for (int i = 0; i < s.Length; i++)
        {
            int idx = BigEndian ? i : s.Length - 1 - i;
            v = (v << 8) | s[idx];
        }

        return v;
    }

    private void WriteStorage(Span<byte> bytes, UInt128 v)
    {
        Span<byte> s = bytes.Slice(KeyOffset, KeyLength);
        for (int i = s.Length - 1; i >= 0; i--)
        {
            int idx = BigEndian ? i : s.Length - 1 - i;
            s[idx] = (byte)(v & 0xff);
            v >>= 8;
        }
    }
}

using System.Buffers.Binary;

namespace FastPath.Ofproto.Classifier;

/// <summary>
/// A path-compressed binary trie of the address prefixes that the classifier's rules match on one 128-bit
/// address field (nw_src or nw_dst), as the prefix tries of the NSDI 2015 Open vSwitch paper.
/// </summary>
/// <remarks>
/// <para>
/// The field is taken as the key's 16 bytes at <see cref="ByteOffset"/> whatever the packet's dl_type: an IPv4
/// address is the first 4 of them (the rest of a key's field is zero), an IPv6 address all 16, so an IPv4 /24
/// and an IPv6 /64 are both leading-bit prefixes of the same 128 bits. Rules of different protocols may then
/// share trie paths; that can only make a lookup prove less, never something wrong, because what is proved is
/// about bits alone.
/// </para>
/// <para>
/// A probe walks a packet's address down the trie and returns which prefix lengths have a stored prefix equal
/// to the packet's leading bits, and how many leading bits the walk looked at. Any packet sharing those bits
/// walks the same path, so a subtable whose prefix length is missing from the set can be skipped by
/// un-wildcarding only min(length, bits looked at) bits of the field.
/// </para>
/// </remarks>
internal sealed class PrefixTrie
{
    /// <summary>Width of the field in bits.</summary>
    public const int Bits = 128;

    private readonly Node root = new();

    /// <summary>Makes an empty trie over the 16 bytes at <paramref name="byteOffset"/> of a pipeline key.</summary>
    public PrefixTrie(int byteOffset) => ByteOffset = byteOffset;

    /// <summary>Where the field starts in a pipeline key.</summary>
    public int ByteOffset { get; }

    /// <summary>What one probe found.</summary>
    public struct Probe
    {
        /// <summary>Whether the probe has run (probes are lazy: only a lookup that reaches a trie subtable pays).</summary>
        public bool Done;

        /// <summary>Bit L-1 set when a stored prefix of length L equals the address's first L bits.</summary>
        public UInt128 Lengths;

        /// <summary>How many leading bits of the address the walk looked at.</summary>
        public int CheckedBits;

        /// <summary>Whether a stored prefix of <paramref name="length"/> (1-128) equals the address's first bits.</summary>
        public readonly bool Has(int length) => ((Lengths >> (length - 1)) & UInt128.One) != UInt128.Zero;
    }

    /// <summary>The field of <paramref name="key"/> as a number whose most significant bit is the field's first bit.</summary>
    public UInt128 Read(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadUInt128BigEndian(key.Slice(ByteOffset, 16));

    /// <summary>The first <paramref name="length"/> bits set.</summary>
    public static UInt128 PrefixMask(int length) => length == 0 ? UInt128.Zero : UInt128.MaxValue << (Bits - length);

    /// <summary>
    /// The prefix length of a subtable's mask on this field: 0 when the mask leaves the field alone or is not a
    /// leading-bit prefix (such subtables do not use the trie).
    /// </summary>
    public int PrefixLengthOf(ReadOnlySpan<byte> mask)
    {
        UInt128 m = Read(mask);
        int ones = (int)UInt128.LeadingZeroCount(~m);
        return m == PrefixMask(ones) ? ones : 0;
    }

    /// <summary>Sets the first <paramref name="bits"/> bits of this field in <paramref name="wildcards"/>.</summary>
    public void Unwildcard(Span<byte> wildcards, int bits)
    {
        if (bits == 0)
        {
            return;
        }

        Span<byte> field = wildcards.Slice(ByteOffset, 16);
        BinaryPrimitives.WriteUInt128BigEndian(field, BinaryPrimitives.ReadUInt128BigEndian(field) | PrefixMask(bits));
    }

    /// <summary>How many bits <see cref="Unwildcard"/> of <paramref name="bits"/> bits would add to <paramref name="wildcards"/>.</summary>
    public int NewBits(ReadOnlySpan<byte> wildcards, int bits) =>
        (int)UInt128.PopCount(PrefixMask(bits) & ~BinaryPrimitives.ReadUInt128BigEndian(wildcards.Slice(ByteOffset, 16)));

    /// <summary>Adds one rule's prefix (<paramref name="length"/> 1-128; bits past it are ignored).</summary>
    public void Insert(UInt128 value, int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Bits);
        value &= PrefixMask(length);
        Node n = root;
        while (true)
        {
            if (n.Length == length)
            {
                n.Count++;
                return;
            }

            bool one = Bit(value, n.Length);
            Node? c = one ? n.One : n.Zero;
            if (c is null)
            {
                SetChild(n, one, new Node { Prefix = value, Length = length, Count = 1 });
                return;
            }

            int common = Math.Min(Math.Min(CommonBits(value, c.Prefix), length), c.Length);
            if (common == c.Length)
            {
                n = c;
                continue;
            }

            // The new prefix leaves c's edge part way: a node at the fork holds both.
            var fork = new Node { Prefix = value & PrefixMask(common), Length = common };
            SetChild(fork, Bit(c.Prefix, common), c);
            SetChild(n, one, fork);
            if (common == length)
            {
                fork.Count = 1;
            }
            else
            {
                SetChild(fork, Bit(value, common), new Node { Prefix = value, Length = length, Count = 1 });
            }

            return;
        }
    }

    /// <summary>Removes one rule's prefix; false when it was not there.</summary>
    public bool Remove(UInt128 value, int length)
    {
        if (length is < 1 or > Bits)
        {
            return false;
        }

        value &= PrefixMask(length);
        bool found = false;
        bool one = Bit(value, 0);
        Node? c = one ? root.One : root.Zero;
        if (c is not null)
        {
            SetChild(root, one, RemoveBelow(c, value, length, ref found));
        }

        return found;
    }

    /// <summary>Walks <paramref name="address"/> down the trie.</summary>
    public Probe Lookup(UInt128 address)
    {
        var p = new Probe { Done = true };
        Node n = root;
        while (true)
        {
            if (n.Count > 0)
            {
                p.Lengths |= UInt128.One << (n.Length - 1);
            }

            if (n.Zero is null && n.One is null)
            {
                // Nothing below: the next bit need not be looked at.
                p.CheckedBits = n.Length;
                return p;
            }

            Node? c = Bit(address, n.Length) ? n.One : n.Zero;
            if (c is null)
            {
                p.CheckedBits = n.Length + 1;
                return p;
            }

            int common = CommonBits(address & PrefixMask(c.Length), c.Prefix);
            if (common < c.Length)
            {
                p.CheckedBits = common + 1;
                return p;
            }

            n = c;
        }
    }

    private static Node? RemoveBelow(Node n, UInt128 value, int length, ref bool found)
    {
        if (n.Length > length || CommonBits(n.Prefix, value) < n.Length)
        {
            return n;
        }

        if (n.Length == length)
        {
            if (n.Count == 0)
            {
                return n;
            }

            found = true;
            n.Count--;
        }
        else
        {
            bool one = Bit(value, n.Length);
            Node? c = one ? n.One : n.Zero;
            if (c is null)
            {
                return n;
            }

            SetChild(n, one, RemoveBelow(c, value, length, ref found));
        }

        // Keep the trie compressed: a node that holds no prefix is kept only where two paths fork, so probes
        // do not look at bits that no longer tell rules apart.
        if (n.Count > 0 || (n.Zero is not null && n.One is not null))
        {
            return n;
        }

        return n.Zero ?? n.One;
    }

    private static bool Bit(UInt128 v, int index) => ((v >> (Bits - 1 - index)) & UInt128.One) != UInt128.Zero;

    private static int CommonBits(UInt128 a, UInt128 b) => (int)UInt128.LeadingZeroCount(a ^ b);

    private static void SetChild(Node n, bool one, Node? child)
    {
        if (one)
        {
            n.One = child;
        }
        else
        {
            n.Zero = child;
        }
    }

    private sealed class Node
    {
        public UInt128 Prefix;
        public int Length;
        public int Count;
        public Node? Zero;
        public Node? One;
    }
}

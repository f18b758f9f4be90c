namespace FastPath.Ofproto.Classifier;

/// <summary>
/// A path-compressed binary trie of 32-bit prefixes with a count per prefix, as the prefix tries of Open
/// vSwitch's classifier (NSDI 2015): one per IPv4 address field for the whole classifier, and one per subtable
/// for its rules' L4 ports (tp_src and tp_dst as one 32-bit word).
/// </summary>
/// <remarks>
/// <para>
/// A value's first bit is its most significant one (the wire's first bit for a big-endian field).
/// </para>
/// <para>
/// <see cref="Lookup"/> answers two questions for a packet's value, in the way Open vSwitch 3.1 does, so that
/// the megaflows agree with its: which prefix lengths have a stored prefix equal to the value's leading bits,
/// and how many leading bits of the value a packet must share with this one to get the same answer.
/// </para>
/// </remarks>
internal sealed class PrefixTrie
{
    /// <summary>Width of a value in bits.</summary>
    public const int Bits = 32;

    // Length 0, never holds a prefix (prefix lengths are 1-32): the fork on the first bit.
    private readonly Node root = new();

    /// <summary>Whether no prefix is stored.</summary>
    public bool IsEmpty => root.Zero is null && root.One is null;

    /// <summary>The first <paramref name="length"/> (0-32) bits set.</summary>
    public static uint PrefixMask(int length) => length == 0 ? 0 : uint.MaxValue << (Bits - length);

    /// <summary>The length of <paramref name="mask"/> as a prefix, or 0 when it is empty or has a hole (not a CIDR mask).</summary>
    public static int PrefixLengthOf(uint mask)
    {
        int ones = System.Numerics.BitOperations.LeadingZeroCount(~mask);
        return mask == PrefixMask(ones) ? ones : 0;
    }

    /// <summary>Adds one prefix (<paramref name="length"/> 1-32; bits past it are ignored).</summary>
    public void Insert(uint value, int length)
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

    /// <summary>Removes one prefix; false when it was not there.</summary>
    public bool Remove(uint value, int length)
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

    /// <summary>
    /// Walks <paramref name="value"/> down the trie. <paramref name="lengths"/> gets bit L-1 set for each length
    /// L at which a stored prefix equals the value's first L bits. The result is how many leading bits decided
    /// that: every value sharing them gets the same <paramref name="lengths"/> below the result.
    /// </summary>
    /// <remarks>
    /// Open vSwitch's rules: a walk that leaves an edge part way counts the first bit that differs; one that finds
    /// no edge for the next bit counts that bit too, unless it stands on a leaf (nothing below could differ) or
    /// the trie is empty; one that uses up all 32 bits counts them all.
    /// </remarks>
    public int Lookup(uint value, out uint lengths)
    {
        lengths = 0;
        Node n = root;
        while (true)
        {
            if (n.Count > 0)
            {
                lengths |= 1u << (n.Length - 1);
            }

            if (n.Length == Bits)
            {
                return Bits;
            }

            Node? c = Bit(value, n.Length) ? n.One : n.Zero;
            if (c is null)
            {
                bool leaf = n.Zero is null && n.One is null;
                return leaf ? n.Length : n.Length + 1;
            }

            int common = CommonBits(value, c.Prefix);
            if (common < c.Length)
            {
                return common + 1;
            }

            n = c;
        }
    }

    private static Node? RemoveBelow(Node n, uint value, int length, ref bool found)
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

        // Keep the trie compressed: a node that holds no prefix is kept only where two paths fork, so lookups
        // do not count bits that no longer tell prefixes apart.
        if (n.Count > 0 || (n.Zero is not null && n.One is not null))
        {
            return n;
        }

        return n.Zero ?? n.One;
    }

    private static bool Bit(uint v, int index) => ((v >> (Bits - 1 - index)) & 1) != 0;

    private static int CommonBits(uint a, uint b) => System.Numerics.BitOperations.LeadingZeroCount(a ^ b);

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
        public uint Prefix;
        public int Length;
        public int Count;
        public Node? Zero;
        public Node? One;
    }
}

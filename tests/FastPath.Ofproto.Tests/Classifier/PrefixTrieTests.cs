using FastPath.Ofproto.Classifier;

namespace FastPath.Ofproto.Tests.Classifier;

/// <summary>
/// The trie lookup's rules, which are Open vSwitch 3.1's (<c>trie_lookup_value</c>): how many leading bits of a
/// value decide the answer, and which prefix lengths the answer reports.
/// </summary>
public class PrefixTrieTests
{
    [Fact]
    public void AnEmptyTrieNeedsNoBitsAndHasNoLengths()
    {
        var t = new PrefixTrie();
        Assert.Equal(0, t.Lookup(Ip("192.168.1.1"), out uint lengths));
        Assert.Equal(0u, lengths);
        Assert.True(t.IsEmpty);
    }

    [Fact]
    public void LeavingAnEdgePartWayCountsTheFirstBitThatDiffers()
    {
        var t = new PrefixTrie();
        t.Insert(Ip("192.168.1.0"), 24);

        // 192.168.2.1 agrees on 22 bits, the 23rd differs: 23.
        Assert.Equal(23, t.Lookup(Ip("192.168.2.1"), out uint lengths));
        Assert.Equal(0u, lengths);

        // Differs at the very first bit: 1.
        Assert.Equal(1, t.Lookup(Ip("10.0.0.1"), out _));
    }

    [Fact]
    public void EndingOnALeafCountsOnlyItsBits()
    {
        var t = new PrefixTrie();
        t.Insert(Ip("10.0.0.0"), 8);

        // The whole /8 matches and nothing is below it: 8 bits, and length 8 is present.
        Assert.Equal(8, t.Lookup(Ip("10.1.2.3"), out uint lengths));
        Assert.Equal(1u << 7, lengths);
    }

    [Fact]
    public void MissingTheOtherBranchOfAForkCountsTheNextBit()
    {
        var t = new PrefixTrie();
        t.Insert(Ip("10.0.0.0"), 8);
        t.Insert(Ip("10.128.0.0"), 9);

        // 10.0.0.0/8 holds a rule and has a child on bit 8 = 1; 10.1.2.3 has bit 8 = 0 and there is no such
        // edge: the bit that chose the missing edge counts, 9.
        Assert.Equal(9, t.Lookup(Ip("10.1.2.3"), out uint lengths));
        Assert.Equal(1u << 7, lengths);

        // Down the existing edge: 9 bits, lengths 8 and 9 present.
        Assert.Equal(9, t.Lookup(Ip("10.200.0.1"), out lengths));
        Assert.Equal((1u << 7) | (1u << 8), lengths);
    }

    [Fact]
    public void ForkAtTheRootCountsOneBitForAMissingSide()
    {
        var t = new PrefixTrie();
        t.Insert(Ip("10.0.0.0"), 8);

        // The root has only the 0 edge; 192.x starts with 1: one bit.
        Assert.Equal(1, t.Lookup(Ip("192.168.1.1"), out uint lengths));
        Assert.Equal(0u, lengths);
    }

    [Fact]
    public void AFullLengthMatchCountsAllBits()
    {
        var t = new PrefixTrie();
        t.Insert(Ip("10.0.0.1"), 32);
        t.Insert(Ip("10.0.0.0"), 24);
        Assert.Equal(32, t.Lookup(Ip("10.0.0.1"), out uint lengths));
        Assert.Equal((1u << 31) | (1u << 23), lengths);
    }

    [Fact]
    public void CountsKeepSharedPrefixesUntilTheLastGoes()
    {
        var t = new PrefixTrie();
        t.Insert(Ip("10.0.0.0"), 8);
        t.Insert(Ip("10.0.0.0"), 8);
        t.Insert(Ip("10.1.0.0"), 16);
        Assert.True(t.Remove(Ip("10.0.0.0"), 8));
        Assert.Equal(16, t.Lookup(Ip("10.1.9.9"), out uint lengths));
        Assert.Equal((1u << 7) | (1u << 15), lengths);

        Assert.True(t.Remove(Ip("10.0.0.0"), 8));
        Assert.False(t.Remove(Ip("10.0.0.0"), 8));

        // Only 10.1/16 is left, compressed into one edge: 10.2.x leaves it at bit 14.
        Assert.Equal(15, t.Lookup(Ip("10.2.0.1"), out lengths));
        Assert.Equal(0u, lengths);
        Assert.True(t.Remove(Ip("10.1.0.0"), 16));
        Assert.True(t.IsEmpty);
    }

    [Fact]
    public void PrefixLengthOfAcceptsOnlyCidrMasks()
    {
        Assert.Equal(24, PrefixTrie.PrefixLengthOf(0xffffff00));
        Assert.Equal(32, PrefixTrie.PrefixLengthOf(uint.MaxValue));
        Assert.Equal(0, PrefixTrie.PrefixLengthOf(0));
        Assert.Equal(0, PrefixTrie.PrefixLengthOf(0x0000ffff));
        Assert.Equal(0, PrefixTrie.PrefixLengthOf(0xff00ff00));
    }

    [Fact]
    public void InsertRejectsLengthsOutsideTheField()
    {
        var t = new PrefixTrie();
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Insert(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Insert(1, 33));
    }

    private static uint Ip(string address) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(System.Net.IPAddress.Parse(address).GetAddressBytes());
}

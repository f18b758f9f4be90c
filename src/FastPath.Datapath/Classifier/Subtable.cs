using System.Runtime.InteropServices;
using FastPath.Packets;

namespace FastPath.Datapath.Classifier;

/// <summary>
/// All megaflows that share one mask: which key words the mask touches, and a bucketed hash table of
/// (hash, id) pairs in unmanaged memory.
/// </summary>
/// <remarks>
/// <para>
/// Only hashes and ids live in the table, so a miss, the common case of tuple space search, costs one
/// cache line and one SIMD compare; the key itself is compared in the flow record, which a hit touches
/// anyway for actions and stats.
/// </para>
/// <para>
/// Field order is for the lookup: the table (one cache line) and then the word count, word indexes and
/// the first mask words on the next, so a probe of a mask of up to five words reads two adjacent lines.
/// The size is a whole number of lines and the array is line-aligned, so every subtable starts a line.
/// </para>
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = 384)]
internal unsafe struct Subtable
{
    public SubtableHashTable Table;
    public int WordCount;
    public bool InUse;
    public fixed byte WordIndex[FlowKey.Words];
    public fixed ulong MaskWords[FlowKey.Words];
    public ulong Hits;
    public FlowKey Mask;
}

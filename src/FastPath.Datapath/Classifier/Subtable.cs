using FastPath.Packets;

namespace FastPath.Datapath.Classifier;

/// <summary>
/// All megaflows that share one mask: which key words the mask touches, and a bucketed hash table of
/// (hash, id) pairs in unmanaged memory.
/// </summary>
/// <remarks>
/// Only hashes and ids live in the table, so a miss, the common case of tuple space search, costs one
/// cache line and one SIMD compare; the key itself is compared in the flow record, which a hit touches
/// anyway for actions and stats.
/// </remarks>
internal unsafe struct Subtable
{
    public int WordCount;
    public bool InUse;
    public ulong Hits;
    public fixed byte WordIndex[FlowKey.Words];
    public SubtableHashTable Table;
    public fixed ulong MaskWords[FlowKey.Words];
    public FlowKey Mask;
}

using System.Runtime.InteropServices;

namespace FastPath.Datapath.Classifier;

/// <summary>
/// One cache line of a subtable's hash table: seven (hash, id) slots and an overflow count. A lookup
/// compares all seven hashes at once (SIMD) and moves to the next bucket only if some insert ever
/// had to pass this bucket because it was full.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal unsafe struct Bucket
{
    /// <summary>Slots per bucket; the eighth hash lane holds the overflow count.</summary>
    public const int Slots = 7;

    /// <summary>Lane that holds the overflow count instead of a hash.</summary>
    public const int OverflowLane = 7;

    /// <summary>Mask of the lanes that hold slot hashes.</summary>
    public const uint SlotLanes = (1u << Slots) - 1;

    /// <summary>Slot hashes, then (lane 7) how many flows live beyond this bucket although their home is here or earlier.</summary>
    public fixed uint Hashes[8];

    /// <summary>Flow id + 1 per slot; 0 marks a free slot. Lane 7 is unused.</summary>
    public fixed int Ids[8];
}

using System.Runtime.InteropServices;

namespace FastPath.Datapath.Classifier;

/// <summary>
/// One megaflow slot in unmanaged memory: four cache lines, so stats and bookkeeping (line 0), the
/// compacted key (lines 1-2) and short action programs (line 3) never share a line with another flow.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal unsafe struct FlowRecord
{
    public const int Size = 256;

    /// <summary>Action programs up to this length live in the record; longer ones get their own block.</summary>
    public const int InlineActionsCapacity = 64;

    [FieldOffset(0)] public MegaflowStats Stats;

    /// <summary>Bumped every time the slot is freed, so an (id, generation) pair names one flow forever.</summary>
    [FieldOffset(32)] public uint Generation;

    /// <summary>Index of the subtable descriptor holding the flow; -1 while the slot is free.</summary>
    [FieldOffset(36)] public int Subtable;

    [FieldOffset(40)] public int ActionsLength;

    /// <summary>Hash of the masked key, kept so removal and rehash never recompute it.</summary>
    [FieldOffset(44)] public uint Hash;

    /// <summary>Actions longer than the inline capacity; null otherwise.</summary>
    [FieldOffset(48)] public byte* HeapActions;

    /// <summary>Next free slot while this one is free; -1 ends the list.</summary>
    [FieldOffset(56)] public int NextFree;

    /// <summary>The key words the subtable's mask selects, already masked, in word-index order; zero beyond.</summary>
    [FieldOffset(64)] public fixed ulong Key[16];

    [FieldOffset(192)] public fixed byte InlineActions[InlineActionsCapacity];
}

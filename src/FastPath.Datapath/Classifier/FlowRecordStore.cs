using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastPath.Datapath.Classifier;

/// <summary>
/// The megaflow slots: <see cref="FlowRecord"/>s in fixed 2 MiB chunks of unmanaged memory that never move,
/// named by id (the slot number, reused after a free) and a generation that changes on every free. A chunk
/// is one huge page when the hugetlb pool has one (see <see cref="HugePageMemory"/>), else small pages.
/// </summary>
/// <remarks>
/// A struct so that <see cref="MegaflowClassifier"/> embeds it and a lookup reaches a record through
/// the same single load it always did. Keep it in a field and never copy it: a copy would share the
/// chunks but not the free list.
/// </remarks>
[SkipLocalsInit]
internal unsafe struct FlowRecordStore
{
    /// <summary>Records per chunk, as a shift.</summary>
    public const int ChunkShift = 13;

    private const int ChunkRecords = 1 << ChunkShift;
    private const nuint ChunkBytes = (nuint)ChunkRecords * FlowRecord.Size;

    private FlowRecord** chunks;

    // Per chunk, whether it is a huge page (freed by unmapping) or a small-page block (freed by AlignedMemory).
    private bool* chunkIsHuge;
    private readonly bool useHugePages;
    private int maxChunks;
    private int chunkCount;
    private int highWater;
    private int freeHead;
    private int count;

    /// <summary>
    /// Reserves the chunk directory for <paramref name="capacity"/> records; chunks come as ids are handed out,
    /// on huge pages while the pool has them if <paramref name="useHugePages"/>.
    /// </summary>
    public FlowRecordStore(int capacity, bool useHugePages = true)
    {
        maxChunks = (capacity + ChunkRecords - 1) >> ChunkShift;
        chunks = (FlowRecord**)NativeMemory.AllocZeroed((nuint)maxChunks, (nuint)sizeof(FlowRecord*));
        chunkIsHuge = (bool*)NativeMemory.AllocZeroed((nuint)maxChunks, sizeof(bool));
        this.useHugePages = useHugePages;
        freeHead = -1;
    }

    /// <summary>Chunks mapped so far, and how many of them are huge pages.</summary>
    public readonly (int Chunks, int HugeChunks) ChunkCounts
    {
        get
        {
            int huge = 0;
            for (int i = 0; i < chunkCount; i++)
            {
                huge += chunkIsHuge[i] ? 1 : 0;
            }

            return (chunkCount, huge);
        }
    }

    /// <summary>False once <see cref="Dispose"/> ran (or for a default instance).</summary>
    public readonly bool IsAllocated => chunks != null;

    /// <summary>Records holding a flow.</summary>
    public readonly int Count => count;

    /// <summary>One past the highest id ever handed out: every live id is below it.</summary>
    public readonly int HighWater => highWater;

    /// <summary>The record of slot <paramref name="id"/>, which must be below <see cref="HighWater"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly FlowRecord* Get(int id) => chunks[id >> ChunkShift] + (id & (ChunkRecords - 1));

    /// <summary>Whether slot <paramref name="id"/> holds a flow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool IsLive(int id) => (uint)id < (uint)highWater && Get(id)->Subtable >= 0;

    /// <summary>The live record <paramref name="id"/>, or an <see cref="ArgumentOutOfRangeException"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly FlowRecord* GetLive(int id)
    {
        if ((uint)id >= (uint)highWater)
        {
            ThrowNoFlow(id);
        }

        FlowRecord* r = Get(id);
        if (r->Subtable < 0)
        {
            ThrowNoFlow(id);
        }

        return r;
    }

    /// <summary>
    /// Hands out the lowest recently freed id, or a fresh one; the caller fills the record and must set its
    /// subtable. The caller checks capacity; the chunk directory was sized for it.
    /// </summary>
    public int Allocate()
    {
        int id;
        if (freeHead >= 0)
        {
            id = freeHead;
            freeHead = Get(id)->NextFree;
        }
        else
        {
            // The next chunk is mapped halfway through this one, so no insert pays for a chunk and a growth at once.
            if ((highWater >> ChunkShift) == chunkCount)
            {
                AddChunk();
            }

            id = highWater++;
            if ((id & (ChunkRecords - 1)) == ChunkRecords / 2 && chunkCount == (id >> ChunkShift) + 1 && chunkCount < maxChunks)
            {
                AddChunk();
            }
        }

        count++;
        return id;
    }

    private void AddChunk()
    {
        void* chunk = useHugePages ? HugePageMemory.TryMap(ChunkBytes) : null;
        chunkIsHuge[chunkCount] = chunk != null;
        chunks[chunkCount++] = (FlowRecord*)(chunk != null ? chunk : AlignedMemory.AllocZeroed(ChunkBytes));
    }

    /// <summary>Frees slot <paramref name="id"/> (its actions too) and bumps its generation.</summary>
    public void Free(int id)
    {
        FlowRecord* r = Get(id);
        FreeActions(r);
        r->Subtable = -1;
        r->Generation++;
        r->NextFree = freeHead;
        freeHead = id;
        count--;
    }

    /// <summary>Frees every slot; every live id's generation changes, and low ids are handed out first again.</summary>
    public void FreeAll()
    {
        freeHead = -1;
        for (int id = highWater - 1; id >= 0; id--)
        {
            FlowRecord* r = Get(id);
            if (r->Subtable >= 0)
            {
                FreeActions(r);
                r->Subtable = -1;
                r->Generation++;
            }

            r->NextFree = freeHead;
            freeHead = id;
        }

        count = 0;
    }

    /// <summary>The action program of record <paramref name="r"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> Actions(FlowRecord* r) =>
        new(r->HeapActions != null ? r->HeapActions : r->InlineActions, r->ActionsLength);

    /// <summary>Replaces the record's action program with a copy of <paramref name="actions"/>.</summary>
    public static void SetActions(FlowRecord* r, ReadOnlySpan<byte> actions)
    {
        FreeActions(r);
        byte* dst = r->InlineActions;
        if (actions.Length > FlowRecord.InlineActionsCapacity)
        {
            dst = (byte*)NativeMemory.Alloc((nuint)actions.Length);
            r->HeapActions = dst;
        }

        actions.CopyTo(new Span<byte>(dst, actions.Length));
        r->ActionsLength = actions.Length;
    }

    /// <summary>Frees all unmanaged memory; the store is unusable afterwards.</summary>
    public void Dispose()
    {
        if (chunks == null)
        {
            return;
        }

        for (int id = 0; id < highWater; id++)
        {
            FlowRecord* r = Get(id);
            if (r->Subtable >= 0)
            {
                FreeActions(r);
            }
        }

        for (int i = 0; i < chunkCount; i++)
        {
            if (chunkIsHuge[i])
            {
                HugePageMemory.Unmap(chunks[i], ChunkBytes);
            }
            else
            {
                AlignedMemory.Free(chunks[i]);
            }
        }

        NativeMemory.Free(chunks);
        NativeMemory.Free(chunkIsHuge);
        chunks = null;
        chunkIsHuge = null;
        chunkCount = 0;
        highWater = 0;
        freeHead = -1;
        count = 0;
    }

    private static void FreeActions(FlowRecord* r)
    {
        if (r->HeapActions != null)
        {
            NativeMemory.Free(r->HeapActions);
            r->HeapActions = null;
        }

        r->ActionsLength = 0;
    }

    private static void ThrowNoFlow(int id) =>
        throw new ArgumentOutOfRangeException(nameof(id), $"no megaflow with id {id}");
}

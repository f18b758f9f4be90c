using System.Runtime.InteropServices;

namespace FastPath.Datapath.Classifier;

/// <summary>Zeroed, cache-line-aligned unmanaged blocks for the classifier's tables and records.</summary>
internal static unsafe class AlignedMemory
{
    /// <summary>
    /// Zeroed memory on a 64-byte boundary from calloc, which skips the clearing pass for blocks it maps
    /// fresh: a large table then costs page faults spread over its first use, not one long memset that
    /// would stall the PMD. The block's own address sits just below the returned one, for <see cref="Free"/>.
    /// </summary>
    public static void* AllocZeroed(nuint bytes)
    {
        byte* raw = (byte*)NativeMemory.AllocZeroed(bytes + 64 + (nuint)sizeof(void*));
        byte* aligned = (byte*)(((nuint)raw + (nuint)sizeof(void*) + 63) & ~(nuint)63);
        ((void**)aligned)[-1] = raw;
        return aligned;
    }

    /// <summary>Frees a block from <see cref="AllocZeroed"/>.</summary>
    public static void Free(void* aligned) => NativeMemory.Free(((void**)aligned)[-1]);
}

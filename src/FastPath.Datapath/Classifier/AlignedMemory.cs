using System.Runtime.InteropServices;

namespace FastPath.Datapath.Classifier;

/// <summary>Zeroed, cache-line-aligned unmanaged blocks for the classifier's tables and records.</summary>
/// <remarks>
/// Large blocks are mapped straight from the kernel: a fresh anonymous mapping is zero without a clearing
/// pass, so growing a table to tens of megabytes costs page faults spread over the table's first use
/// instead of one memset that stalls the PMD for milliseconds. (calloc would do the same only while the
/// block stays above glibc's mmap threshold, which rises as large blocks are freed, and then it clears.)
/// </remarks>
internal static unsafe partial class AlignedMemory
{
    // Blocks from this size on are mapped; below it calloc's clearing pass is short.
    private const nuint MapThreshold = 256 * 1024;

    // Room in front of the block for its origin, keeping the block on a cache line.
    private const nuint Header = 64;

    internal const int ProtReadWrite = 0x1 | 0x2;
    internal const int MapPrivateAnonymous = 0x02 | 0x20;

    /// <summary>
    /// <paramref name="bytes"/> zeroed bytes on a 64-byte boundary; free with <see cref="Free"/>.
    /// Throws <see cref="OutOfMemoryException"/> when the memory is not there.
    /// </summary>
    public static void* AllocZeroed(nuint bytes)
    {
        nuint total = bytes + Header;
        byte* origin;
        nuint mappedLength = 0;
        if (bytes >= MapThreshold)
        {
            origin = (byte*)Mmap(null, total, ProtReadWrite, MapPrivateAnonymous, -1, 0);
            if (origin == (byte*)-1)
            {
                throw new OutOfMemoryException($"cannot map {total} bytes: {Marshal.GetLastPInvokeErrorMessage()}");
            }

            mappedLength = total;
        }
        else
        {
            origin = (byte*)NativeMemory.AllocZeroed(total);
        }

        byte* block = (byte*)(((nuint)origin + Header) & ~(nuint)63);
        ((nuint*)block)[-1] = mappedLength;
        ((void**)block)[-2] = origin;
        return block;
    }

    /// <summary>Frees a block from <see cref="AllocZeroed"/>.</summary>
    public static void Free(void* block)
    {
        nuint mappedLength = ((nuint*)block)[-1];
        void* origin = ((void**)block)[-2];
        if (mappedLength != 0)
        {
            Munmap(origin, mappedLength);
        }
        else
        {
            NativeMemory.Free(origin);
        }
    }

    /// <summary>
    /// Frees a block from <see cref="AllocZeroed"/> on a thread-pool thread. Unmapping waits for every core
    /// running this process to drop the pages from its TLB (an interprocessor interrupt each), which took
    /// milliseconds here for a table of megabytes: too long for a PMD to wait. The caller must no longer use the block.
    /// </summary>
    public static void FreeLater(void* block)
    {
        if (((nuint*)block)[-1] == 0)
        {
            Free(block);
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static b => Free((void*)b), (nint)block, preferLocal: false);
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    internal static partial void* Mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    internal static partial int Munmap(void* addr, nuint length);
}

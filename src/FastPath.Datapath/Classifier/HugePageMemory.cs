namespace FastPath.Datapath.Classifier;

/// <summary>
/// Zeroed blocks of whole 2 MiB huge pages from the kernel's hugetlb pool (what DPDK and OVS-DPDK run on),
/// for the megaflow records that a PMD writes as it installs flows.
/// </summary>
/// <remarks>
/// On small pages, a PMD installing megaflows takes a page fault every 16 records, and on a virtual machine
/// one fault in thousands stalled the thread for 5-13 ms (measured with the pause benchmark; a huge page
/// takes one fault per 8192 records). When the pool is empty or not configured (<c>vm.nr_hugepages</c>),
/// <see cref="TryMap"/> returns null and the caller falls back to small pages.
/// </remarks>
internal static unsafe class HugePageMemory
{
    /// <summary>The size of one huge page, and the unit of every block here.</summary>
    public const nuint PageSize = 2 * 1024 * 1024;

    private const int MapHugetlb = 0x40000;

    /// <summary>
    /// <paramref name="bytes"/> (a multiple of <see cref="PageSize"/>) of zeroed huge-page memory, faulted in on
    /// first touch; null when the pool cannot hold them. Free with <see cref="Unmap"/>.
    /// </summary>
    public static void* TryMap(nuint bytes)
    {
        if (bytes == 0 || bytes % PageSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), $"{bytes} is not a whole number of huge pages");
        }

        // Without MAP_NORESERVE the kernel reserves the pages now, so a touch later never fails with SIGBUS.
        void* p = AlignedMemory.Mmap(null, bytes, AlignedMemory.ProtReadWrite, AlignedMemory.MapPrivateAnonymous | MapHugetlb, -1, 0);
        return p == (void*)-1 ? null : p;
    }

    /// <summary>Returns a block from <see cref="TryMap"/> of <paramref name="bytes"/> bytes to the pool.</summary>
    public static void Unmap(void* block, nuint bytes) => AlignedMemory.Munmap(block, bytes);
}

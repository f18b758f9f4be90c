using System.Runtime.InteropServices;
using SharpPcap.LibPcap;

namespace FastPath.Datapath.Ports.Pcap;

/// <summary>
/// The few libpcap calls SharpPcap does not expose (pcap_setdirection), and the layout of
/// <c>struct pcap_pkthdr</c> for reading the header pointers of <see cref="PcapDevice.GetNextPacketPointers"/>.
/// </summary>
/// <remarks>
/// Resolved with <see cref="NativeLibrary"/> rather than a DllImport so this assembly needs no import
/// resolver of its own (only one may be set per assembly). The names are SharpPcap's, so the loader
/// hands back the library SharpPcap already uses and the pcap_t pointers agree.
/// </remarks>
internal static unsafe class LibPcapNative
{
    /// <summary>PCAP_D_INOUT.</summary>
    public const int DirectionInOut = 0;

    /// <summary>PCAP_D_IN.</summary>
    public const int DirectionIn = 1;

    private static readonly string[] Candidates = ["libpcap.so", "libpcap.so.0", "libpcap.so.0.8", "libpcap.so.1", "libpcap.dylib"];
    private static delegate* unmanaged<nint, int, int> setDirection;

    /// <summary>Offset of caplen in <c>struct pcap_pkthdr</c>: after a <c>struct timeval</c> of two C longs (Linux, LP64 and ILP32).</summary>
    public static int CapLenOffset => 2 * IntPtr.Size;

    /// <summary>Offset of len (the packet's length on the wire) in <c>struct pcap_pkthdr</c>.</summary>
    public static int WireLenOffset => CapLenOffset + sizeof(uint);

    /// <summary>pcap_setdirection on an activated handle; returns libpcap's result (0 or a negative PCAP_ERROR).</summary>
    public static int SetDirection(PcapHandle handle, int direction)
    {
        if (setDirection == null)
        {
            setDirection = (delegate* unmanaged<nint, int, int>)Resolve("pcap_setdirection");
        }

        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return setDirection(handle.DangerousGetHandle(), direction);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static nint Resolve(string symbol)
    {
        foreach (string name in Candidates)
        {
            if (NativeLibrary.TryLoad(name, out nint lib) && NativeLibrary.TryGetExport(lib, symbol, out nint fn))
            {
                return fn;
            }
        }

        throw new DllNotFoundException($"libpcap with {symbol} not found (tried {string.Join(", ", Candidates)})");
    }
}

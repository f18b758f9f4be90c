using SharpPcap;

namespace FastPath.Datapath.Ports.Pcap;

/// <summary>A pcap port could not be opened or configured; the message names the port and the reason.</summary>
public sealed class PcapNetdevException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PcapNetdevException(string message, PcapError? error = null, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>libpcap's error code, when libpcap reported one.</summary>
    public PcapError? Error { get; }
}

using FastPath.Packets;

namespace FastPath.Datapath.Ports.Pcap;

/// <summary>Settings of a <see cref="PcapNetdev"/>.</summary>
public sealed class PcapOptions
{
    /// <summary>Options for <paramref name="interfaceName"/> with every other setting at its default.</summary>
    public PcapOptions(string interfaceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        InterfaceName = interfaceName;
    }

    /// <summary>Kernel interface to capture on and inject into.</summary>
    public string InterfaceName { get; }

    /// <summary>Frames in the receive pool (received packets live there until sent or dropped).</summary>
    public int FrameCount { get; init; } = 2048;

    /// <summary>Size of each frame; the largest packet received is this minus the pool's headroom.</summary>
    public int FrameSize { get; init; } = PacketPool.DefaultFrameSize;

    /// <summary>Kernel capture buffer in bytes (pcap_set_buffer_size); packets beyond it are dropped by the kernel.</summary>
    public int KernelBufferBytes { get; init; } = 4 << 20;

    /// <summary>Whether to put the interface in promiscuous mode (a switch port must see every destination MAC).</summary>
    public bool Promiscuous { get; init; } = true;

    /// <summary>Which directions to capture; <see cref="PcapDirection.In"/> keeps the port from seeing its own output.</summary>
    public PcapDirection Direction { get; init; } = PcapDirection.In;

    /// <summary>How long a read that found nothing silences the receive queue, in TSC cycles (null: <see cref="IdlePollBackoff.DefaultIntervalCycles"/>; 0: read on every poll).</summary>
    public ulong? IdlePollIntervalCycles { get; init; }
}

namespace FastPath.Datapath.Ports.Pcap;

/// <summary>Which packets a <see cref="PcapNetdev"/> captures, by their direction on the interface.</summary>
public enum PcapDirection
{
    /// <summary>Only packets arriving on the interface (PCAP_D_IN): the port never sees what is sent out of it.</summary>
    In,

    /// <summary>Packets in both directions (PCAP_D_INOUT), including those other senders transmit on the interface.</summary>
    InOut,
}

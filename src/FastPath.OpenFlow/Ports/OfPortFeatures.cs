namespace FastPath.OpenFlow.Ports;

/// <summary>A port's link features (OFPPF_*, OpenFlow 1.3 numbering; the codec maps 1.0's shorter list).</summary>
[Flags]
public enum OfPortFeatures : uint
{
    /// <summary>No feature reported.</summary>
    None = 0,

    /// <summary>10 Mb half duplex.</summary>
    Rate10MbHd = 1 << 0,

    /// <summary>10 Mb full duplex.</summary>
    Rate10MbFd = 1 << 1,

    /// <summary>100 Mb half duplex.</summary>
    Rate100MbHd = 1 << 2,

    /// <summary>100 Mb full duplex.</summary>
    Rate100MbFd = 1 << 3,

    /// <summary>1 Gb half duplex.</summary>
    Rate1GbHd = 1 << 4,

    /// <summary>1 Gb full duplex.</summary>
    Rate1GbFd = 1 << 5,

    /// <summary>10 Gb full duplex.</summary>
    Rate10GbFd = 1 << 6,

    /// <summary>40 Gb full duplex.</summary>
    Rate40GbFd = 1 << 7,

    /// <summary>100 Gb full duplex.</summary>
    Rate100GbFd = 1 << 8,

    /// <summary>1 Tb full duplex.</summary>
    Rate1TbFd = 1 << 9,

    /// <summary>Another rate.</summary>
    Other = 1 << 10,

    /// <summary>Copper medium.</summary>
    Copper = 1 << 11,

    /// <summary>Fiber medium.</summary>
    Fiber = 1 << 12,

    /// <summary>Auto-negotiation.</summary>
    Autoneg = 1 << 13,

    /// <summary>Pause.</summary>
    Pause = 1 << 14,

    /// <summary>Asymmetric pause.</summary>
    PauseAsym = 1 << 15,
}

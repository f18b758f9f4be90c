namespace FastPath.Datapath.Ports.Tap;

/// <summary>A tap device could not be created or attached (no /dev/net/tun, no CAP_NET_ADMIN, a bad name).</summary>
public sealed class TapNetdevException(string message) : Exception(message);

namespace FastPath.Ofproto.Xlate;

/// <summary>A translation that cannot be done (an unsupported combination); the packet is dropped and the failure counted.</summary>
public sealed class XlateException(string message) : Exception(message);

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_HELLO, with the version bitmap element when the sender offers several versions.</summary>
/// <param name="VersionBitmap">The versions offered (bit N: wire version N), or null when the hello carries no bitmap.</param>
public sealed record Hello(uint? VersionBitmap) : OfMessage;

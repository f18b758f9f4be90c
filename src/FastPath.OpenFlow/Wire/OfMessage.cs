namespace FastPath.OpenFlow.Wire;

/// <summary>
/// One decoded OpenFlow message, independent of the version it travelled in (as Open vSwitch's ofputil_*
/// structures are): the codec turns wire bytes of any supported version into these and back.
/// </summary>
public abstract record OfMessage;

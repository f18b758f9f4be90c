namespace FastPath.OpenFlow.Wire;

/// <summary>A message the codec or the switch refuses, with the OpenFlow error it is answered with.</summary>
public sealed class OfErrorException(OfError error, string message) : Exception(message)
{
    /// <summary>The OpenFlow error sent back.</summary>
    public OfError Error { get; } = error;
}

namespace FastPath.Ofproto.Meters;

/// <summary>A meter-mod the meter table refuses, with the OpenFlow error it answers with; nothing changed.</summary>
public sealed class MeterModException(MeterModError error, string message) : Exception(message)
{
    /// <summary>The OpenFlow error.</summary>
    public MeterModError Error { get; } = error;
}

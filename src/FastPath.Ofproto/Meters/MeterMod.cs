using FastPath.OpenFlow.Meters;

namespace FastPath.Ofproto.Meters;

/// <summary>One meter-mod request, whatever protocol version or tool it came from.</summary>
/// <param name="Command">What to do.</param>
/// <param name="Meter">The meter to add, or its new flags and bands; for a delete only the id counts.</param>
public sealed record MeterMod(MeterModCommand Command, OfMeterConfig Meter)
{
    /// <summary>Adds <paramref name="meter"/>.</summary>
    public static MeterMod Add(OfMeterConfig meter) => new(MeterModCommand.Add, meter);

    /// <summary>Gives meter <paramref name="meter"/>'s id its flags and bands.</summary>
    public static MeterMod Modify(OfMeterConfig meter) => new(MeterModCommand.Modify, meter);

    /// <summary>Deletes meter <paramref name="meterId"/> (<see cref="OfMeterIds.All"/>: every meter).</summary>
    public static MeterMod Delete(uint meterId) => new(MeterModCommand.Delete, new OfMeterConfig { MeterId = meterId });
}

namespace FastPath.Ofproto.Normal;

/// <summary>One learned address as <c>ovs-appctl fdb/show</c> lists it: port, VLAN, MAC and age in seconds.</summary>
/// <param name="Port">The port the address was last seen on.</param>
/// <param name="Vlan">The VLAN it was seen in (the bridge-internal VLAN, 0-4095).</param>
/// <param name="Mac">The address (see <see cref="EthernetAddress"/>).</param>
/// <param name="AgeSeconds">Whole seconds since it was last seen (0 for a static entry).</param>
/// <param name="IsStatic">Whether it was added by <c>fdb/add</c>: it never ages, moves or is flushed.</param>
public readonly record struct MacLearningEntry(uint Port, ushort Vlan, ulong Mac, long AgeSeconds, bool IsStatic = false)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Port,5} {Vlan,5}  {EthernetAddress.Format(Mac)}  {(IsStatic ? "static" : AgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),3}";
}

namespace FastPath.Ofproto.Normal;

/// <summary>One learned address as <c>ovs-appctl fdb/show</c> lists it: port, VLAN, MAC and age in seconds.</summary>
/// <param name="Port">The port the address was last seen on.</param>
/// <param name="Vlan">The VLAN it was seen in (the bridge-internal VLAN, 0-4095).</param>
/// <param name="Mac">The address (see <see cref="EthernetAddress"/>).</param>
/// <param name="AgeSeconds">Whole seconds since it was last seen.</param>
public readonly record struct MacLearningEntry(uint Port, ushort Vlan, ulong Mac, long AgeSeconds)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Port,5} {Vlan,5}  {EthernetAddress.Format(Mac)}  {AgeSeconds,3}";
}

namespace FastPath.Ofproto.Normal;

/// <summary>
/// A port's VLAN configuration as the Port table gives it (vlan_mode, tag, trunks, other_config:priority-tags),
/// normalized the way ovs-vswitchd does before switching with it. Immutable.
/// </summary>
/// <remarks>
/// <para>
/// Defaults follow bridge.c: without vlan_mode, a port with a tag is an access port (its trunks are ignored),
/// otherwise a trunk. An access or native port without a tag uses VLAN 0; a trunk has no VLAN of its own.
/// </para>
/// <para>
/// Trunks follow ofproto-dpif's bundle_set: empty means every VLAN; a native-tagged or native-untagged port
/// with a nonzero native VLAN always trunks that VLAN and never VLAN 0 (an untagged frame there is in the
/// native VLAN, and VLAN 0 frames are not sent to it).
/// </para>
/// </remarks>
public sealed class PortVlanConfig
{
    private const int Vlans = MacLearningTable.MaxVlan + 1;

    /// <summary>null: trunks every VLAN (access ports trunk none, which <see cref="Trunks"/> handles).</summary>
    private readonly ulong[]? trunks;

    private PortVlanConfig(PortVlanMode mode, ushort vlan, ulong[]? trunks, PriorityTagsMode priorityTags)
    {
        Mode = mode;
        Vlan = vlan;
        this.trunks = trunks;
        PriorityTags = priorityTags;
    }

    /// <summary>A trunk of every VLAN: Open vSwitch's default for a port with no VLAN settings.</summary>
    public static PortVlanConfig Default { get; } = new(PortVlanMode.Trunk, 0, null, PriorityTagsMode.Never);

    /// <summary>The effective mode.</summary>
    public PortVlanMode Mode { get; }

    /// <summary>The access VLAN or native VLAN (0 when no tag was given); meaningless for <see cref="PortVlanMode.Trunk"/>.</summary>
    public ushort Vlan { get; }

    /// <summary>The priority-tags setting.</summary>
    public PriorityTagsMode PriorityTags { get; }

    /// <summary>Builds a configuration from the Port table's columns.</summary>
    /// <param name="mode">vlan_mode, or null for the default (access if <paramref name="tag"/> is set, otherwise trunk).</param>
    /// <param name="tag">tag (0-4095), or null.</param>
    /// <param name="trunks">trunks (each 0-4095); null or empty means all VLANs.</param>
    /// <param name="priorityTags">other_config:priority-tags.</param>
    /// <exception cref="ArgumentOutOfRangeException">A tag or trunk outside 0-4095.</exception>
    /// <exception cref="ArgumentException">An explicit trunk mode with a tag (ovs-vswitchd.conf.db(5): "Must be empty if this is a trunk port").</exception>
    public static PortVlanConfig Create(PortVlanMode? mode = null, int? tag = null, IEnumerable<int>? trunks = null, PriorityTagsMode priorityTags = PriorityTagsMode.Never)
    {
        if (tag is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)t, (uint)MacLearningTable.MaxVlan, nameof(tag));
        }

        ulong[]? bits = null;
        if (trunks is not null)
        {
            foreach (int v in trunks)
            {
                ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)v, (uint)MacLearningTable.MaxVlan, nameof(trunks));
                bits ??= new ulong[Vlans / 64];
                bits[v >> 6] |= 1UL << (v & 63);
            }
        }

        PortVlanMode m = mode ?? (tag.HasValue ? PortVlanMode.Access : PortVlanMode.Trunk);
        if (m == PortVlanMode.Trunk && tag.HasValue)
        {
            throw new ArgumentException("a trunk port has no tag (set vlan_mode native-tagged or native-untagged for a native VLAN)", nameof(tag));
        }

        ushort vlan = (ushort)(tag ?? 0);
        switch (m)
        {
            case PortVlanMode.Access:
                bits = null;
                break;
            case PortVlanMode.NativeTagged:
            case PortVlanMode.NativeUntagged:
                if (vlan != 0 && (bits is null || !IsSet(bits, vlan) || IsSet(bits, 0)))
                {
                    if (bits is null)
                    {
                        bits = new ulong[Vlans / 64];
                        Array.Fill(bits, ulong.MaxValue);
                    }

                    bits[vlan >> 6] |= 1UL << (vlan & 63);
                    bits[0] &= ~1UL;
                }

                break;
            case PortVlanMode.Trunk:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown VLAN mode");
        }

        return new PortVlanConfig(m, vlan, bits, priorityTags);
    }

    /// <summary>An access port in <paramref name="vlan"/>.</summary>
    public static PortVlanConfig AccessPort(int vlan) => Create(PortVlanMode.Access, vlan);

    /// <summary>A trunk port of <paramref name="vlans"/> (none given: all VLANs).</summary>
    public static PortVlanConfig TrunkPort(params int[] vlans) => Create(PortVlanMode.Trunk, null, vlans);

    /// <summary>
    /// Whether the port trunks <paramref name="vlan"/> (Open vSwitch's <c>xbundle_trunks_vlan</c>): never for an
    /// access port; for the others, the trunks set (empty = all), with the native-mode adjustments.
    /// </summary>
    public bool Trunks(ushort vlan) =>
        Mode != PortVlanMode.Access && vlan <= MacLearningTable.MaxVlan && (trunks is null || IsSet(trunks, vlan));

    /// <summary>
    /// Whether a frame whose outer 802.1Q header carries <paramref name="vid"/> (0 when untagged or priority-tagged)
    /// may enter on this port (Open vSwitch's <c>input_vid_is_valid</c>).
    /// </summary>
    public bool AcceptsInput(ushort vid) => Mode switch
    {
        PortVlanMode.Access => vid == 0,
        PortVlanMode.NativeTagged or PortVlanMode.NativeUntagged => vid == 0 || Trunks(vid),
        _ => Trunks(vid),
    };

    /// <summary>The VLAN a frame with outer VID <paramref name="vid"/> belongs to inside the bridge (after <see cref="AcceptsInput"/>).</summary>
    public ushort InputVlan(ushort vid) => Mode switch
    {
        PortVlanMode.Access => Vlan,
        PortVlanMode.NativeTagged or PortVlanMode.NativeUntagged => vid == 0 ? Vlan : vid,
        _ => vid,
    };

    /// <summary>
    /// Whether a frame in bridge VLAN <paramref name="vlan"/> may leave through this port (Open vSwitch's
    /// <c>xbundle_includes_vlan</c>); <paramref name="innerVid"/> is the VID of a second (inner) tag the frame
    /// keeps, 0 if none: an access port takes no frame that would still carry a VLAN after its own is removed.
    /// </summary>
    public bool CarriesVlan(ushort vlan, ushort innerVid = 0) => Mode == PortVlanMode.Access
        ? vlan == Vlan && innerVid == 0
        : Trunks(vlan);

    /// <inheritdoc/>
    public override string ToString()
    {
        string mode = Mode switch
        {
            PortVlanMode.Access => "access",
            PortVlanMode.NativeTagged => "native-tagged",
            PortVlanMode.NativeUntagged => "native-untagged",
            _ => "trunk",
        };
        return Mode == PortVlanMode.Trunk ? mode : $"{mode} tag={Vlan}";
    }

    private static bool IsSet(ulong[] bits, int v) => (bits[v >> 6] & (1UL << (v & 63))) != 0;
}

using FastPath.OpenFlow.Ports;

namespace FastPath.Ofproto.Xlate;

/// <summary>
/// The bridge's ports as xlate sees them: OpenFlow port numbers (equal to datapath port numbers in FastPath),
/// which take part in FLOOD, and which one is LOCAL. Owned by the ofproto thread; changes bump <see cref="Version"/>.
/// </summary>
public sealed class BridgePorts
{
    private readonly Dictionary<uint, string> names = [];
    private readonly SortedDictionary<uint, bool> ports = [];
    private readonly HashSet<uint> down = [];
    private readonly Dictionary<uint, OfPortConfig> config = [];

    /// <summary>A bridge without ports; <paramref name="normal"/> is the NORMAL action's state (a new default one when null).</summary>
    public BridgePorts(NormalBridge? normal = null) => Normal = normal ?? new NormalBridge();

    /// <summary>The NORMAL action's per-port VLAN configuration and MAC learning table; a port removed is forgotten there too.</summary>
    public NormalBridge Normal { get; }

    /// <summary>Changes with every port added, removed or reconfigured.</summary>
    public long Version { get; private set; }

    /// <summary>The datapath port behind OpenFlow's LOCAL, if the bridge has one.</summary>
    public uint? LocalPort { get; private set; }

    /// <summary>Port numbers, ascending.</summary>
    public IEnumerable<uint> Numbers => ports.Keys;

    /// <summary>Adds or reconfigures port <paramref name="number"/>, named <paramref name="name"/> in traces (its number when null).</summary>
    public void Set(uint number, bool noFlood = false, bool isLocal = false, string? name = null)
    {
        ports[number] = noFlood;
        if (name is not null)
        {
            names[number] = name;
        }
        if (isLocal)
        {
            LocalPort = number;
        }

        Version++;
    }

    /// <summary>Removes port <paramref name="number"/>.</summary>
    public void Remove(uint number)
    {
        if (ports.Remove(number))
        {
            if (LocalPort == number)
            {
                LocalPort = null;
            }

            Normal.ForgetPort(number);
            down.Remove(number);
            names.Remove(number);
            config.Remove(number);

            Version++;
        }
    }

    /// <summary>The port's name as traces give it (Open vSwitch's bundle name): its interface's, else its number.</summary>
    public string NameOf(uint number) => names.TryGetValue(number, out string? name) ? name : number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether port <paramref name="number"/> exists.</summary>
    public bool Contains(uint number) => ports.ContainsKey(number);

    /// <summary>
    /// Marks port <paramref name="number"/> live (its link up, as OpenFlow's OFPPS_LIVE) or not; a change moves
    /// <see cref="Version"/>, so the megaflows that chose a group bucket by it are translated again.
    /// </summary>
    public void SetLive(uint number, bool live)
    {
        if (live ? down.Remove(number) : down.Add(number))
        {
            Version++;
        }
    }

    /// <summary>Whether port <paramref name="number"/> exists and is live (what fast-failover and select buckets watch).</summary>
    public bool IsLive(uint number) => ports.ContainsKey(number) && !down.Contains(number);

    /// <summary>Whether port <paramref name="number"/> is left out of FLOOD.</summary>
    public bool IsNoFlood(uint number) => ports.TryGetValue(number, out bool noFlood) && noFlood;

    /// <summary>
    /// Sets port <paramref name="number"/>'s administrative settings (OpenFlow port-mod): down or no_fwd ports
    /// send nothing, no_recv ports take nothing in, no_packet_in ports' packets never reach the controller,
    /// no_flood ports are left out of FLOOD. A change makes every megaflow translate again.
    /// </summary>
    public void SetConfig(uint number, OfPortConfig settings)
    {
        if (!ports.ContainsKey(number))
        {
            throw new ArgumentException($"no port {number}", nameof(number));
        }

        config[number] = settings;
        ports[number] = (settings & OfPortConfig.NoFlood) != 0;
        Version++;
    }

    /// <summary>Port <paramref name="number"/>'s administrative settings.</summary>
    public OfPortConfig ConfigOf(uint number) =>
        config.TryGetValue(number, out OfPortConfig c) ? c : IsNoFlood(number) ? OfPortConfig.NoFlood : OfPortConfig.None;

    /// <summary>Whether packets may leave through port <paramref name="number"/> (not down, not no_fwd).</summary>
    public bool CanSend(uint number) => (ConfigOf(number) & (OfPortConfig.PortDown | OfPortConfig.NoFwd)) == 0;

    /// <summary>Whether packets received on port <paramref name="number"/> are processed (not down, not no_recv).</summary>
    public bool CanReceive(uint number) => (ConfigOf(number) & (OfPortConfig.PortDown | OfPortConfig.NoRecv)) == 0;
}

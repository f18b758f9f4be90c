using FastPath.Datapath.Ports;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Ports;
using FastPath.OpenFlow.Wire.Ports;

namespace FastPath.Ofproto.Bridge;

/// <summary>
/// A bridge's ports as OpenFlow sees them: number, device, Ethernet address, name, settings and state, kept in
/// step with the translator's view (<see cref="BridgePorts"/>). Owned by the ofproto thread, like the tables;
/// every change is announced through <see cref="Changed"/> (what port-status messages report).
/// </summary>
public sealed class PortTable
{
    private readonly SortedDictionary<uint, Entry> ports = [];
    private readonly BridgePorts view;

    /// <summary>Ports of a bridge whose translator sees them through <paramref name="view"/>.</summary>
    public PortTable(BridgePorts view) => this.view = view;

    /// <summary>A port was added, deleted or modified (OFPPR_ADD, DELETE, MODIFY), with its description after the change (before, for a delete).</summary>
    public event Action<OfPortDesc, PortChange>? Changed;

    /// <summary>Every port, LOCAL last, as Open vSwitch lists them.</summary>
    public IEnumerable<OfPortDesc> Descriptions =>
        ports.Values.Select(e => e.Description).OrderBy(d => d.PortNo == OfPorts.Local ? 1 : 0).ThenBy(d => d.PortNo);

    /// <summary>Number of ports (LOCAL included).</summary>
    public int Count => ports.Count;

    /// <summary>Adds a port: <paramref name="portNo"/> is its OpenFlow number (<see cref="OfPorts.Local"/> for the bridge's own port), carried by datapath port <paramref name="datapathPort"/>.</summary>
    public void Add(uint portNo, uint datapathPort, INetdev netdev, OfPortDesc description)
    {
        if (ports.ContainsKey(portNo))
        {
            throw new ArgumentException($"port {OfPorts.Format(portNo)} exists", nameof(portNo));
        }

        var entry = new Entry(datapathPort, netdev, description with { PortNo = portNo });
        ports.Add(portNo, entry);
        var config = (OfPortConfig)description.Config;
        view.Set(datapathPort, noFlood: (config & OfPortConfig.NoFlood) != 0, isLocal: portNo == OfPorts.Local, name: description.Name);
        view.SetConfig(datapathPort, config);
        view.SetLive(datapathPort, (description.State & OfPortDesc.StateLinkDown) == 0);
        Changed?.Invoke(entry.Description, PortChange.Add);
    }

    /// <summary>Removes port <paramref name="portNo"/>; false if there is none.</summary>
    public bool Remove(uint portNo)
    {
        if (!ports.Remove(portNo, out Entry? entry))
        {
            return false;
        }

        view.Remove(entry.DatapathPort);
        Changed?.Invoke(entry.Description, PortChange.Delete);
        return true;
    }

    /// <summary>Port <paramref name="portNo"/>'s description, if it exists.</summary>
    public OfPortDesc? Find(uint portNo) => ports.TryGetValue(portNo, out Entry? e) ? e.Description : null;

    /// <summary>Port <paramref name="portNo"/>'s device, if it exists.</summary>
    public INetdev? Device(uint portNo) => ports.TryGetValue(portNo, out Entry? e) ? e.Netdev : null;

    /// <summary>
    /// Changes the settings of port <paramref name="portNo"/> under <paramref name="mask"/> (OpenFlow port-mod);
    /// a port taken down also loses its link (OFPPS_LINK_DOWN), as an interface set down does.
    /// </summary>
    public OfPortDesc Configure(uint portNo, OfPortConfig config, OfPortConfig mask)
    {
        Entry e = ports[portNo];
        var before = (OfPortConfig)e.Description.Config;
        OfPortConfig next = (before & ~mask) | (config & mask);
        bool down = (next & OfPortConfig.PortDown) != 0;
        uint state = down
            ? (e.Description.State | OfPortDesc.StateLinkDown) & ~OfPortDesc.StateLive
            : (e.Description.State & ~OfPortDesc.StateLinkDown) | OfPortDesc.StateLive;
        if (next == before && state == e.Description.State)
        {
            return e.Description;
        }

        e.Description = e.Description with { Config = (uint)next, State = state };
        view.SetConfig(e.DatapathPort, next);
        view.SetLive(e.DatapathPort, !down);
        Changed?.Invoke(e.Description, PortChange.Modify);
        return e.Description;
    }

    private sealed class Entry(uint datapathPort, INetdev netdev, OfPortDesc description)
    {
        public uint DatapathPort { get; } = datapathPort;

        public INetdev Netdev { get; } = netdev;

        public OfPortDesc Description { get; set; } = description;
    }
}

/// <summary>What happened to a port (OFPPR_*).</summary>
public enum PortChange : byte
{
    /// <summary>OFPPR_ADD.</summary>
    Add = 0,

    /// <summary>OFPPR_DELETE.</summary>
    Delete = 1,

    /// <summary>OFPPR_MODIFY.</summary>
    Modify = 2,
}

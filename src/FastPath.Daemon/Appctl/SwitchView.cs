using FastPath.Datapath;
using FastPath.Ofproto.Bridge;

namespace FastPath.Daemon.Appctl;

/// <summary>A thread-safe <see cref="ISwitchView"/> the daemon keeps up to date as it adds and removes bridges.</summary>
public sealed class SwitchView(NetdevDatapath datapath, string datapathName = "ovs-netdev") : ISwitchView
{
    private readonly Lock gate = new();
    private readonly List<BridgeHost> bridges = [];

    /// <inheritdoc/>
    public string DatapathName { get; } = datapathName;

    /// <inheritdoc/>
    public NetdevDatapath Datapath { get; } = datapath;

    /// <inheritdoc/>
    public IReadOnlyList<BridgeHost> Bridges
    {
        get
        {
            lock (gate)
            {
                return [.. bridges];
            }
        }
    }

    /// <summary>Shows <paramref name="bridge"/> to the commands.</summary>
    public void Add(BridgeHost bridge)
    {
        ArgumentNullException.ThrowIfNull(bridge);
        lock (gate)
        {
            bridges.Add(bridge);
        }
    }

    /// <summary>Hides the bridge named <paramref name="name"/>; false if there was none.</summary>
    public bool Remove(string name)
    {
        lock (gate)
        {
            return bridges.RemoveAll(b => b.Name == name) > 0;
        }
    }
}

namespace FastPath.Connmgr.Tests;

/// <summary>A manager with one loopback listener, and raw peers connecting to it.</summary>
internal sealed class Fixture : IAsyncDisposable
{
    private readonly List<RawPeer> peers = [];

    private Fixture(OfConnectionManager manager, OfPassiveRemote listener, RecordingHandler handler)
    {
        Manager = manager;
        Listener = listener;
        Handler = handler;
    }

    public OfConnectionManager Manager { get; }

    public OfPassiveRemote Listener { get; }

    public RecordingHandler Handler { get; }

    public static Fixture Start(OfConnectionOptions? options = null, OfConnectionKind? kind = null, string target = "ptcp:0:127.0.0.1")
    {
        var handler = new RecordingHandler();
        var manager = new OfConnectionManager(handler);
        var listener = (OfPassiveRemote)manager.AddRemote(target, new OfRemoteOptions { Connection = options ?? new OfConnectionOptions(), Kind = kind });
        return new Fixture(manager, listener, handler);
    }

    public async Task<RawPeer> ConnectAsync()
    {
        RawPeer p = await RawPeer.ConnectAsync(Listener.LocalEndPoint);
        peers.Add(p);
        return p;
    }

    /// <summary>Connects and completes the hello exchange at <paramref name="version"/>.</summary>
    public async Task<(RawPeer Peer, OfConnection Connection)> ConnectActiveAsync(byte version = 0x04)
    {
        RawPeer p = await ConnectAsync();
        await p.HandshakeAsync(version);
        int before = peers.Count;
        OfConnection? c = null;
        Assert.True(await Wait.UntilAsync(() => (c = Listener.Connections.FirstOrDefault(x => x.State == OfConnectionState.Active && !Claimed.Contains(x.Id))) is not null));
        Claimed.Add(c!.Id);
        return (p, c!);
    }

    private HashSet<long> Claimed { get; } = [];

    public async ValueTask DisposeAsync()
    {
        foreach (RawPeer p in peers)
        {
            p.Dispose();
        }

        await Manager.DisposeAsync();
    }
}

using FastPath.Connmgr;
using FastPath.Datapath;
using FastPath.Datapath.Ports.Memory;
using FastPath.Ofproto.Bridge;
using FastPath.Ofproto.Service;
using FastPath.OpenFlow.Fields;

namespace FastPath.Ofproto.Tests.Service;

/// <summary>
/// A FastPath bridge hosted in the test process as <c>fastpathd</c> will host it: memory ports p1..pN as OpenFlow
/// ports 1..N and a LOCAL port, listening for tools on a unix socket in a private directory, with the addresses
/// <see cref="Ovs.OvsDummySwitch"/> uses with fixed addresses, so ovs-ofctl prints the same for both.
/// </summary>
internal sealed class HostedBridge : IAsyncDisposable
{
    private readonly NetdevDatapath datapath = new([-1]);

    private HostedBridge(int ports, BridgeHostOptions? options)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("fastpath-of-").FullName;
        datapath.Start();
        Host = new BridgeHost("br0", datapath, options ?? new BridgeHostOptions
        {
            FailMode = OfFailMode.Secure,
            OpenFlow = new OpenFlowEndpointOptions { DatapathId = 0x0000aa55aa550001 },
        });
        Host.AddPort(new MemoryNetdev("br0"), OfPorts.Local, 0xaa55aa550001);
        for (int i = 1; i <= ports; i++)
        {
            var dev = new MemoryNetdev("p" + i);
            Ports.Add(dev);
            Host.AddPort(dev, (uint)i, 0xaa55aa550000ul + 0x0e + (ulong)i);
        }

        Host.Start();
        Host.Listen("punix:" + ManagementSocket);
    }

    /// <summary>The private directory holding the socket.</summary>
    public string Directory { get; }

    /// <summary>The management socket (what <c>ovs-ofctl ... unix:PATH</c> takes).</summary>
    public string ManagementSocket => Path.Combine(Directory, "br0.mgmt");

    /// <summary>The target string for ovs-ofctl.</summary>
    public string Target => "unix:" + ManagementSocket;

    /// <summary>The bridge.</summary>
    public BridgeHost Host { get; }

    /// <summary>Ports p1..pN.</summary>
    public List<MemoryNetdev> Ports { get; } = [];

    /// <summary>Listens for OpenFlow over TCP on 127.0.0.1 (a free port, see <see cref="OfPassiveRemote.Port"/>) with per-connection limits <paramref name="connection"/>.</summary>
    public OfPassiveRemote ListenTcp(OfConnectionOptions? connection = null) =>
        (OfPassiveRemote)Host.Listen("ptcp:0:127.0.0.1", new OfRemoteOptions { Connection = connection ?? new OfConnectionOptions() });

    /// <summary>Starts a bridge with <paramref name="ports"/> ports.</summary>
    public static HostedBridge Start(int ports = 4, BridgeHostOptions? options = null) => new(ports, options);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        datapath.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A socket file still being closed: the temp directory is cleaned by the system.
        }
    }
}

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

    private HostedBridge(int ports, BridgeHostOptions? options, IReadOnlyList<ulong>? portMacs)
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
            Host.AddPort(dev, (uint)i, portMacs?[i - 1] ?? 0xaa55aa550000ul + 0x0e + (ulong)i);
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

    /// <summary>The datapath under the bridge (one unpinned PMD).</summary>
    public NetdevDatapath Datapath => datapath;

    /// <summary>Ports p1..pN.</summary>
    public List<MemoryNetdev> Ports { get; } = [];

    /// <summary>Starts a bridge with <paramref name="ports"/> ports (port i's MAC <paramref name="portMacs"/>[i-1] if given).</summary>
    public static HostedBridge Start(int ports = 4, BridgeHostOptions? options = null, IReadOnlyList<ulong>? portMacs = null) => new(ports, options, portMacs);

    /// <summary>
    /// Starts a bridge whose ports have the MACs Open vSwitch's ports p1..pN got: its dummy ports take addresses
    /// from a counter that a reconfiguration can advance, so "fixed" addresses are not always the same.
    /// </summary>
    public static HostedBridge Like(Ovs.OvsDummySwitch ovs)
    {
        string show = Ovs.OvsTool.RunChecked(ovs.Directory, "ovs-ofctl", ["show", "unix:" + ovs.BridgeManagementSocket], TimeSpan.FromSeconds(30));
        var macs = new ulong[ovs.PortCount];
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(show, @"^ (\d+)\(p\d+\): addr:([0-9a-f:]{17})", System.Text.RegularExpressions.RegexOptions.Multiline))
        {
            int port = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (port >= 1 && port <= macs.Length)
            {
                macs[port - 1] = Convert.ToUInt64(m.Groups[2].Value.Replace(":", "", StringComparison.Ordinal), 16);
            }
        }

        Assert.DoesNotContain(0ul, macs);
        return Start(ovs.PortCount, portMacs: macs);
    }

    /// <summary>Listens for OpenFlow over TCP on 127.0.0.1 (a free port, see <see cref="OfPassiveRemote.Port"/>) with per-connection limits <paramref name="connection"/>.</summary>
    public OfPassiveRemote ListenTcp(OfConnectionOptions? connection = null) =>
        (OfPassiveRemote)Host.Listen("ptcp:0:127.0.0.1", new OfRemoteOptions { Connection = connection ?? new OfConnectionOptions() });

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

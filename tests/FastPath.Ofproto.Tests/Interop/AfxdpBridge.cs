using FastPath.Connmgr;
using FastPath.Datapath;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Ports.Afxdp;
using FastPath.Ofproto.Bridge;
using FastPath.Ofproto.Service;

namespace FastPath.Ofproto.Tests.Interop;

/// <summary>
/// A FastPath bridge hosted in the test process over real interfaces: one AF_XDP port per interface given (OpenFlow
/// ports 1..N in order), one PMD, and a management socket for <c>ovs-ofctl</c> in a private directory. Disposing it
/// stops the bridge and the datapath and closes the ports, whatever state it is in.
/// </summary>
internal sealed class AfxdpBridge : IAsyncDisposable
{
    private readonly NetdevDatapath datapath = new([-1]);
    private readonly List<INetdev> netdevs = [];
    private BridgeHost? host;

    private AfxdpBridge()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("fastpath-ctl-br-").FullName;
    }

    /// <summary>The private directory holding the management socket.</summary>
    public string Directory { get; }

    /// <summary>The target for ovs-ofctl.</summary>
    public string Target => "unix:" + Path.Combine(Directory, "br0.mgmt");

    /// <summary>The bridge.</summary>
    public BridgeHost Host => host ?? throw new ObjectDisposedException(nameof(AfxdpBridge));

    /// <summary>
    /// Starts bridge <c>br0</c> in <paramref name="failMode"/> with AF_XDP ports on <paramref name="interfaces"/>
    /// (OpenFlow ports 1..N) and its management listener.
    /// </summary>
    public static AfxdpBridge Start(OfFailMode failMode, params string[] interfaces)
    {
        var b = new AfxdpBridge();
        try
        {
            b.datapath.Start();
            b.host = new BridgeHost("br0", b.datapath, new BridgeHostOptions
            {
                FailMode = failMode,
                OpenFlow = new OpenFlowEndpointOptions { DatapathId = 0x0000aa55aa550001 },
            });
            uint expected = 1;
            foreach (string ifname in interfaces)
            {
                var dev = new AfxdpNetdev(new AfxdpOptions(ifname));
                b.netdevs.Add(dev);
                uint port = b.host.AddPort(dev, expected);
                Assert.Equal(expected++, port);
            }

            b.host.Start();
            b.host.Listen("punix:" + Path.Combine(b.Directory, "br0.mgmt"));
            return b;
        }
        catch
        {
            b.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>The bridge's counters (slow path, OpenFlow service, PMD, ports), for the log of a failed test.</summary>
    public string Diagnostics()
    {
        if (host == null)
        {
            return "bridge disposed";
        }

        var sb = new System.Text.StringBuilder();
        OfBridge br = host.Bridge;
        FastPath.Ofproto.Upcalls.UpcallHandler u = br.Thread.Upcalls;
        sb.AppendLine($"openflow: requests={host.OpenFlow.Requests} errors={host.OpenFlow.Errors} packet-outs={br.PacketOuts}");
        sb.AppendLine($"upcalls: misses={u.Misses} megaflows={u.MegaflowsPut} executed={u.Executed} rate-limited={u.RateLimited} " +
            $"translation-drops={u.TranslationDrops} ring-full={u.ExecuteRingFull} already={u.AlreadyInstalled} action-upcalls={u.ActionUpcalls}");
        foreach (PmdStatsSnapshot s in datapath.GetPmdStats())
        {
            sb.AppendLine($"pmd: packets={s.Packets} emc={s.EmcHits} megaflow={s.MegaflowHits} misses={s.Misses} upcalls={s.Upcalls} suppressed={s.UpcallsSuppressed} lost={s.LostUpcalls} drops={s.ActionDrops} " +
                $"longest-iteration={s.MaxIterationCycles / (double)FastPath.Native.Cpu.TscHz * 1000:0.#}ms");
        }

        foreach (INetdev dev in netdevs)
        {
            sb.AppendLine($"{dev.Name}: {dev.GetStats()}");
        }

        foreach (PmdThread pmd in datapath.Pmds)
        {
            foreach (DatapathFlow f in pmd.DumpFlows())
            {
                sb.AppendLine($"megaflow {Datapath.Flows.MatchFormatter.Format(f.Match)} packets={f.Packets} actions={Datapath.Actions.ActionFormatter.Format(f.Actions)}");
            }
        }

        return sb.ToString();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (host != null)
        {
            await host.DisposeAsync();
            host = null;
        }

        // The datapath stops its PMD first; the ports are closed after it (closing twice is harmless).
        datapath.Dispose();
        foreach (INetdev dev in netdevs)
        {
            dev.Dispose();
        }

        netdevs.Clear();
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

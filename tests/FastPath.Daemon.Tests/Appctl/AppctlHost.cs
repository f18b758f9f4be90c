using System.Diagnostics;
using System.Net;
using FastPath.Daemon.Appctl;
using FastPath.Daemon.Coverage;
using FastPath.Datapath;
using FastPath.Datapath.Ports.Memory;
using FastPath.Ofproto.Bridge;
using FastPath.Unixctl;

namespace FastPath.Daemon.Tests.Appctl;

/// <summary>
/// A running FastPath switch as fastpathd hosts one, for Open vSwitch's ovs-appctl to query: a datapath with one
/// PMD, bridge br0 (standalone, so its table is priority=0,actions=NORMAL) with memory ports p1 and p2, and the
/// unixctl server with the appctl commands in a private run directory.
/// </summary>
internal sealed class AppctlHost : IAsyncDisposable
{
    private AppctlHost(string dir, NetdevDatapath datapath, BridgeHost bridge, MemoryNetdev p1, MemoryNetdev p2, UnixctlServer server, CoverageRegistry coverage)
    {
        Coverage = coverage;
        RunDirectory = dir;
        Datapath = datapath;
        Bridge = bridge;
        P1 = p1;
        P2 = p2;
        Server = server;
    }

    public string RunDirectory { get; }

    public NetdevDatapath Datapath { get; }

    public BridgeHost Bridge { get; }

    public MemoryNetdev P1 { get; }

    public MemoryNetdev P2 { get; }

    public UnixctlServer Server { get; }

    /// <summary>The coverage counters coverage/show prints; sampled only when a test calls <see cref="CoverageRegistry.Sample"/>.</summary>
    public CoverageRegistry Coverage { get; }

    public static AppctlHost Start()
    {
        string dir = Path.Combine("/tmp", "fp-appctl-" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal));
        var datapath = new NetdevDatapath([-1]);
        datapath.Start();
        var bridge = new BridgeHost("br0", datapath);
        var p1 = new MemoryNetdev("p1");
        var p2 = new MemoryNetdev("p2");
        bridge.AddPort(p1, 1);
        bridge.AddPort(p2, 2);
        bridge.Start();
        var view = new SwitchView(datapath);
        view.Add(bridge);
        UnixctlServer server = UnixctlServer.Start(new UnixctlServerOptions { RunDirectory = dir });
        var coverage = new CoverageRegistry(sampleAutomatically: false);
        CoverageSources.Attach(coverage, view);
        AppctlCommands.Register(server, view, coverage);
        return new AppctlHost(dir, datapath, bridge, p1, p2, server, coverage);
    }

    /// <summary>Runs Open vSwitch's ovs-appctl against this switch (OVS_RUNDIR, no -t), failing the test on an error.</summary>
    public string AppCtl(params string[] args)
    {
        var (code, stdout, stderr) = AppCtlRun(args);
        Assert.True(code == 0, $"ovs-appctl {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }

    /// <summary>Runs ovs-appctl and returns its exit status and output.</summary>
    public (int Code, string Stdout, string Stderr) AppCtlRun(params string[] args)
    {
        var psi = new ProcessStartInfo("ovs-appctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--timeout=20");
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["OVS_RUNDIR"] = RunDirectory;
        using Process p = Process.Start(psi)!;
        Task<string> o = p.StandardOutput.ReadToEndAsync(), e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30_000))
        {
            p.Kill();
            throw new TimeoutException("ovs-appctl did not finish in 30 s");
        }

        return (p.ExitCode, o.Result, e.Result);
    }

    /// <summary>A UDP/IPv4 frame from <paramref name="src"/> to <paramref name="dst"/> (MACs as the last byte of 50:54:00:00:00:NN).</summary>
    public static byte[] Udp(byte src, byte dst, ushort srcPort = 1000, ushort dstPort = 2000)
    {
        byte[] f = new byte[60];
        byte[] dstMac = [0x50, 0x54, 0, 0, 0, dst], srcMac = [0x50, 0x54, 0, 0, 0, src];
        dstMac.CopyTo(f, 0);
        srcMac.CopyTo(f, 6);
        f[12] = 0x08;
        f[14] = 0x45;
        f[17] = 46; // IPv4 total length: 20 + 8 + 18
        f[22] = 64;
        f[23] = 17;
        IPAddress.Parse("10.0.0." + src).GetAddressBytes().CopyTo(f, 26);
        IPAddress.Parse("10.0.0." + dst).GetAddressBytes().CopyTo(f, 30);
        f[34] = (byte)(srcPort >> 8);
        f[35] = (byte)srcPort;
        f[36] = (byte)(dstPort >> 8);
        f[37] = (byte)dstPort;
        f[39] = 26;
        return f;
    }

    /// <summary>Waits (at most 10 s) until p1 and p2 have sent <paramref name="p1Sent"/> and <paramref name="p2Sent"/> packets.</summary>
    public void WaitForOutput(int p1Sent, int p2Sent)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (P1.Sent.Count < p1Sent || P2.Sent.Count < p2Sent)
        {
            Assert.True(DateTime.UtcNow < deadline, $"p1 sent {P1.Sent.Count}/{p1Sent}, p2 sent {P2.Sent.Count}/{p2Sent} after 10 s");
            Thread.Sleep(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Coverage.Dispose();
        await Bridge.DisposeAsync();
        Datapath.Dispose();
        try
        {
            Directory.Delete(RunDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A socket still closing: /tmp is cleaned by the system.
        }
    }
}

using System.Diagnostics;

namespace FastPath.Cli.Tests;

/// <summary>
/// <c>fpctl ofproto-trace</c> as an outside generator runs it: the real fpctl program in its own process, an
/// add-flows file, a flow or a packet; the report on stdout, a one-line error and exit 1 for bad input.
/// </summary>
public sealed class OfprotoTraceCommandTests : IDisposable
{
    private const string Seed = "in_port=1,ip,nw_src=192.168.1.1,actions=mod_nw_src:192.181.137.1,output:2";

    private readonly string dir = Directory.CreateTempSubdirectory("fpctl-trace-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void TheSeedExamplePrintsOpenVSwitchsReport()
    {
        string flows = Flows("# the seed example", Seed);
        var (code, stdout, stderr) = Fpctl("ofproto-trace", "--flows", flows, "in_port=1,udp,nw_src=192.168.1.1,nw_dst=10.0.0.2,udp_src=1000,udp_dst=53");
        Assert.True(code == 0, stderr);
        Assert.Equal(
            """
            Flow: udp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=192.168.1.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=1000,tp_dst=53

            bridge("br0")
            -------------
             0. ip,in_port=1,nw_src=192.168.1.1, priority 32768
                set_field:192.181.137.1->ip_src
                output:2

            Final flow: udp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=192.181.137.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=1000,tp_dst=53
            Megaflow: recirc_id=0,eth,ip,in_port=1,nw_src=192.168.1.1
            Datapath actions: set(ipv4(src=192.181.137.1)),2

            """.Replace("\r", ""),
            stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void APacketInHexIsTracedFromItsInPort()
    {
        // UDP/IPv4 192.168.1.1:1024 -> 192.168.1.2:53, TTL 64.
        const string Frame = "ffffffffffff0000000000010800450000240000000040117a7dc0a80101c0a801020400003500105fe4000000000000000000000000";
        var (code, stdout, stderr) = Fpctl("ofproto-trace", "--flows", Flows(Seed), "--bridge", "br9", "in_port=1", Frame);
        Assert.True(code == 0, stderr);
        Assert.StartsWith("Flow: udp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,nw_src=192.168.1.1,nw_dst=192.168.1.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1024,tp_dst=53\n\nbridge(\"br9\")\n-------------\n", stdout);
        Assert.EndsWith("Datapath actions: set(ipv4(src=192.181.137.1)),2\n", stdout);
    }

    [Fact]
    public void PortNamesStandForTheirNumbers()
    {
        string flows = Flows("in_port=uplink,actions=output:vm2", "in_port=vm1,actions=output:uplink");
        var (code, stdout, stderr) = Fpctl("ofproto-trace", "--flows", flows, "--port-names", "uplink=10,vm1,vm2", "in_port=uplink,tcp");
        Assert.True(code == 0, stderr);
        Assert.Contains(" 0. in_port=10, priority 32768\n    output:12\n", stdout);
        Assert.EndsWith("Datapath actions: 12\n", stdout);
    }

    [Fact]
    public void TheBridgeHasPorts1ToN()
    {
        string flows = Flows("in_port=1,actions=output:2,output:6");
        var (_, four, _) = Fpctl("ofproto-trace", "--flows", flows, "in_port=1,arp");
        Assert.Contains("    output:6\n     >> Nonexistent output port\n", four);
        Assert.EndsWith("Datapath actions: 2\n", four);
        var (_, six, _) = Fpctl("ofproto-trace", "--flows", flows, "--ports", "6", "in_port=1,arp");
        Assert.EndsWith("Datapath actions: 2,6\n", six);
    }

    [Fact]
    public void ABadFlowsFileIsOneLineNamingTheLine()
    {
        string flows = Flows(Seed, "in_port=1,tcp,tp_dst=80,actions=frobnicate");
        var (code, stdout, stderr) = Fpctl("ofproto-trace", "--flows", flows, "in_port=1,tcp");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"fpctl: {flows}: line 2: ", stderr);
    }

    [Theory]
    [InlineData("in_port=1,udp,frobnicate=1", null, "fpctl: bad flow: frobnicate: unknown field")]
    [InlineData("in_port=1", "0800zz", "fpctl: bad packet: not an even number of hex digits")]
    [InlineData("in_port=1,udp", "00112233", "fpctl: bad flow: in_port=1,udp: with a packet, the flow gives only in_port")]
    public void ABadFlowOrPacketIsOneLine(string flow, string? packet, string expected)
    {
        string[] args = packet is null
            ? ["ofproto-trace", "--flows", Flows(Seed), flow]
            : ["ofproto-trace", "--flows", Flows(Seed), flow, packet];
        var (code, stdout, stderr) = Fpctl(args);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith(expected, stderr);
    }

    [Fact]
    public void AMissingFlowsFileIsOneLine()
    {
        var (code, _, stderr) = Fpctl("ofproto-trace", "--flows", Path.Combine(dir, "none.txt"), "in_port=1");
        Assert.Equal(1, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("none.txt", stderr);
    }

    [Fact]
    public void PortsAndPortNamesTogetherAreRefused()
    {
        var (code, _, stderr) = Fpctl("ofproto-trace", "--flows", Flows(Seed), "--ports", "3", "--port-names", "a,b", "in_port=1");
        Assert.NotEqual(0, code);
        Assert.Contains("either --ports N or --port-names", stderr);
    }

    private string Flows(params string[] lines)
    {
        string path = Path.Combine(dir, $"flows-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    // The real program: fpctl.dll from FastPath.Cli's build output, which the project reference copies here.
    private static (int Code, string Stdout, string Stderr) Fpctl(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "fpctl.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"fpctl {string.Join(' ', args)} did not finish in 60 s");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FastPath.Connmgr.Tests;

/// <summary>Open vSwitch's own tools (Debian's openvswitch-common and openvswitch-testcontroller) against our connections.</summary>
public class OvsInteropTests
{
    private static async Task<(int Exit, string Out)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file} (scripts/setup.sh installs it)");
        Task<string> o = p.StandardOutput.ReadToEndAsync();
        Task<string> e = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }

        return (p.ExitCode, (await o) + (await e));
    }

    [Theory]
    [InlineData("OpenFlow13")]
    [InlineData("OpenFlow10")]
    [InlineData("OpenFlow15")]
    public async Task Ovs_ofctl_probe_and_ping_complete_hello_and_echo(string protocol)
    {
        using var dir = new TempDir();
        string sock = dir.File("br0.mgmt");
        await using var f = Fixture.Start(target: "punix:" + sock);

        (int exit, string output) = await RunAsync("ovs-ofctl", "-O", protocol, "probe", "unix:" + sock);
        Assert.True(exit == 0, output);

        (exit, output) = await RunAsync("ovs-ofctl", "-O", protocol, "ping", "unix:" + sock, "64");
        Assert.True(exit == 0, output);
        Assert.Contains("bytes from unix:" + sock, output);
        Assert.True(await Wait.UntilAsync(() => f.Handler.Disconnected.Count == 2));
        Assert.Equal(2, f.Handler.Connected.Count);
        Assert.All(f.Handler.Connected, c => Assert.True(c.Counters.EchoRequestsAnswered >= 1));
    }

    [Fact]
    public async Task Ovs_ofctl_show_gets_the_handlers_BAD_TYPE_error_printed_by_ovs()
    {
        using var dir = new TempDir();
        string sock = dir.File("br0.mgmt");
        await using var f = Fixture.Start(target: "punix:" + sock);
        (_, string output) = await RunAsync("ovs-ofctl", "-O", "OpenFlow13", "show", "unix:" + sock);
        Assert.Contains("OFPBRC_BAD_TYPE", output);
    }

    [Fact]
    public async Task Ovs_testcontroller_connects_to_a_punix_listener_completes_hello_and_stays_up_through_errors()
    {
        using var dir = new TempDir();
        string sock = dir.File("br0.ctl");
        await using var f = Fixture.Start(kind: OfConnectionKind.Controller, target: "punix:" + sock, options: new OfConnectionOptions { InactivityProbe = TimeSpan.FromSeconds(1) });
        using Process tc = StartTestController("unix:" + sock, dir.Path);
        try
        {
            Assert.True(await Wait.UntilAsync(() => f.Handler.Connected.Count == 1, 10000), "ovs-testcontroller did not complete hello");
            OfConnection c = f.Handler.Connected.Single();
            Assert.True(await Wait.UntilAsync(() => c.Counters.DecodeErrors + f.Handler.Messages.Count >= 1, 5000));

            // Its requests were refused (features request by the handler, the rest by the codec) and it is still connected,
            // answering our inactivity probes.
            await Task.Delay(2500);
            Assert.Equal(OfConnectionState.Active, c.State);
            Assert.True(c.Counters.ProbesSent >= 1);
            Assert.Null(c.CloseReason);
            Assert.False(tc.HasExited);
            Assert.True(f.Manager.IsControllerConnected);
        }
        finally
        {
            tc.Kill();
            await tc.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Our_active_target_connects_to_ovs_testcontroller_listening_on_ptcp()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        using var dir = new TempDir();
        using Process tc = StartTestController($"ptcp:{port}:127.0.0.1", dir.Path);
        try
        {
            var handler = new RecordingHandler();
            await using var m = new OfConnectionManager(handler, OfFailMode.Standalone);
            var remote = (OfActiveRemote)m.AddRemote($"tcp:127.0.0.1:{port}", new OfRemoteOptions { MinBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(200) });
            Assert.True(await Wait.UntilAsync(() => handler.Connected.Count >= 1, 10000), $"no connection: {remote.LastError}");
            Assert.True(m.IsControllerConnected);
            Assert.False(m.ForwardNormally);
            Assert.True(await Wait.UntilAsync(() => !handler.Messages.IsEmpty || remote.Connection?.Counters.DecodeErrors > 0, 5000));
            Assert.Equal(OfConnectionState.Active, remote.Connection!.State);
            Assert.Equal(1, remote.SuccessfulConnections);
        }
        finally
        {
            tc.Kill();
            await tc.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Ovs_ofctl_snoop_prints_the_controllers_traffic()
    {
        using var dir = new TempDir();
        await using var f = Fixture.Start(kind: OfConnectionKind.Controller, target: "punix:" + dir.File("ctl.sock"));
        OfPassiveRemote snoopListener = f.Manager.AddSnoop("punix:" + dir.File("br0.snoop"));
        // stdbuf: ovs-ofctl's stdout is a pipe here, and it would hold what it prints in its buffer.
        var psi = new ProcessStartInfo("stdbuf") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["OVS_RUNDIR"] = dir.Path;
        foreach (string a in new[] { "-oL", "ovs-ofctl", "-O", "OpenFlow13", "snoop", "unix:" + dir.File("br0.snoop") })
        {
            psi.ArgumentList.Add(a);
        }

        using Process snoop = Process.Start(psi)!;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        snoop.OutputDataReceived += (_, e) => { if (e.Data is { } l) { lines.Enqueue(l); } };
        snoop.ErrorDataReceived += (_, e) => { if (e.Data is { } l) { lines.Enqueue(l); } };
        snoop.BeginOutputReadLine();
        snoop.BeginErrorReadLine();
        try
        {
            Assert.True(await Wait.UntilAsync(() => snoopListener.Connections.Any(c => c.State == OfConnectionState.Active), 10000));
            (RawPeer ctl, _) = await f.ConnectActiveAsync();
            await ctl.SendAsync(RawPeer.Message(0x04, 2, 0xC0FFEE, [1, 2, 3, 4]));
            await ctl.ReceiveTypeAsync(3);
            Assert.True(await Wait.UntilAsync(() => lines.Any(l => l.Contains("OFPT_ECHO_REPLY", StringComparison.Ordinal)), 10000), string.Join("\n", lines));
            Assert.Contains(lines, l => l.Contains("OFPT_ECHO_REQUEST (OF1.3) (xid=0xc0ffee)", StringComparison.Ordinal));
        }
        finally
        {
            snoop.Kill();
            await snoop.WaitForExitAsync();
        }
    }

    private static Process StartTestController(string target, string runDir)
    {
        // OVS_RUNDIR: its control socket goes there rather than into a system /var/run/openvswitch.
        var psi = new ProcessStartInfo("ovs-testcontroller") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.Environment["OVS_RUNDIR"] = runDir;
        psi.ArgumentList.Add("-vconsole:off");
        psi.ArgumentList.Add(target);
        return Process.Start(psi) ?? throw new InvalidOperationException("cannot start ovs-testcontroller (scripts/setup.sh installs openvswitch-testcontroller)");
    }
}

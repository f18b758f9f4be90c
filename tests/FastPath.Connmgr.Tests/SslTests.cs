using FastPath.OpenFlow;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.Connmgr.Tests;

public class SslTests
{
    [Fact]
    public async Task Switch_connects_to_a_pssl_controller_both_verified_by_the_CA()
    {
        using var dir = new TempDir();
        using var pki = new TestPki(dir.Path);
        var controllerSide = new RecordingHandler();
        await using var controller = new OfConnectionManager(controllerSide);
        var listener = (OfPassiveRemote)controller.AddRemote("pssl:0:127.0.0.1", new OfRemoteOptions { Ssl = pki.Issue("controller"), Kind = OfConnectionKind.Controller });

        var switchSide = new RecordingHandler();
        await using var sw = new OfConnectionManager(switchSide);
        var remote = (OfActiveRemote)sw.AddRemote($"ssl:127.0.0.1:{listener.Port}", new OfRemoteOptions { Ssl = pki.Issue("switch") });

        Assert.True(await Wait.UntilAsync(() => switchSide.Connected.Count == 1 && controllerSide.Connected.Count == 1, 10000));
        OfConnection fromSwitch = switchSide.Connected.Single();
        Assert.Equal(OpenFlowVersion.OF15, fromSwitch.Session.Version);
        Assert.True(sw.IsControllerConnected);

        // A request through TLS and its answer back.
        OfConnection atController = controllerSide.Connected.Single();
        Assert.True(atController.Send(new BarrierMessage(false), 99));
        Assert.True(await Wait.UntilAsync(() => controllerSide.Messages.Any(m => m.Request.Message is BarrierMessage { IsReply: true } && m.Request.Xid == 99)));
    }

    [Fact]
    public async Task A_peer_whose_certificate_another_CA_signed_is_refused()
    {
        using var dir = new TempDir();
        using var pki = new TestPki(dir.Path);
        using var rogue = new TestPki(dir.Path, "rogue CA");
        var controllerSide = new RecordingHandler();
        await using var controller = new OfConnectionManager(controllerSide);
        var listener = (OfPassiveRemote)controller.AddRemote("pssl:0:127.0.0.1", new OfRemoteOptions { Ssl = pki.Issue("controller") });

        var switchSide = new RecordingHandler();
        await using var sw = new OfConnectionManager(switchSide);
        var remote = (OfActiveRemote)sw.AddRemote(
            $"ssl:127.0.0.1:{listener.Port}",
            new OfRemoteOptions { Ssl = rogue.Issue("intruder", trust: pki), MinBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(200) });

        Assert.True(await Wait.UntilAsync(() => listener.HandshakeFailures >= 2, 10000));
        Assert.Empty(controllerSide.Connected);
        Assert.Empty(switchSide.Connected);
        Assert.True(remote.Attempts >= 2);
    }

    [Fact]
    public void An_ssl_target_without_files_is_refused()
    {
        var m = new OfConnectionManager(new RecordingHandler());
        Assert.Throws<ArgumentException>(() => m.AddRemote("ssl:127.0.0.1:1"));
    }
}

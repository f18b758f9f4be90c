namespace FastPath.Connmgr.Tests;

public class SnoopTests
{
    [Fact]
    public async Task A_snoop_receives_a_copy_of_both_directions_of_controller_traffic_and_nothing_of_service_connections()
    {
        using var dir = new TempDir();
        await using var f = Fixture.Start(kind: OfConnectionKind.Controller, target: "punix:" + dir.File("ctl.sock"));
        var snoopListener = f.Manager.AddSnoop("punix:" + dir.File("br0.snoop"));
        using RawPeer snoop = await RawPeer.ConnectAsync(snoopListener.LocalEndPoint);
        await snoop.HandshakeAsync();
        Assert.True(await Wait.UntilAsync(() => snoopListener.Connections.Any(c => c.State == OfConnectionState.Active)));

        (RawPeer ctl, OfConnection c) = await f.ConnectActiveAsync();
        byte[] request = RawPeer.Message(0x04, 2, 0x1234, [5, 6]);
        await ctl.SendAsync(request);
        await ctl.ReceiveTypeAsync(3);

        RawPeer.Msg copyIn = await snoop.ReceiveTypeAsync(2);
        Assert.Equal(request, copyIn.Bytes);
        RawPeer.Msg copyOut = await snoop.ReceiveTypeAsync(3);
        Assert.Equal(0x1234u, copyOut.Xid);

        // A service connection's traffic is not copied.
        var service = (OfPassiveRemote)f.Manager.AddRemote("punix:" + dir.File("mgmt.sock"));
        using RawPeer tool = await RawPeer.ConnectAsync(service.LocalEndPoint);
        await tool.HandshakeAsync();
        await tool.SendAsync(RawPeer.Message(0x04, 2, 0x9999, []));
        await tool.ReceiveTypeAsync(3);
        await ctl.SendAsync(RawPeer.Message(0x04, 2, 0x4321, []));
        RawPeer.Msg next = await snoop.ReceiveTypeAsync(2);
        Assert.Equal(0x4321u, next.Xid);
    }
}

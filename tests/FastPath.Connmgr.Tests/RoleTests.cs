using FastPath.OpenFlow;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.Connmgr.Tests;

public class RoleTests
{
    [Fact]
    public async Task Two_controllers_master_election_demotes_the_old_master_and_refuses_stale_generation_ids()
    {
        await using var f = Fixture.Start(kind: OfConnectionKind.Controller);
        (RawPeer p1, OfConnection a) = await f.ConnectActiveAsync();
        (RawPeer p2, OfConnection b) = await f.ConnectActiveAsync();
        var changes = new List<(OfConnection, OfControllerRole)>();
        f.Manager.RoleChanged += (c, r) => changes.Add((c, r));

        Assert.Equal(OfControllerRole.Equal, a.Role);
        Assert.Equal(new OfRoleReply(OfControllerRole.Equal, null), f.Manager.RequestRole(a, null, null));

        Assert.Equal(new OfRoleReply(OfControllerRole.Master, 5), f.Manager.RequestRole(a, OfControllerRole.Master, 5));
        Assert.Equal(new OfRoleReply(OfControllerRole.Master, 6), f.Manager.RequestRole(b, OfControllerRole.Master, 6));
        Assert.Equal(OfControllerRole.Slave, a.Role);
        Assert.True(a.IsSlave);
        Assert.Equal([(a, OfControllerRole.Slave)], changes);

        // Older generation id: OFPRRFC_STALE, and nothing changes.
        var stale = Assert.Throws<OfErrorException>(() => f.Manager.RequestRole(a, OfControllerRole.Master, 4));
        Assert.Equal(new OfError(OfErrorType.RoleRequestFailed, 0), stale.Error);
        Assert.Equal(OfControllerRole.Slave, a.Role);
        Assert.Equal(OfControllerRole.Master, b.Role);

        // Equal ignores the generation id entirely.
        Assert.Equal(new OfRoleReply(OfControllerRole.Equal, 6), f.Manager.RequestRole(a, OfControllerRole.Equal, 1));

    }

    [Fact]
    public async Task Generation_ids_compare_as_a_signed_difference_so_they_wrap()
    {
        await using var f = Fixture.Start(kind: OfConnectionKind.Controller);
        (RawPeer p1, OfConnection a) = await f.ConnectActiveAsync();
        (RawPeer p2, OfConnection b) = await f.ConnectActiveAsync();
        var election = new OfRoleElection();
        var demoted = new List<OfConnection>();
        election.Request(a, OfControllerRole.Master, ulong.MaxValue - 1, [a, b], demoted);
        Assert.Equal(OfControllerRole.Master, election.Request(b, OfControllerRole.Master, 3, [a, b], demoted).Role); // wrapped: newer
        Assert.Equal([a], demoted);
        Assert.Throws<OfErrorException>(() => election.Request(a, OfControllerRole.Master, ulong.MaxValue - 5, [a, b], demoted));
        Assert.Equal(3ul, election.GenerationId);
    }

    [Fact]
    public async Task Asynchronous_messages_follow_the_OpenFlow_13_defaults_by_role_and_service_connections_need_a_miss_send_len()
    {
        await using var f = Fixture.Start(kind: OfConnectionKind.Controller);
        (RawPeer pm, OfConnection master) = await f.ConnectActiveAsync();
        (RawPeer ps, OfConnection slave) = await f.ConnectActiveAsync();
        (RawPeer pe, OfConnection equal) = await f.ConnectActiveAsync(0x01);
        f.Manager.RequestRole(master, OfControllerRole.Master, 1);
        f.Manager.RequestRole(slave, OfControllerRole.Slave, 1);

        Assert.True(master.ReceivesAsync(OfAsyncKind.PacketIn, 0));
        Assert.True(master.ReceivesAsync(OfAsyncKind.PacketIn, 1));
        Assert.False(master.ReceivesAsync(OfAsyncKind.PacketIn, 2)); // OFPR_INVALID_TTL is off by default
        Assert.True(master.ReceivesAsync(OfAsyncKind.FlowRemoved, 3));
        Assert.False(master.ReceivesAsync(OfAsyncKind.FlowRemoved, 4)); // no METER_DELETE before 1.4
        Assert.True(equal.ReceivesAsync(OfAsyncKind.PacketIn, 0));
        Assert.False(equal.ReceivesAsync(OfAsyncKind.FlowRemoved, 3)); // 1.0 has three reasons
        Assert.False(slave.ReceivesAsync(OfAsyncKind.PacketIn, 0));
        Assert.False(slave.ReceivesAsync(OfAsyncKind.FlowRemoved, 0));
        Assert.True(slave.ReceivesAsync(OfAsyncKind.PortStatus, 2));

        // A port-status goes to all three (encoded in each one's version), a packet-in to master and equal only.
        var msg = new Echo(false, [7]);
        Assert.Equal(3, f.Manager.SendAsyncMessage(OfAsyncKind.PortStatus, 0, msg));
        Assert.Equal(2, f.Manager.SendAsyncMessage(OfAsyncKind.PacketIn, 0, msg));
        Assert.Equal(0x01, (await pe.ReceiveTypeAsync(2)).Version);
        Assert.Equal(0x04, (await ps.ReceiveTypeAsync(2)).Version);

        // The handler can change the async configuration (OFPT_SET_ASYNC).
        slave.AsyncConfig = slave.AsyncConfig with { SlavePacketIn = 1 };
        Assert.True(slave.ReceivesAsync(OfAsyncKind.PacketIn, 0));

        await using var tools = Fixture.Start();
        (RawPeer pt, OfConnection service) = await tools.ConnectActiveAsync();
        Assert.Equal(OfConnectionKind.Service, service.Kind);
        Assert.Equal(0, service.MissSendLength);
        Assert.False(service.ReceivesAsync(OfAsyncKind.PacketIn, 0));
        Assert.False(service.ReceivesAsync(OfAsyncKind.PortStatus, 0));
        service.MissSendLength = 128; // what set-config does for ovs-ofctl monitor
        Assert.True(service.ReceivesAsync(OfAsyncKind.PacketIn, 0));
        Assert.Equal(OfConnection.DefaultMissSendLength, master.MissSendLength);
    }

    [Fact]
    public void Default_async_config_per_version()
    {
        Assert.Equal(0b111u, OfAsyncConfig.Default(OpenFlowVersion.OF10).MasterFlowRemoved);
        Assert.Equal(0b1111u, OfAsyncConfig.Default(OpenFlowVersion.OF13).MasterFlowRemoved);
        Assert.Equal(0b111111u, OfAsyncConfig.Default(OpenFlowVersion.OF15).MasterFlowRemoved);
        OfAsyncConfig d = OfAsyncConfig.Default(OpenFlowVersion.OF13);
        Assert.Equal(0u, d.SlavePacketIn);
        Assert.Equal(0u, d.SlaveFlowRemoved);
        Assert.Equal(0b111u, d.SlavePortStatus);
        Assert.False(d.Allows(OfAsyncKind.PacketIn, OfControllerRole.Master, 40));
    }
}

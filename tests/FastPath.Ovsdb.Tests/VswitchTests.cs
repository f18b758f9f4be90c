using System.Collections.Concurrent;
using FastPath.Ovsdb.Replication;
using FastPath.Ovsdb.Transactions;
using FastPath.Ovsdb.Vswitch;

namespace FastPath.Ovsdb.Tests;

/// <summary>The typed vswitch view following ovs-vsctl, and the daemon's write-backs read back with ovs-vsctl.</summary>
public class VswitchTests
{
    private static OvsdbReplicaOptions Fast => new() { MinBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(400) };

    private static async Task<(VswitchDatabase Db, ConcurrentQueue<VswitchConfig> Configs)> StartAsync(OvsdbServer server)
    {
        var db = VswitchDatabase.Create(server.UnixTarget, Fast);
        var configs = new ConcurrentQueue<VswitchConfig>();
        db.ConfigChanged += configs.Enqueue;
        db.Start();
        await db.WaitForConfigAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return (db, configs);
    }

    [Fact]
    public async Task The_configuration_follows_ovs_vsctl_with_references_resolved()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync();
        (VswitchDatabase db, ConcurrentQueue<VswitchConfig> configs) = await StartAsync(server);
        await using VswitchDatabase owned = db;
        Assert.Empty(db.Current!.Bridges);
        Assert.NotNull(db.Current.OpenVSwitch);

        await server.VsctlAsync("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
        await server.VsctlAsync(
            "add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=afxdp", "options:n_rxq=2", "options:xdp-mode=native",
            "ofport_request=5", "mtu_request=9000", "other_config:pmd-rxq-affinity=0:1", "--", "set", "Port", "p1", "tag=10");
        await server.VsctlAsync("add-port", "br0", "p0", "trunks=1,2,3", "--", "set", "Interface", "p0", "type=afxdp");
        await server.VsctlAsync("set-controller", "br0", "tcp:127.0.0.1:6653", "punix:/tmp/x.ctl");
        foreach (string controller in (await server.GetAsync("Bridge", "br0", "controller")).Trim('[', ']').Split(", "))
        {
            await server.VsctlAsync("set", "Controller", controller, "max_backoff=2000");
        }

        await server.VsctlAsync("set-fail-mode", "br0", "secure");
        await server.VsctlAsync("set", "bridge", "br0", "protocols=OpenFlow10,OpenFlow13", "other_config:datapath-id=0000000000000001");
        await server.VsctlAsync("set", "Open_vSwitch", ".", "other_config:pmd-cpu-mask=0x6", "other_config:emc-insert-inv-prob=0", "other_config:pmd-rxq-assign=roundrobin");
        Assert.True(await Wait.UntilAsync(() => db.Current.OpenVSwitch!.PmdRxqAssign == "roundrobin"));

        VswitchConfig c = db.Current;
        Assert.Equal("0x6", c.OpenVSwitch!.PmdCpuMask);
        Assert.Equal(0, c.OpenVSwitch.EmcInsertInvProb);
        Assert.Equal(Guid.Parse(await server.GetAsync("Open_vSwitch", ".", "_uuid")), c.OpenVSwitch.Uuid);
        BridgeConfig br0 = Assert.Single(c.Bridges);
        Assert.Equal(("br0", "netdev", "secure"), (br0.Name, br0.DatapathType, br0.FailMode));
        Assert.Equal(new[] { "OpenFlow10", "OpenFlow13" }, br0.Protocols);
        Assert.Equal("0000000000000001", br0.RequestedDatapathId);
        Assert.Equal(new[] { "br0", "p0", "p1" }, br0.Ports.Select(p => p.Name));
        PortConfig p1 = br0.Port("p1")!;
        Assert.Equal(10, p1.Tag);
        Assert.Equal(new long[] { 1, 2, 3 }, br0.Port("p0")!.Trunks);
        InterfaceConfig i1 = Assert.Single(p1.Interfaces);
        Assert.Equal(("p1", "afxdp", 2, "native", 5L, 9000L, "0:1"), (i1.Name, i1.Type, i1.NRxq, i1.XdpMode, i1.OfportRequest, i1.MtuRequest, i1.PmdRxqAffinity));
        Assert.Equal(Guid.Parse(await server.GetAsync("Interface", "p1", "_uuid")), i1.Uuid);
        Assert.Equal("internal", br0.Port("br0")!.Interfaces.Single().Type);
        Assert.Equal(new[] { "punix:/tmp/x.ctl", "tcp:127.0.0.1:6653" }, br0.Controllers.Select(x => x.Target));
        Assert.All(br0.Controllers, x => Assert.Equal(2000, x.MaxBackoff));
        Assert.Null(br0.Controllers[0].InactivityProbe);

        // Every ovs-vsctl command was one change, each with its own configuration.
        Assert.True(configs.Count >= 9, $"{configs.Count} changes");
        Assert.Empty(configs.First().Bridges);

        await server.VsctlAsync("del-port", "br0", "p1");
        Assert.True(await Wait.UntilAsync(() => db.Current.Bridges.Single().Ports.Length == 2));
        Assert.True(db.Current.Change.Rows("Interface")[i1.Uuid].IsDelete);
        await server.VsctlAsync("del-br", "br0");
        Assert.True(await Wait.UntilAsync(() => db.Current.Bridges.IsEmpty));
    }

    [Fact]
    public async Task Write_backs_land_in_the_database_as_ovs_vsctl_reads_them()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync();
        await server.VsctlAsync("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "--", "add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=afxdp");
        await server.VsctlAsync("set-controller", "br0", "tcp:127.0.0.1:6653");
        (VswitchDatabase db, ConcurrentQueue<VswitchConfig> configs) = await StartAsync(server);
        await using VswitchDatabase owned = db;
        Assert.True(await Wait.UntilAsync(() => db.Current!.Bridges.Length == 1));
        BridgeConfig br0 = db.Current!.Bridges.Single();
        InterfaceConfig p1 = br0.Port("p1")!.Interfaces.Single();
        int before = configs.Count;

        long updated = await db.SetInterfaceStatusAsync(p1.Uuid, new InterfaceStatus
        {
            Ofport = 7,
            Error = "could not open network device p1 (No such device)",
            LinkState = "down",
            AdminState = "down",
            MacInUse = "aa:bb:cc:dd:ee:ff",
            Mtu = 1500,
            Status = new Dictionary<string, string> { ["driver_name"] = "veth" },
        });
        Assert.Equal(1, updated);
        Assert.Equal("7", await server.GetAsync("Interface", "p1", "ofport"));
        Assert.Equal("could not open network device p1 (No such device)", await server.GetAsync("Interface", "p1", "error"));
        Assert.Equal("down", await server.GetAsync("Interface", "p1", "link_state"));
        Assert.Equal("aa:bb:cc:dd:ee:ff", await server.GetAsync("Interface", "p1", "mac_in_use"));
        Assert.Equal("1500", await server.GetAsync("Interface", "p1", "mtu"));
        Assert.Equal("{driver_name=veth}", await server.GetAsync("Interface", "p1", "status"));

        // Clearing the error, and other columns in one transaction.
        await db.BeginWrite()
            .InterfaceError(p1.Uuid, null)
            .InterfaceLinkState(p1.Uuid, "up")
            .InterfaceStatistics(p1.Uuid, new Dictionary<string, long> { ["rx_packets"] = 10, ["tx_bytes"] = 1L << 40 })
            .BridgeDatapathId(br0.Uuid, "0000aabbccddeeff")
            .ControllerStatus(br0.Controllers.Single().Uuid, true, "master")
            .CurCfg(0)
            .SupportedTypes(["netdev"], ["afxdp", "internal", "dummy"])
            .CommitAsync();
        Assert.Equal("[]", await server.GetAsync("Interface", "p1", "error"));
        Assert.Equal("up", await server.GetAsync("Interface", "p1", "link_state"));
        Assert.Equal("10", await server.GetAsync("Interface", "p1", "statistics:rx_packets"));
        Assert.Equal("1099511627776", await server.GetAsync("Interface", "p1", "statistics:tx_bytes"));
        Assert.Equal("0000aabbccddeeff", await server.GetAsync("Bridge", "br0", "datapath_id"));
        Assert.Equal("true", await server.GetAsync("Controller", "br0", "is_connected"));
        Assert.Equal("master", await server.GetAsync("Controller", "br0", "role"));
        Assert.Equal("[netdev]", await server.GetAsync("Open_vSwitch", ".", "datapath_types"));
        Assert.Equal("[afxdp, dummy, internal]", await server.GetAsync("Open_vSwitch", ".", "iface_types"));

        // ofport is replicated but its changes raise no configuration change; write-only columns are not monitored.
        Assert.True(await Wait.UntilAsync(() => db.Replica.Snapshot.Row("Interface", p1.Uuid)?.Get("ofport").AsInteger() == 7));
        await Task.Delay(200);
        Assert.Equal(before, configs.Count);

        // A value outside the schema's enum is refused whole.
        OvsdbTransactionException bad = await Assert.ThrowsAsync<OvsdbTransactionException>(
            () => db.BeginWrite().InterfaceMtu(p1.Uuid, 9000).ControllerStatus(br0.Controllers.Single().Uuid, false, "boss").CommitAsync());
        Assert.Equal("constraint violation", bad.Error);
        Assert.Equal("1500", await server.GetAsync("Interface", "p1", "mtu"));

        // A row gone meanwhile is simply not updated.
        Assert.Equal(0, await db.SetBridgeDatapathIdAsync(Guid.NewGuid(), "0000000000000002"));

        server.Kill();
        Assert.True(await Wait.UntilAsync(() => !db.Replica.IsConnected));
        await Assert.ThrowsAsync<OvsdbConnectionException>(() => db.SetCurCfgAsync(1));
    }

    [Fact]
    public async Task Writing_cur_cfg_from_next_cfg_completes_an_ovs_vsctl_that_waits_for_the_switch()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync();
        (VswitchDatabase db, _) = await StartAsync(server);
        await using VswitchDatabase owned = db;

        // What the daemon does: apply each configuration, then report its next_cfg as cur_cfg.
        db.ConfigChanged += c => _ = db.SetCurCfgAsync(c.OpenVSwitch!.NextCfg);
        Task<string> vsctl = OvsdbServer.RunAsync("ovs-vsctl", "--db=" + server.UnixTarget, "--timeout=10", "add-br", "brw");
        await vsctl.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("brw", Assert.Single(db.Current!.Bridges).Name);
        long next = db.Current.OpenVSwitch!.NextCfg;
        Assert.True(next >= 1);
        Assert.True(await Wait.UntilAsync(() => server.GetAsync("Open_vSwitch", ".", "cur_cfg").Result == next.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task After_a_restart_the_configuration_resynchronises()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync();
        await server.VsctlAsync("add-br", "br0", "--", "add-br", "br1");
        (VswitchDatabase db, ConcurrentQueue<VswitchConfig> configs) = await StartAsync(server);
        await using VswitchDatabase owned = db;
        Assert.True(await Wait.UntilAsync(() => db.Current!.Bridges.Length == 2));
        server.Kill();
        Assert.True(await Wait.UntilAsync(() => !db.Replica.IsConnected));
        await server.TransactOfflineAsync(
            """
            ["Open_vSwitch",
             {"op": "mutate", "table": "Open_vSwitch", "where": [],
              "mutations": [["bridges", "delete", ["uuid", "BR1"]]]}]
            """.Replace("BR1", db.Current!.Bridge("br1")!.Uuid.ToString("D"), StringComparison.Ordinal));
        await server.LaunchAsync();
        Assert.True(await Wait.UntilAsync(() => db.Replica.Syncs == 2 && db.Current!.Bridges.Length == 1, 10000));
        Assert.True(configs.Last().Change.IsResync);
        Assert.Equal("br0", db.Current!.Bridges.Single().Name);
        Assert.Contains(configs.Last().Change.Rows("Bridge").Values, r => r.IsDelete && r.Old!.Get("name").AsString() == "br1");
    }
}

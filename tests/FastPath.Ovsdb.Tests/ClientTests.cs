using System.Collections.Immutable;
using FastPath.Ovsdb.Data;
using FastPath.Ovsdb.Monitoring;
using FastPath.Ovsdb.Schema;
using FastPath.Ovsdb.Transactions;

namespace FastPath.Ovsdb.Tests;

/// <summary>The client's requests against Open vSwitch's own ovsdb-server.</summary>
public class ClientTests
{
    private const string Db = "Open_vSwitch";

    [Fact]
    public async Task List_dbs_and_get_schema_describe_the_vswitch_database()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync();
        await using OvsdbClient client = await OvsdbClient.ConnectAsync(server.UnixTarget);

        Assert.Contains(Db, await client.ListDbsAsync());
        OvsdbSchema schema = await client.GetSchemaAsync(Db);
        OvsdbSchema file = OvsdbSchema.Parse(await File.ReadAllTextAsync(OvsdbServer.VswitchSchema));
        Assert.Equal(file.Version, schema.Version);
        Assert.Equal(file.Tables.Keys, schema.Tables.Keys);

        OvsdbTableSchema bridge = schema.Table("Bridge");
        Assert.False(bridge.IsRoot);
        Assert.True(schema.Table("Open_vSwitch").IsRoot);
        Assert.Contains(bridge.Indexes, ix => ix.SequenceEqual(new[] { "name" }));
        Assert.True(bridge.Column("name").Type.IsScalar);
        Assert.False(bridge.Column("name").Mutable);
        OvsdbColumnType ports = bridge.Column("ports").Type;
        Assert.Equal((OvsdbAtomKind.Uuid, "Port", true, 0, (long?)null), (ports.Key.Kind, ports.Key.RefTable, ports.Key.IsStrongRef, ports.Min, ports.Max));
        OvsdbColumnType failMode = bridge.Column("fail_mode").Type;
        Assert.True(failMode.IsOptional);
        Assert.Equal(new OvsdbAtom[] { "secure", "standalone" }, failMode.Key.Enum!.Value);
        Assert.Equal(OvsdbAtomKind.Uuid, bridge.Column("_uuid").Type.Key.Kind);

        OvsdbColumnType options = schema.Table("Interface").Column("options").Type;
        Assert.True(options.IsMap);
        Assert.Equal((OvsdbAtomKind.String, OvsdbAtomKind.String, 0, (long?)null), (options.Key.Kind, options.Value!.Kind, options.Min, options.Max));
        OvsdbColumnType ofportRequest = schema.Table("Interface").Column("ofport_request").Type;
        Assert.Equal((1L, 65279L), (ofportRequest.Key.MinInteger, ofportRequest.Key.MaxInteger));
        Assert.Equal(OvsdbAtomKind.Integer, schema.Table("Interface").Column("statistics").Type.Value!.Kind);
        Assert.Equal(1L, schema.Table("Open_vSwitch").MaxRows);
        OvsdbColumnType role = schema.Table("Controller").Column("role").Type;
        Assert.Equal(new OvsdbAtom[] { "master", "other", "slave" }, role.Key.Enum!.Value);
        Assert.True(schema.Table("Controller").Column("is_connected").Type.IsScalar);
        Assert.Equal(OvsdbAtomKind.Boolean, schema.Table("Controller").Column("is_connected").Type.Key.Kind);
    }

    [Fact]
    public async Task Unknown_database_is_a_typed_error_reply()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync();
        await using OvsdbClient client = await OvsdbClient.ConnectAsync(server.UnixTarget);
        OvsdbErrorException e = await Assert.ThrowsAsync<OvsdbErrorException>(() => client.GetSchemaAsync("Nope"));
        Assert.Equal("unknown database", e.Error);
        Assert.True(client.IsConnected);
        Assert.Contains(Db, await client.ListDbsAsync());
    }

    [Fact]
    public async Task Transact_inserts_rows_that_refer_to_each_other_by_named_uuid_and_ovs_vsctl_sees_them()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync();
        await using OvsdbClient client = await OvsdbClient.ConnectAsync(server.UnixTarget);
        await client.GetSchemaAsync(Db);
        OvsdbTransactionResult r = await InsertBridgeAsync(client, "br7", "p7");

        Assert.Equal("br7", (await server.VsctlAsync("list-br")).Trim());
        Assert.Equal("p7", (await server.VsctlAsync("list-ports", "br7")).Trim());
        Assert.Equal(r["br"].ToString("D"), await server.GetAsync("Bridge", "br7", "_uuid"));
        Assert.Equal("afxdp", await server.GetAsync("Interface", "p7", "type"));
        Assert.Equal("{n_rxq=\"2\"}", await server.GetAsync("Interface", "p7", "options"));

        // select returns typed rows; update, mutate, comment and delete report counts.
        OvsdbTransactionResult s = await client.TransactAsync(
            Db,
            new OvsdbSelect("Interface", [OvsdbCondition.Equal("name", "p7")], ["name", "options", "ofport_request", "mtu_request"]),
            new OvsdbUpdate("Interface", [OvsdbCondition.Equal("name", "p7")], new Dictionary<string, OvsdbDatum> { ["mtu_request"] = OvsdbDatum.Atom(9000) }),
            new OvsdbMutate("Interface", [OvsdbCondition.Equal("name", "p7")], [new OvsdbMutation("options", OvsdbMutator.Insert, OvsdbDatum.Map([KeyValuePair.Create("xdp-mode", "native")]))]),
            new OvsdbComment("fastpath test"));
        OvsdbRow row = Assert.Single(s.Results[0].Rows!.Value);
        Assert.Equal("p7", row["name"].AsString());
        Assert.Equal(ImmutableSortedDictionary.CreateRange(new Dictionary<string, string> { ["n_rxq"] = "2" }), row["options"].AsStringMap());
        Assert.Equal(3, row["ofport_request"].AsInteger());
        Assert.Null(row["mtu_request"].AsInteger());
        Assert.Equal(1, s.Results[1].Count);
        Assert.Equal(1, s.Results[2].Count);
        Assert.Equal("9000", await server.GetAsync("Interface", "p7", "mtu_request"));
        Assert.Equal("{n_rxq=\"2\", xdp-mode=native}", await server.GetAsync("Interface", "p7", "options"));

        OvsdbTransactionResult d = await client.TransactAsync(
            Db,
            new OvsdbMutate("Open_vSwitch", [], [new OvsdbMutation("bridges", OvsdbMutator.Delete, OvsdbDatum.Atom(r["br"]))]));
        Assert.Equal(1, d.Results[0].Count);
        Assert.Equal("", (await server.VsctlAsync("list-br")).Trim());
        Assert.Equal("", (await server.VsctlAsync("list", "Interface")).Trim());
    }

    [Fact]
    public async Task Failed_transactions_raise_typed_errors_and_change_nothing()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync();
        await using OvsdbClient client = await OvsdbClient.ConnectAsync(server.UnixTarget);
        await client.GetSchemaAsync(Db);
        await InsertBridgeAsync(client, "br0", "p0");

        // A second bridge named br0 breaks the index at commit.
        OvsdbTransactionException dup = await Assert.ThrowsAsync<OvsdbTransactionException>(() => InsertBridgeAsync(client, "br0", "p1"));
        Assert.Equal("constraint violation", dup.Error);
        Assert.Contains("br0", dup.Details);

        // A bridge nothing refers to is garbage collected, but a port referring to a row that does not exist is refused.
        OvsdbTransactionException dangling = await Assert.ThrowsAsync<OvsdbTransactionException>(() => client.TransactAsync(
            Db,
            new OvsdbInsert("Port", new Dictionary<string, OvsdbDatum> { ["name"] = OvsdbDatum.Atom("px"), ["interfaces"] = OvsdbDatum.Atom(Guid.NewGuid()) })));
        Assert.Equal("referential integrity violation", dangling.Error);

        OvsdbTransactionException wrongType = await Assert.ThrowsAsync<OvsdbTransactionException>(() => client.TransactAsync(
            Db,
            new OvsdbComment("first"),
            new OvsdbUpdate("Bridge", [OvsdbCondition.Equal("name", "br0")], new Dictionary<string, OvsdbDatum> { ["fail_mode"] = OvsdbDatum.Atom("bogus") })));
        Assert.Equal(1, wrongType.OperationIndex);
        Assert.Equal("constraint violation", wrongType.Error);
        Assert.NotNull(wrongType.Results[0]);

        OvsdbTransactionException waited = await Assert.ThrowsAsync<OvsdbTransactionException>(() => client.TransactAsync(
            Db,
            new OvsdbWait("Bridge", [OvsdbCondition.Equal("name", "br0")], ["fail_mode"], "==", [new OvsdbRow([KeyValuePair.Create("fail_mode", OvsdbDatum.Atom("secure"))])], 0)));
        Assert.Equal("timed out", waited.Error);

        OvsdbTransactionException aborted = await Assert.ThrowsAsync<OvsdbTransactionException>(() => client.TransactAsync(
            Db,
            new OvsdbUpdate("Bridge", [OvsdbCondition.Equal("name", "br0")], new Dictionary<string, OvsdbDatum> { ["fail_mode"] = OvsdbDatum.Atom("secure") }),
            new OvsdbAbort()));
        Assert.Equal("aborted", aborted.Error);
        Assert.Equal("[]", await server.GetAsync("Bridge", "br0", "fail_mode"));

        OvsdbTransactionException notOwner = await Assert.ThrowsAsync<OvsdbTransactionException>(() => client.TransactAsync(Db, new OvsdbAssert("some_lock")));
        Assert.Equal("not owner", notOwner.Error);

        // A wait that holds passes.
        await client.TransactAsync(
            Db,
            new OvsdbWait("Bridge", [OvsdbCondition.Equal("name", "br0")], ["fail_mode"], "==", [new OvsdbRow([KeyValuePair.Create("fail_mode", OvsdbDatum.Empty)])], 0));
        Assert.Equal("br0", (await server.VsctlAsync("list-br")).Trim());
    }

    [Fact]
    public async Task Monitor_reports_initial_rows_then_inserts_modifies_and_deletes_made_by_ovs_vsctl_until_cancelled()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync();
        await server.VsctlAsync("add-br", "br0");
        await using OvsdbClient client = await OvsdbClient.ConnectAsync(server.UnixTarget);
        await client.GetSchemaAsync(Db);
        var updates = new System.Collections.Concurrent.ConcurrentQueue<OvsdbTableUpdates>();
        OvsdbMonitor monitor = await client.MonitorAsync(
            Db,
            new Dictionary<string, OvsdbMonitorRequest> { ["Bridge"] = new(["name", "fail_mode", "datapath_type"]) },
            updates.Enqueue);

        OvsdbRowUpdate first = Assert.Single(monitor.Initial.Tables["Bridge"].Values);
        Assert.True(monitor.Initial.IsInitial);
        Assert.Equal("br0", first.New!["name"].AsString());
        Assert.Same(monitor.Initial, Assert.Single(updates));

        await server.VsctlAsync("add-br", "br1");
        Assert.True(await Wait.UntilAsync(() => updates.Count == 2));
        KeyValuePair<Guid, OvsdbRowUpdate> inserted = Assert.Single(updates.Last().Tables["Bridge"]);
        Assert.True(inserted.Value.IsInsert);
        Assert.Equal("br1", inserted.Value.New!["name"].AsString());
        Assert.Equal(await server.GetAsync("Bridge", "br1", "_uuid"), inserted.Key.ToString("D"));

        await server.VsctlAsync("set", "Bridge", "br1", "fail_mode=secure", "datapath_type=netdev");
        Assert.True(await Wait.UntilAsync(() => updates.Count == 3));
        OvsdbRowUpdate modified = updates.Last().Tables["Bridge"][inserted.Key];
        Assert.Equal(OvsdbDatum.Empty, modified.Old!["fail_mode"]);
        Assert.Equal("", modified.Old!["datapath_type"].AsString());
        Assert.False(modified.Old.ContainsKey("name"));
        Assert.Equal("secure", modified.New!["fail_mode"].AsString());

        await server.VsctlAsync("del-br", "br1");
        Assert.True(await Wait.UntilAsync(() => updates.Count == 4));
        OvsdbRowUpdate deleted = updates.Last().Tables["Bridge"][inserted.Key];
        Assert.True(deleted.IsDelete);
        Assert.Equal("br1", deleted.Old!["name"].AsString());

        await monitor.CancelAsync();
        await server.VsctlAsync("add-br", "br2");
        await client.EchoAsync();
        Assert.Equal(4, updates.Count);
    }

    [Fact]
    public async Task Tcp_targets_work_as_unix_ones()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync(tcp: true);
        await using OvsdbClient client = await OvsdbClient.ConnectAsync(server.TcpTarget!);
        Assert.StartsWith("tcp:127.0.0.1:", client.Target);
        Assert.Contains(Db, await client.ListDbsAsync());
        await client.GetSchemaAsync(Db);
        await InsertBridgeAsync(client, "brt", "pt");
        Assert.Equal("brt", (await server.VsctlAsync("list-br")).Trim());
    }

    [Fact]
    public async Task Our_inactivity_probe_is_answered_by_the_server_and_keeps_the_connection()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync();
        // 600 ms rather than less: a loaded CI machine must still carry each echo reply back in time.
        var options = new OvsdbClientOptions { Rpc = new Rpc.JsonRpcOptions { InactivityProbe = TimeSpan.FromMilliseconds(600) } };
        await using OvsdbClient client = await OvsdbClient.ConnectAsync(server.UnixTarget, options);
        await Task.Delay(2500);
        Assert.True(client.Connection.ProbesSent >= 2, $"{client.Connection.ProbesSent} probes");
        Assert.True(client.IsConnected);
        Assert.Contains(Db, await client.ListDbsAsync());
    }

    [Fact]
    public async Task Connecting_to_a_socket_nobody_serves_fails_clearly()
    {
        string path = Path.Combine(Path.GetTempPath(), "fpdb-none-" + Guid.NewGuid().ToString("N")[..8]);
        OvsdbConnectionException e = await Assert.ThrowsAsync<OvsdbConnectionException>(() => OvsdbClient.ConnectAsync("unix:" + path));
        Assert.Contains(path, e.Message);
        Assert.Throws<FormatException>(() => Rpc.OvsdbTarget.Parse("tcp:localhost"));
        Assert.Throws<FormatException>(() => Rpc.OvsdbTarget.Parse("ssl:1.2.3.4:6640"));
        Assert.Equal(6640, Rpc.OvsdbTarget.Parse("tcp:[::1]:6640").EndPoint!.Port);
    }

    internal static Task<OvsdbTransactionResult> InsertBridgeAsync(OvsdbClient client, string bridge, string port) => client.TransactAsync(
        Db,
        new OvsdbInsert("Interface", new Dictionary<string, OvsdbDatum>
        {
            ["name"] = OvsdbDatum.Atom(port),
            ["type"] = OvsdbDatum.Atom("afxdp"),
            ["options"] = OvsdbDatum.Map([KeyValuePair.Create("n_rxq", "2")]),
            ["ofport_request"] = OvsdbDatum.Atom(3),
        }, "iface"),
        new OvsdbInsert("Port", new Dictionary<string, OvsdbDatum>
        {
            ["name"] = OvsdbDatum.Atom(port),
            ["interfaces"] = OvsdbDatum.Atom(OvsdbAtom.FromNamedUuid("iface")),
        }, "port"),
        new OvsdbInsert("Bridge", new Dictionary<string, OvsdbDatum>
        {
            ["name"] = OvsdbDatum.Atom(bridge),
            ["ports"] = OvsdbDatum.Atom(OvsdbAtom.FromNamedUuid("port")),
            ["datapath_type"] = OvsdbDatum.Atom("netdev"),
        }, "br"),
        new OvsdbMutate("Open_vSwitch", [], [new OvsdbMutation("bridges", OvsdbMutator.Insert, OvsdbDatum.Atom(OvsdbAtom.FromNamedUuid("br")))]));
}

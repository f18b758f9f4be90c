using System.Collections.Concurrent;
using FastPath.Ovsdb.Data;
using FastPath.Ovsdb.Replication;

namespace FastPath.Ovsdb.Tests;

/// <summary>The replica following a real ovsdb-server changed by the real ovs-vsctl, through disconnections.</summary>
public class ReplicaTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>?> Tables = new()
    {
        ["Bridge"] = ["name", "fail_mode", "ports"],
        ["Port"] = null,
    };

    private static OvsdbReplicaOptions Fast => new() { MinBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(400) };

    [Fact]
    public async Task Replica_holds_the_monitored_rows_and_raises_one_change_per_batch()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync();
        await server.VsctlAsync("add-br", "br0");
        await using var replica = new OvsdbReplica(server.UnixTarget, "Open_vSwitch", Tables, Fast);
        var changes = new ConcurrentQueue<OvsdbReplicaChange>();
        replica.Changed += changes.Enqueue;
        replica.Start();
        await replica.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));

        OvsdbReplicaChange first = Assert.Single(changes);
        Assert.True(first.IsResync);
        Assert.True(replica.IsConnected);
        Guid br0 = Guid.Parse(await server.GetAsync("Bridge", "br0", "_uuid"));
        Assert.Equal("br0", replica.Snapshot.Row("Bridge", br0)!["name"].AsString());
        Assert.True(first.Rows("Bridge")[br0].IsInsert);
        Assert.Single(replica.Snapshot.Rows("Port"));   // the bridge's own internal port
        Assert.False(replica.Snapshot.Row("Bridge", br0)!.ContainsKey("datapath_type"));   // not monitored
        Assert.Contains("external_ids", replica.Snapshot.Rows("Port").Values.Single().Keys);   // every column

        // One ovs-vsctl command is one transaction: one batch, one change, touching Bridge and Port together.
        await server.VsctlAsync("add-port", "br0", "p1", "--", "set-fail-mode", "br0", "secure");
        Assert.True(await Wait.UntilAsync(() => changes.Count == 2));
        OvsdbReplicaChange c = changes.Last();
        Assert.False(c.IsResync);
        OvsdbRowChange bridge = c.Rows("Bridge")[br0];
        Assert.True(bridge.IsModify);
        Assert.Equal(new[] { "fail_mode", "ports" }, bridge.ChangedColumns);
        Assert.Equal(OvsdbDatum.Empty, bridge.Old!["fail_mode"]);
        Assert.Equal("secure", bridge.New!["fail_mode"].AsString());
        Assert.Equal("br0", bridge.New!["name"].AsString());   // whole rows, not just the changed columns
        Guid p1 = Guid.Parse(await server.GetAsync("Port", "p1", "_uuid"));
        Assert.True(c.Rows("Port")[p1].IsInsert);
        Assert.Equal(2, replica.Snapshot.Rows("Port").Count);
        Assert.Contains(p1, replica.Snapshot.Row("Bridge", br0)!["ports"].AsUuids());

        await server.VsctlAsync("del-port", "br0", "p1");
        Assert.True(await Wait.UntilAsync(() => changes.Count == 3));
        Assert.True(changes.Last().Rows("Port")[p1].IsDelete);
        Assert.Null(replica.Snapshot.Row("Port", p1));
        Assert.Equal(changes.Last().Snapshot, replica.Snapshot);
    }

    [Fact]
    public async Task After_the_server_restarts_the_replica_reconnects_and_resynchronises_rows_changed_meanwhile()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync();
        await server.VsctlAsync("add-br", "br0", "--", "add-port", "br0", "gone", "--", "add-port", "br0", "kept");
        await using var replica = new OvsdbReplica(server.UnixTarget, "Open_vSwitch", Tables, Fast);
        var changes = new ConcurrentQueue<OvsdbReplicaChange>();
        var disconnects = new ConcurrentQueue<Exception>();
        replica.Changed += changes.Enqueue;
        replica.Disconnected += disconnects.Enqueue;
        replica.Start();
        await replica.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Guid gone = Guid.Parse(await server.GetAsync("Port", "gone", "_uuid"));
        Guid kept = Guid.Parse(await server.GetAsync("Port", "kept", "_uuid"));
        Guid br0 = Guid.Parse(await server.GetAsync("Bridge", "br0", "_uuid"));
        Assert.Equal(3, replica.Snapshot.Rows("Port").Count);

        server.Kill();
        Assert.True(await Wait.UntilAsync(() => !replica.IsConnected && !disconnects.IsEmpty));
        Assert.False(replica.Snapshot.IsSynced, string.Join(" / ", disconnects.Select(d => d.Message)) + " v" + replica.Snapshot.Version);
        Assert.Equal(3, replica.Snapshot.Rows("Port").Count);   // the last known contents stay readable

        // Changed while the replica cannot see: edit the database file offline (ovsdb-tool), then bring the server back.
        await server.TransactOfflineAsync(
            $$$"""
            ["Open_vSwitch",
             {"op": "insert", "table": "Interface", "row": {"name": "new"}, "uuid-name": "i"},
             {"op": "insert", "table": "Port", "row": {"name": "new", "interfaces": ["named-uuid", "i"]}, "uuid-name": "p"},
             {"op": "mutate", "table": "Bridge", "where": [["name", "==", "br0"]],
              "mutations": [["ports", "delete", ["uuid", "{{{gone}}}"]], ["ports", "insert", ["named-uuid", "p"]]]},
             {"op": "update", "table": "Bridge", "where": [["name", "==", "br0"]], "row": {"fail_mode": "standalone"}}]
            """);
        await server.LaunchAsync();
        Assert.True(await Wait.UntilAsync(() => replica.Syncs == 2, 10000), $"syncs {replica.Syncs}");
        OvsdbReplicaChange resync = changes.Last();
        Assert.True(resync.IsResync);
        Assert.True(resync.Rows("Port")[gone].IsDelete);
        Guid added = Guid.Parse(await server.GetAsync("Port", "new", "_uuid"));
        Assert.True(resync.Rows("Port")[added].IsInsert);
        Assert.False(resync.Rows("Port").ContainsKey(kept), resync.Rows("Port").TryGetValue(kept, out var k) ? string.Join(",", k.ChangedColumns) + " " + k.Old + " -> " + k.New : "");
        Assert.Equal(new[] { "fail_mode", "ports" }, resync.Rows("Bridge")[br0].ChangedColumns);
        Assert.Null(replica.Snapshot.Row("Port", gone));
        Assert.True(replica.Snapshot.IsSynced);
        Assert.Equal(new[] { "br0", "kept", "new" }, replica.Snapshot.Rows("Port").Values.Select(r => r["name"].AsString()).Order());

        // And it keeps following.
        await server.VsctlAsync("del-br", "br0");
        Assert.True(await Wait.UntilAsync(() => replica.Snapshot.Rows("Bridge").IsEmpty && replica.Snapshot.Rows("Port").IsEmpty));
    }

    [Fact]
    public async Task A_replica_started_before_its_server_waits_with_backoff_and_syncs_when_it_appears()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync();
        server.Kill();
        await using var replica = new OvsdbReplica(server.UnixTarget, "Open_vSwitch", Tables, Fast);
        var disconnects = new ConcurrentQueue<Exception>();
        replica.Disconnected += disconnects.Enqueue;
        replica.Start();
        Assert.True(await Wait.UntilAsync(() => disconnects.Count >= 2));
        Assert.IsType<OvsdbConnectionException>(disconnects.First());
        await server.LaunchAsync();
        await server.VsctlAsync("add-br", "br9");
        await replica.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(await Wait.UntilAsync(() => replica.Snapshot.Rows("Bridge").Count == 1));
    }

    [Fact]
    public async Task Changes_only_to_omit_alert_columns_update_the_replica_silently()
    {
        await using OvsdbServer server = await OvsdbServer.StartAsync();
        await server.VsctlAsync("add-br", "br0");
        var options = Fast with { OmitAlert = new HashSet<string> { "Bridge.fail_mode" } };
        await using var replica = new OvsdbReplica(server.UnixTarget, "Open_vSwitch", Tables, options);
        var changes = new ConcurrentQueue<OvsdbReplicaChange>();
        replica.Changed += changes.Enqueue;
        replica.Start();
        await replica.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));

        await server.VsctlAsync("set-fail-mode", "br0", "secure");
        Assert.True(await Wait.UntilAsync(() => replica.Snapshot.Rows("Bridge").Values.Single()["fail_mode"].AsString() == "secure"));
        Assert.Single(changes);
        await server.VsctlAsync("add-port", "br0", "p1");
        Assert.True(await Wait.UntilAsync(() => changes.Count == 2));
        Assert.Single(changes.Last().Rows("Port"));
        Assert.Equal(new[] { "ports" }, changes.Last().Rows("Bridge").Values.Single().ChangedColumns);
    }
}

using System.Text.Json;
using FastPath.Ovsdb.Rpc;

namespace FastPath.Ovsdb.Tests;

/// <summary>The JSON-RPC layer against a scripted peer: framing, echo, and every kind of bad input ending in a clear
/// error, never a hang.</summary>
public class RpcTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task The_servers_echo_requests_are_answered_with_their_params_and_id()
    {
        await using var fake = new FakeServer();
        await using OvsdbClient client = await fake.ConnectAsync();
        await fake.SendAsync("""{"method":"echo","params":["x",1],"id":"echo"}""");
        JsonElement reply = await fake.ReadAsync();
        Assert.Equal("""["x",1]""", reply.GetProperty("result").GetRawText());
        Assert.Equal(JsonValueKind.Null, reply.GetProperty("error").ValueKind);
        Assert.Equal("echo", reply.GetProperty("id").GetString());
        Assert.Equal(1, client.Connection.EchoRequestsAnswered);

        await fake.SendAsync("""{"method":"frobnicate","params":[],"id":7}""");
        reply = await fake.ReadAsync();
        Assert.Equal("unknown method", reply.GetProperty("error").GetProperty("error").GetString());
        Assert.Equal(7, reply.GetProperty("id").GetInt32());
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Replies_split_into_single_bytes_or_joined_in_one_write_are_framed_correctly()
    {
        await using var fake = new FakeServer();
        await using OvsdbClient client = await fake.ConnectAsync();
        Task<System.Collections.Immutable.ImmutableArray<string>> a = client.ListDbsAsync();
        JsonElement request = await fake.ReadAsync();
        Assert.Equal("list_dbs", request.GetProperty("method").GetString());
        Assert.Equal(0, request.GetProperty("params").GetArrayLength());
        long id = request.GetProperty("id").GetInt64();
        await fake.TrickleAsync($$""" {"id": {{id}}, "result": ["Open_vSwitch", "caf\u00e9 \"q\""], "error": null}""" + "\n");
        Assert.Equal(new[] { "Open_vSwitch", "café \"q\"" }, await a.WaitAsync(Bound));

        Task<System.Collections.Immutable.ImmutableArray<string>> b = client.ListDbsAsync();
        Task<System.Collections.Immutable.ImmutableArray<string>> c = client.ListDbsAsync();
        long idB = (await fake.ReadAsync()).GetProperty("id").GetInt64();
        long idC = (await fake.ReadAsync()).GetProperty("id").GetInt64();
        await fake.SendAsync($$"""{"id":{{idC}},"result":["C"],"error":null}{"method":"update","params":["nobody",{}],"id":null}{"id":{{idB}},"result":["B"],"error":null}""");
        Assert.Equal("B", Assert.Single(await b.WaitAsync(Bound)));
        Assert.Equal("C", Assert.Single(await c.WaitAsync(Bound)));
    }

    [Theory]
    [InlineData("""{"id":1,"result":[}""", "malformed JSON")]
    [InlineData("""[1,2]""", "a JSON-RPC message is a JSON object")]
    [InlineData(""" "hello" """, "a JSON-RPC message is a JSON object")]
    [InlineData("""{"id":1}""", "neither a request nor a reply")]
    [InlineData("""{"method":5,"params":[],"id":null}""", "\"method\" must be a string")]
    [InlineData("""{"method":"update","id":null}""", "lacks a \"params\" array")]
    [InlineData("""{"method":"update","params":["m1"],"id":null}""", "update: params must be")]
    [InlineData("""{"id":1,"result":tru}""", "malformed JSON")]
    [InlineData("""{"a":""" + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" + "}", "malformed JSON")]
    [InlineData("\u0001", "malformed JSON")]
    public async Task Malformed_input_closes_the_connection_with_a_clear_error_and_fails_pending_requests(string input, string expected)
    {
        await using var fake = new FakeServer();
        await using OvsdbClient client = await fake.ConnectAsync();
        Task<System.Collections.Immutable.ImmutableArray<string>> pending = client.ListDbsAsync();
        await fake.ReadAsync();
        await fake.SendAsync(input);

        Exception reason = await client.Closed.WaitAsync(Bound);
        Assert.IsType<OvsdbProtocolException>(reason);
        Assert.Contains(expected, reason.Message);
        OvsdbConnectionException e = await Assert.ThrowsAsync<OvsdbConnectionException>(() => pending.WaitAsync(Bound));
        Assert.Contains(expected, e.Message);
        Assert.False(client.IsConnected);
        Assert.True(await fake.SeesCloseAsync());
        await Assert.ThrowsAsync<OvsdbConnectionException>(() => client.ListDbsAsync().WaitAsync(Bound));
    }

    [Fact]
    public async Task A_peer_that_closes_in_the_middle_of_a_message_is_reported_as_such()
    {
        await using var fake = new FakeServer();
        await using OvsdbClient client = await fake.ConnectAsync();
        Task pending = client.EchoAsync();
        await fake.ReadAsync();
        await fake.SendAsync("""{"id":1,"res""");
        fake.CloseOutput();
        Exception reason = await client.Closed.WaitAsync(Bound);
        Assert.Contains("in the middle of a message", reason.Message);
        await Assert.ThrowsAsync<OvsdbConnectionException>(() => pending.WaitAsync(Bound));
    }

    [Fact]
    public async Task A_clean_close_between_messages_is_a_connection_error_not_a_protocol_one()
    {
        await using var fake = new FakeServer();
        await using OvsdbClient client = await fake.ConnectAsync();
        await fake.SendAsync("{\"method\":\"echo\",\"params\":[],\"id\":1}\n  ");
        await fake.ReadAsync();
        fake.CloseOutput();
        Exception reason = await client.Closed.WaitAsync(Bound);
        Assert.IsType<OvsdbConnectionException>(reason);
        Assert.Contains("closed by peer", reason.Message);
    }

    [Fact]
    public async Task A_message_longer_than_the_limit_closes_the_connection_instead_of_growing()
    {
        await using var fake = new FakeServer();
        await using OvsdbClient client = await fake.ConnectAsync(new JsonRpcOptions { InactivityProbe = TimeSpan.Zero, MaxMessageBytes = 1024 });
        await fake.SendAsync("""{"id":1,"result":[""" + string.Concat(Enumerable.Repeat("\"aaaaaaaaaaaaaaaa\",", 512)));
        Exception reason = await client.Closed.WaitAsync(Bound);
        Assert.Contains("longer than 1024 bytes", reason.Message);
    }

    [Fact]
    public async Task Wrongly_shaped_results_fail_that_request_only()
    {
        await using var fake = new FakeServer();
        await using OvsdbClient client = await fake.ConnectAsync();

        Task<System.Collections.Immutable.ImmutableArray<string>> dbs = client.ListDbsAsync();
        long id = (await fake.ReadAsync()).GetProperty("id").GetInt64();
        await fake.SendAsync($$"""{"id":{{id}},"result":5,"error":null}""");
        Assert.Contains("list_dbs: expected an array of strings", (await Assert.ThrowsAsync<OvsdbProtocolException>(() => dbs.WaitAsync(Bound))).Message);

        Task<Schema.OvsdbSchema> schema = client.GetSchemaAsync("X");
        id = (await fake.ReadAsync()).GetProperty("id").GetInt64();
        await fake.SendAsync("{\"id\":" + id + ""","result":{"name":"X","tables":{"T":{"columns":{"c":{"type":"int"}}}}},"error":null}""");
        Assert.Contains("column T.c: \"int\" is not an atomic type", (await Assert.ThrowsAsync<OvsdbProtocolException>(() => schema.WaitAsync(Bound))).Message);

        Task<Transactions.OvsdbTransactionResult> tx = client.TransactAsync("X", new Transactions.OvsdbComment("c"), new Transactions.OvsdbComment("d"));
        id = (await fake.ReadAsync()).GetProperty("id").GetInt64();
        await fake.SendAsync($$"""{"id":{{id}},"result":[{}],"error":null}""");
        Assert.Contains("1 results for 2 operations", (await Assert.ThrowsAsync<OvsdbProtocolException>(() => tx.WaitAsync(Bound))).Message);

        tx = client.TransactAsync("X", new Transactions.OvsdbComment("c"));
        id = (await fake.ReadAsync()).GetProperty("id").GetInt64();
        await fake.SendAsync($$"""{"id":{{id}},"result":[{"uuid":["uuid","not-a-uuid"]}],"error":null}""");
        Assert.Contains("\"not-a-uuid\" is not a UUID", (await Assert.ThrowsAsync<OvsdbProtocolException>(() => tx.WaitAsync(Bound))).Message);

        Task echo = client.EchoAsync();
        id = (await fake.ReadAsync()).GetProperty("id").GetInt64();
        await fake.SendAsync($$"""{"id":{{id}},"result":null,"error":"some error"}""");
        Assert.Equal("some error", (await Assert.ThrowsAsync<OvsdbErrorException>(() => echo.WaitAsync(Bound))).Error);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_malformed_update_closes_the_connection_rather_than_leaving_a_wrong_replica()
    {
        await using var fake = new FakeServer();
        await using OvsdbClient client = await fake.ConnectAsync();
        var updates = new List<Monitoring.OvsdbTableUpdates>();
        Task<Monitoring.OvsdbMonitor> monitor = client.MonitorAsync("X", new Dictionary<string, Monitoring.OvsdbMonitorRequest> { ["T"] = new() }, updates.Add);
        JsonElement request = await fake.ReadAsync();
        Assert.Equal("""["X","m1",{"T":{"select":{"initial":true,"insert":true,"delete":true,"modify":true}}}]""", request.GetProperty("params").GetRawText());
        long id = request.GetProperty("id").GetInt64();
        await fake.SendAsync("{\"id\":" + id + ""","result":{"T":{"6f1fd4b2-76a9-4c4b-9c9a-5b3e1e8c2b11":{"new":{"c":1}}}},"error":null}""");
        Assert.Equal(1, (await monitor.WaitAsync(Bound)).Initial.Tables["T"].Values.Single().New!["c"].AsInteger());
        await fake.SendAsync("""{"method":"update","params":["m1",{"T":{"zzz":{"new":{}}}}],"id":null}""");
        Exception reason = await client.Closed.WaitAsync(Bound);
        Assert.Contains("\"zzz\" is not a UUID", reason.Message);
        Assert.Single(updates);
    }

    [Fact]
    public async Task A_request_without_reply_times_out_and_its_late_reply_is_dropped()
    {
        await using var fake = new FakeServer();
        await using OvsdbClient client = await fake.ConnectAsync(new JsonRpcOptions { InactivityProbe = TimeSpan.Zero, RequestTimeout = TimeSpan.FromMilliseconds(300) });
        Task echo = client.EchoAsync();
        long id = (await fake.ReadAsync()).GetProperty("id").GetInt64();
        TimeoutException e = await Assert.ThrowsAsync<TimeoutException>(() => echo.WaitAsync(Bound));
        Assert.Contains("echo: no reply within 0.3 s", e.Message);
        await fake.SendAsync($$"""{"id":{{id}},"result":[],"error":null}""");
        Assert.True(await Wait.UntilAsync(() => client.Connection.UnexpectedReplies == 1));
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Our_inactivity_probe_closes_a_connection_to_a_silent_peer()
    {
        await using var fake = new FakeServer();
        await using OvsdbClient client = await fake.ConnectAsync(new JsonRpcOptions { InactivityProbe = TimeSpan.FromMilliseconds(200) });
        JsonElement probe = await fake.ReadAsync();
        Assert.Equal("echo", probe.GetProperty("method").GetString());
        Exception reason = await client.Closed.WaitAsync(Bound);
        Assert.Contains("inactivity probe timed out", reason.Message);
    }
}

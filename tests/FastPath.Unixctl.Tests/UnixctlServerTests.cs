using System.Globalization;

namespace FastPath.Unixctl.Tests;

/// <summary>The unixctl server as Open vSwitch's real ovs-appctl sees it, and its answers to what ovs-appctl never sends.</summary>
public sealed class UnixctlServerTests : IDisposable
{
    private readonly TempRunDir dir = new();

    public void Dispose() => dir.Dispose();

    private UnixctlServer Start() => UnixctlServer.Start(new UnixctlServerOptions { RunDirectory = dir.Path, VersionText = "fastpathd (FastPath) 1.2.3" });

    [Fact]
    public async Task PlainOvsAppctlWithOvsRundirReachesTheServer()
    {
        await using UnixctlServer server = Start();
        string pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(pid + "\n", OutsideRead.Text(Path.Combine(dir.Path, "ovs-vswitchd.pid")));
        Assert.Equal(Path.Combine(dir.Path, $"ovs-vswitchd.{pid}.ctl"), server.SocketPath);

        // No -t: ovs-appctl reads OVS_RUNDIR/ovs-vswitchd.pid, checks its lock, and connects to ovs-vswitchd.PID.ctl.
        Assert.Equal("fastpathd (FastPath) 1.2.3\n", AppCtl.Ok(dir.Path, "version"));
        Assert.Equal("fastpathd (FastPath) 1.2.3\n", AppCtl.Ok(dir.Path, "-t", server.SocketPath, "version"));
    }

    [Fact]
    public async Task DefaultVersionSaysFastPathInOpenVSwitchStyle()
    {
        await using UnixctlServer server = UnixctlServer.Start(new UnixctlServerOptions { RunDirectory = dir.Path });
        Assert.Matches(@"^fastpathd \(FastPath\) \d+\.\d+\.\d+\S*\n$", AppCtl.Ok(dir.Path, "version"));
    }

    [Fact]
    public async Task ListCommandsHasOpenVSwitchLayoutSortedAndHidesCommandsWithoutUsage()
    {
        await using UnixctlServer server = Start();
        server.Register("zz/last", "bridge", 1, 1, _ => UnixctlReply.Ok());
        server.Register("a-very-long-command-name/beyond-23", "[x]", 0, 1, _ => UnixctlReply.Ok());
        server.Register("hidden/cmd", null, 0, 0, _ => UnixctlReply.Ok("hidden works"));
        string text = AppCtl.Ok(dir.Path, "list-commands");
        Assert.Equal(
            "The available commands are:\n"
            + "  a-very-long-command-name/beyond-23 [x]\n"
            + "  list-commands           \n"
            + "  version                 \n"
            + "  zz/last                 bridge\n",
            text);
        Assert.Equal("hidden works\n", AppCtl.Ok(dir.Path, "hidden/cmd"));
    }

    [Fact]
    public async Task ErrorsUseOpenVSwitchMessagesAndExitStatus2()
    {
        await using UnixctlServer server = Start();
        server.Register("two/args", "a b", 2, 2, args => UnixctlReply.Ok(string.Join('+', args)));
        server.Register("fails", "", 0, 0, _ => throw new UnixctlException("no such bridge"));

        AppCtl.Result r = AppCtl.Run(dir.Path, "nosuch");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("\"nosuch\" is not a valid command (use \"list-commands\" to see a list of valid commands)\n", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("server returned an error", r.Stderr, StringComparison.Ordinal);

        r = AppCtl.Run(dir.Path, "two/args", "x");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("\"two/args\" command requires at least 2 arguments\n", r.Stderr, StringComparison.Ordinal);

        r = AppCtl.Run(dir.Path, "two/args", "x", "y", "z");
        Assert.StartsWith("\"two/args\" command takes at most 2 arguments\n", r.Stderr, StringComparison.Ordinal);

        Assert.Equal("x+y\n", AppCtl.Ok(dir.Path, "two/args", "x", "y"));

        r = AppCtl.Run(dir.Path, "fails");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("no such bridge\n", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WireFormatMatchesOpenVSwitch()
    {
        await using UnixctlServer server = Start();
        server.Register("echo", "", 0, 2, args => UnixctlReply.Ok(string.Join(' ', args)));
        server.Register("empty", "", 0, 0, _ => UnixctlReply.Ok());
        using var c = new RawClient(server.SocketPath);

        // Replies as ovs-vswitchd 3.1 sends them, byte for byte (captured from one): a newline is added to a
        // body without one, the id comes back as it was sent, an error has no result member.
        Assert.Equal("{\"id\":1,\"result\":\"fastpathd (FastPath) 1.2.3\\n\",\"error\":null}", c.Exchange("{\"method\":\"version\",\"params\":[],\"id\":1}"));
        Assert.Equal("{\"id\":\"x\",\"result\":\"a \\\"b\\\"\\n\",\"error\":null}", c.Exchange("{\"method\":\"echo\",\"params\":[\"a\",\"\\\"b\\\"\"],\"id\":\"x\"}"));
        Assert.Equal("{\"id\":2,\"result\":\"\",\"error\":null}", c.Exchange("{\"method\":\"empty\",\"params\":[],\"id\":2}"));
        Assert.Equal(
            "{\"id\":3,\"error\":\"\\\"echo\\\" command has non-string argument\\n\"}",
            c.Exchange("{\"method\":\"echo\",\"params\":[1],\"id\":3}"));
        Assert.Equal(
            "{\"id\":4,\"error\":\"\\\"version\\\" command takes at most 0 arguments\\n\"}",
            c.Exchange("{\"method\":\"version\",\"params\":[1],\"id\":4}"));

        // Two requests in one write are answered in order.
        using var c2 = new RawClient(server.SocketPath);
        string both = c2.Exchange("{\"method\":\"echo\",\"params\":[\"one\"],\"id\":1}{\"method\":\"echo\",\"params\":[\"two\"],\"id\":2}")!;
        Assert.StartsWith("{\"id\":1,\"result\":\"one\\n\"", both, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"method\":\"version\",\"params\":[],\"id\":null}")] // a notification
    [InlineData("{\"method\":\"version\",\"id\":4}")] // no params
    [InlineData("[1,2]")]
    [InlineData("{\"result\":\"x\",\"error\":null,\"id\":5}")] // a reply
    [InlineData("garbage")]
    [InlineData("{\"method\":\"version\",\"params\":[],\"id\":1,}")] // invalid JSON
    public async Task AnythingButARequestClosesTheConnectionAndTheServerLivesOn(string message)
    {
        await using UnixctlServer server = Start();
        using (var c = new RawClient(server.SocketPath))
        {
            Assert.Null(c.Exchange(message));
        }

        Assert.Equal("fastpathd (FastPath) 1.2.3\n", AppCtl.Ok(dir.Path, "version"));
    }

    [Fact]
    public async Task OversizeRequestClosesTheConnection()
    {
        await using UnixctlServer server = UnixctlServer.Start(new UnixctlServerOptions { RunDirectory = dir.Path, MaxRequestBytes = 1000 });
        using var c = new RawClient(server.SocketPath);
        Assert.Null(c.Exchange("{\"method\":\"version\",\"params\":[\"" + new string('a', 5000)));
    }

    [Fact]
    public async Task ExitRunsTheHostCallbackWithCleanupAndRepliesAfterIt()
    {
        await using UnixctlServer server = Start();
        var calls = new List<bool>();
        server.RegisterExit(async cleanup =>
        {
            await Task.Delay(50);
            lock (calls)
            {
                calls.Add(cleanup);
            }
        });
        Assert.Equal("", AppCtl.Ok(dir.Path, "exit"));
        Assert.Equal("", AppCtl.Ok(dir.Path, "exit", "--cleanup"));
        Assert.Equal([false, true], calls);
        Assert.Contains("  exit                    [--cleanup]\n", AppCtl.Ok(dir.Path, "list-commands"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeRemovesSocketAndPidfileAndAllowsANewServer()
    {
        UnixctlServer server = Start();
        string socket = server.SocketPath, pidfile = server.PidfilePath!;
        await server.DisposeAsync();
        Assert.False(File.Exists(socket));
        Assert.False(File.Exists(pidfile));
        Assert.NotEqual(0, AppCtl.Run(dir.Path, "version").ExitCode);
        await using UnixctlServer again = Start();
        Assert.Equal("fastpathd (FastPath) 1.2.3\n", AppCtl.Ok(dir.Path, "version"));
    }

    [Fact]
    public async Task CommandsOfSeveralConnectionsRunAtOnce()
    {
        await using UnixctlServer server = Start();
        var gate = new TaskCompletionSource();
        server.Register("wait", "", 0, 0, async (_, ct) =>
        {
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(20), ct);
            return UnixctlReply.Ok("waited");
        });
        server.Register("release", "", 0, 0, _ =>
        {
            gate.TrySetResult();
            return UnixctlReply.Ok("released");
        });
        Task<AppCtl.Result> waiting = Task.Run(() => AppCtl.Run(dir.Path, "wait"));
        Assert.Equal("released\n", AppCtl.Ok(dir.Path, "release"));
        Assert.Equal("waited\n", (await waiting).Stdout);
    }

    [Fact]
    public async Task ExecuteAsyncAppliesTheSameChecks()
    {
        await using UnixctlServer server = Start();
        server.Register("one", "x", 1, 1, a => UnixctlReply.Ok(a[0]));
        Assert.Equal(UnixctlReply.Ok("v"), await server.ExecuteAsync("one", ["v"]));
        Assert.Equal(UnixctlReply.Error("\"one\" command requires at least 1 arguments"), await server.ExecuteAsync("one", []));
    }
}

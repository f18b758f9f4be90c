using FastPath.Unixctl.Vlog;
using Microsoft.Extensions.Logging;

namespace FastPath.Unixctl.Tests;

/// <summary>vlog/* through the real ovs-appctl, changing what Microsoft.Extensions.Logging writes at run time.</summary>
public sealed class VlogTests : IAsyncLifetime
{
    private readonly TempRunDir dir = new();
    private readonly StringWriter console = new();
    private UnixctlServer server = null!;
    private VlogLoggerProvider provider = null!;
    private ILoggerFactory factory = null!;

    private string LogFile => Path.Combine(dir.Path, "ovs-vswitchd.log");

    public Task InitializeAsync()
    {
        provider = new VlogLoggerProvider(new VlogModules(), LogFile, console);

        // The logging configuration says Warning: the vlog provider's own rule must win, or vlog/set could not raise levels.
        factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddFilter("FastPath", LogLevel.Warning).AddVlog(provider));
        server = UnixctlServer.Start(new UnixctlServerOptions { RunDirectory = dir.Path }, factory.CreateLogger<UnixctlServer>());
        VlogCommands.Register(server, provider);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        factory.Dispose();
        dir.Dispose();
    }

    private string ConsoleText
    {
        get
        {
            lock (console)
            {
                return console.ToString();
            }
        }
    }

    [Fact]
    public void ListHasOpenVSwitchLayout()
    {
        string text = AppCtl.Ok(dir.Path, "vlog/list");
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("                 console    syslog    file", lines[0]);
        Assert.Equal("                 -------    ------    ------", lines[1]);
        Assert.Contains("dpif_netdev       INFO        OFF       INFO", lines);
        Assert.Contains("ofproto           INFO        OFF       INFO", lines);
        Assert.Contains("vswitchd          INFO        OFF       INFO", lines);
        Assert.All(lines[2..], l => Assert.Matches(@"^[a-z_]+ +(OFF|EMER|ERR|WARN|INFO|DBG) +(OFF|EMER|ERR|WARN|INFO|DBG) +(OFF|EMER|ERR|WARN|INFO|DBG)$", l));
        Assert.Equal(lines[2..].OrderBy(l => l, StringComparer.Ordinal), lines[2..]);
    }

    [Fact]
    public void SetModuleDestinationLevelChangesWhatIsWritten()
    {
        ILogger pmd = factory.CreateLogger("FastPath.Datapath.Pmd.PmdThread");
        pmd.LogDebug("before");
        Assert.Equal("", AppCtl.Ok(dir.Path, "vlog/set", "dpif_netdev:file:dbg"));
        Assert.Contains("dpif_netdev       INFO        OFF        DBG", AppCtl.Ok(dir.Path, "vlog/list"), StringComparison.Ordinal);
        pmd.LogDebug("after {N}", 42);

        string[] file = ReadLog();
        Assert.DoesNotContain(file, l => l.EndsWith("|before", StringComparison.Ordinal));
        Assert.Contains(file, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\|\d{5}\|dpif_netdev\|DBG\|after 42$"));
        Assert.DoesNotContain("after 42", ConsoleText, StringComparison.Ordinal); // console stays at INFO

        pmd.LogWarning("warned");
        Assert.Matches(@"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\|\d{5}\|dpif_netdev\|WARN\|warned$", ConsoleText);

        // Another module was not touched.
        factory.CreateLogger("FastPath.Ofproto.OfprotoThread").LogDebug("ofproto debug");
        Assert.DoesNotContain(ReadLog(), l => l.EndsWith("ofproto debug", StringComparison.Ordinal));
    }

    [Fact]
    public void SetAnyFileDbgAndNoArgumentsAndOff()
    {
        Assert.Equal("", AppCtl.Ok(dir.Path, "vlog/set", "ANY:file:dbg"));
        string[] lines = AppCtl.Ok(dir.Path, "vlog/list").Split('\n', StringSplitOptions.RemoveEmptyEntries)[2..];
        Assert.All(lines, l => Assert.EndsWith("INFO        OFF        DBG", l, StringComparison.Ordinal));

        Assert.Equal("", AppCtl.Ok(dir.Path, "vlog/set", "console:off", "connmgr:syslog:warn"));
        Assert.Contains("connmgr            OFF       WARN        DBG", AppCtl.Ok(dir.Path, "vlog/list"), StringComparison.Ordinal);
        factory.CreateLogger("FastPath.Connmgr.OfConnectionManager").LogError("to the file only");
        Assert.DoesNotContain("to the file only", ConsoleText, StringComparison.Ordinal);
        Assert.Contains(ReadLog(), l => l.EndsWith("|connmgr|ERR|to the file only", StringComparison.Ordinal));

        Assert.Equal("", AppCtl.Ok(dir.Path, "vlog/set"));
        Assert.All(
            AppCtl.Ok(dir.Path, "vlog/list").Split('\n', StringSplitOptions.RemoveEmptyEntries)[2..],
            l => Assert.EndsWith("DBG        DBG        DBG", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("nosuch:dbg", "no destination, level, or module \"nosuch\"")]
    [InlineData("ofproto:nosuch", "no destination, level, or module \"nosuch\"")]
    [InlineData("ofproto:file:dbg:x", "no destination, level, or module \"x\"")]
    [InlineData("ofproto:dbg:info", "cannot specify multiple levels")]
    [InlineData("file:console", "cannot specify multiple destinations")]
    [InlineData("ofproto:connmgr", "cannot specify multiple modules")]
    [InlineData("PATTERN", "missing destination")]
    [InlineData("PATTERN:bogus:%m", "unknown destination \"bogus\"")]
    public void BadSpecificationsAreRefusedWithOpenVSwitchMessages(string spec, string message)
    {
        AppCtl.Result r = AppCtl.Run(dir.Path, "vlog/set", spec);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(message + "\n", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("ofproto           INFO        OFF       INFO", AppCtl.Ok(dir.Path, "vlog/list"), StringComparison.Ordinal);
    }

    [Fact]
    public void ReopenAfterRotationWritesANewFile()
    {
        ILogger log = factory.CreateLogger("FastPath.Ofproto.Bridge.OfBridge");
        log.LogWarning("first");
        File.Move(LogFile, LogFile + ".1");
        Assert.Equal("", AppCtl.Ok(dir.Path, "vlog/reopen"));
        log.LogWarning("second");
        Assert.Contains(File.ReadAllLines(LogFile + ".1"), l => l.EndsWith("|ofproto_dpif|WARN|first", StringComparison.Ordinal));
        Assert.Contains(ReadLog(), l => l.EndsWith("|ofproto_dpif|WARN|second", StringComparison.Ordinal));
    }

    [Fact]
    public void CategoriesMapOntoOpenVSwitchModuleNames()
    {
        var m = new VlogModules();
        Assert.Equal("dpif_netdev", m.ModuleOf("FastPath.Datapath.Pmd.PmdThread").Name);
        Assert.Equal("netdev_afxdp", m.ModuleOf("FastPath.Datapath.Ports.Afxdp.AfxdpNetdev").Name);
        Assert.Equal("netdev", m.ModuleOf("FastPath.Datapath.Ports.NullNetdev").Name);
        Assert.Equal("netdev_linux", m.ModuleOf("FastPath.Datapath.Ports.Pcap.PcapNetdev").Name);
        Assert.Equal("ofproto_dpif_upcall", m.ModuleOf("FastPath.Ofproto.Upcalls.UpcallHandler").Name);
        Assert.Equal("connmgr", m.ModuleOf("FastPath.Connmgr.OfConnectionManager").Name);
        Assert.Equal("vswitchd", m.ModuleOf("Program").Name);
        Assert.Equal("vswitchd", m.ModuleOf("FastPath.DatapathX").Name); // a prefix is a namespace, not a string prefix
        m.AddModule("ovsdb_idl", "FastPath.Ovsdb.Idl");
        Assert.Equal("ovsdb_idl", m.ModuleOf("FastPath.Ovsdb.Idl.Client").Name);
        Assert.Equal("ovsdb_idl", m.ModuleOf("FastPath.Ovsdb.Jsonrpc").Name);
        Assert.Equal("dpif", m.ModuleOf("FastPath.Datapath.NetdevDatapath").Name);
        Assert.Equal("ofproto_dpif", m.ModuleOf("FastPath.Ofproto.Bridge.BridgeHost").Name);
        Assert.Equal("ofproto_dpif_xlate", m.ModuleOf("FastPath.Ofproto.Xlate.OfXlate").Name);
        Assert.Equal("rconn", m.ModuleOf("FastPath.Connmgr.OfActiveRemote").Name);
        Assert.Equal("vconn", m.ModuleOf("FastPath.Connmgr.OfConnection").Name);
        Assert.Equal("poll_loop", m.ModuleOf("poll_loop").Name);
    }

    /// <summary>The modules an Open vSwitch 3.1 user names in vlog/set, as its ovs-vswitchd lists them.</summary>
    [Theory]
    [InlineData("dpif")]
    [InlineData("dpif_netdev")]
    [InlineData("ofproto")]
    [InlineData("ofproto_dpif")]
    [InlineData("ofproto_dpif_upcall")]
    [InlineData("ofproto_dpif_xlate")]
    [InlineData("bridge")]
    [InlineData("connmgr")]
    [InlineData("rconn")]
    [InlineData("vconn")]
    [InlineData("netdev")]
    [InlineData("netdev_afxdp")]
    [InlineData("ovsdb_idl")]
    [InlineData("unixctl")]
    [InlineData("poll_loop")]
    public void OpenVSwitchModulesAreListedAndSetByName(string module)
    {
        Assert.Contains($"{module,-16}  INFO        OFF       INFO\n", AppCtl.Ok(dir.Path, "vlog/list"), StringComparison.Ordinal);
        Assert.Equal("", AppCtl.Ok(dir.Path, "vlog/set", module + ":dbg"));
        Assert.Contains($"{module,-16}   DBG        DBG        DBG\n", AppCtl.Ok(dir.Path, "vlog/list"), StringComparison.Ordinal);
        Assert.Equal("", AppCtl.Ok(dir.Path, "vlog/set", $"{module}:console:warn"));
        Assert.Contains($"{module,-16}  WARN        DBG        DBG\n", AppCtl.Ok(dir.Path, "vlog/list"), StringComparison.Ordinal);

        // Only that module changed.
        string other = module == "ofproto" ? "vswitchd" : "ofproto";
        Assert.Contains($"{other,-16}  INFO        OFF       INFO\n", AppCtl.Ok(dir.Path, "vlog/list"), StringComparison.Ordinal);
    }

    [Fact]
    public void DpifDebugMessagesAreWrittenOnceDpifIsSetToDbg()
    {
        ILogger dpif = factory.CreateLogger("FastPath.Datapath.NetdevDatapath");
        dpif.LogDebug("before");
        Assert.Equal("", AppCtl.Ok(dir.Path, "vlog/set", "dpif:console:dbg"));
        dpif.LogDebug("after");
        Assert.DoesNotContain("|dpif|DBG|before", ConsoleText, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\|\d{5}\|dpif\|DBG\|after$", ConsoleText);
    }

    [Fact]
    public void RateLimitCommandsCheckModuleNamesAsOpenVSwitchDoes()
    {
        Assert.Equal("", AppCtl.Ok(dir.Path, "vlog/disable-rate-limit"));
        Assert.Equal("", AppCtl.Ok(dir.Path, "vlog/disable-rate-limit", "dpif", "ANY"));
        Assert.Equal("", AppCtl.Ok(dir.Path, "vlog/enable-rate-limit", "ofproto_dpif_upcall"));
        AppCtl.Result r = AppCtl.Run(dir.Path, "vlog/enable-rate-limit", "dpif", "nosuch");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("unknown module\n", r.Stderr, StringComparison.Ordinal);
    }

    private string[] ReadLog()
    {
        using var fs = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var r = new StreamReader(fs);
        return r.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}

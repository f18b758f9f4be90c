using System.CommandLine;
using FastPath.Daemon;
using FastPath.Daemon.Switch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// fastpathd: a drop-in ovs-vswitchd for datapath_type=netdev. Configured through Open vSwitch's ovsdb-server,
// driven by ovs-vsctl, ovs-ofctl and ovs-appctl.
var database = new Argument<string?>("DATABASE")
{
    Description = "the OVSDB server, as ovs-vswitchd takes it (unix:PATH or tcp:IP:PORT); default: a private ovsdb-server in the run directory",
    Arity = ArgumentArity.ZeroOrOne,
};
var db = new Option<string?>("--db") { Description = "same as DATABASE" };
var dbFile = new Option<string?>("--db-file") { Description = "the private database's file (default RUNDIR/conf.db)" };
var logFile = new Option<string?>("--log-file") { Description = "also log to FILE (vlog's file destination; ovs-appctl vlog/reopen reopens it)" };
var prometheus = new Option<int?>("--prometheus") { Description = "serve Prometheus metrics on 127.0.0.1:PORT (off by default)" };
var root = new RootCommand("fastpathd: FastPath's switch daemon, in place of ovs-vswitchd (run directory: $OVS_RUNDIR, default /var/run/fastpath)")
{
    database,
    db,
    dbFile,
    logFile,
    prometheus,
};
// ovs-vswitchd's own options (--detach, --pidfile, --log-file without a file, -v, ...) first, so a command line
// written for ovs-vswitchd starts fastpathd unchanged.
string runDir = FastPath.Unixctl.RunDirectory.Resolve();
var ovs = OvsDaemonArguments.Parse(args, Environment.GetEnvironmentVariable("OVS_LOGDIR") is { Length: > 0 } logDir ? logDir : "/var/log/fastpath");
if (ovs.Detach)
{
    string[] again = [.. args.Where(a => a != "--detach")];
    return await DaemonDetach.RunAsync(again).ConfigureAwait(false);
}

root.SetAction(async (parse, cancel) =>
{
    string? target = parse.GetValue(db) ?? parse.GetValue(database);
    if (target != null && !target.StartsWith("unix:", StringComparison.Ordinal) && !target.StartsWith("tcp:", StringComparison.Ordinal))
    {
        Console.Error.WriteLine($"fastpathd: {target}: the database must be unix:PATH or tcp:IP:PORT");
        return 1;
    }

    if (parse.GetValue(prometheus) is int port && port is < 1 or > 65535)
    {
        Console.Error.WriteLine($"fastpathd: --prometheus={port}: not a TCP port");
        return 1;
    }

    var options = new DaemonOptions
    {
        Database = target,
        RunDir = runDir,
        DbFile = parse.GetValue(dbFile),
        LogFile = parse.GetValue(logFile),
        PidFile = ovs.PidFile,
        VerboseSpecs = ovs.VerboseSpecs,
        ReadyFile = Environment.GetEnvironmentVariable(DaemonDetach.ReadyFileVariable) is { Length: > 0 } ready ? ready : null,
        PrometheusPort = parse.GetValue(prometheus),
    };
    return await Daemon.RunAsync(options, cancel).ConfigureAwait(false);
});
return await root.Parse([.. ovs.Remaining]).InvokeAsync().ConfigureAwait(false);

/// <summary>Entry point type of fastpathd.</summary>
public partial class Program;

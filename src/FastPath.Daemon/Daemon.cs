using FastPath.Daemon.Appctl;
using FastPath.Daemon.Switch;
using FastPath.Unixctl;
using FastPath.Unixctl.Vlog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FastPath.Daemon;

/// <summary>Builds and runs fastpathd's host: the unixctl server, the switch service, vlog logging and systemd integration.</summary>
public static class Daemon
{
    /// <summary>Runs until SIGTERM/SIGINT or <c>ovs-appctl exit</c>; returns the exit code (1 when another fastpathd holds the run directory).</summary>
    public static async Task<int> RunAsync(DaemonOptions options, CancellationToken cancel)
    {
        Directory.CreateDirectory(options.RunDir);
        var modules = new VlogModules();
        modules.AddModule("bridge", "bridge", "FastPath.Daemon.Switch");
        modules.AddModule("ovsdb_idl", "FastPath.Ovsdb", "FastPath.Daemon.Ovsdb");
        foreach (string spec in options.VerboseSpecs)
        {
            if (modules.Set(spec) is string error)
            {
                Console.Error.WriteLine($"fastpathd: -v{spec}: {error}");
                return 1;
            }
        }

        if (options.LogFile is string logFile && Path.GetDirectoryName(Path.GetFullPath(logFile)) is string logDir)
        {
            Directory.CreateDirectory(logDir);
        }

        using var vlog = new VlogLoggerProvider(modules, options.LogFile, Console.Out);

        // The pidfile and control socket first: a second fastpathd on this run directory stops here, before it
        // touches the database or any device.
        UnixctlServer unixctl;
        try
        {
            unixctl = UnixctlServer.Start(new UnixctlServerOptions { RunDirectory = options.RunDir }, vlog.CreateLogger("unixctl"));
        }
        catch (UnixctlException e)
        {
            Console.Error.WriteLine($"fastpathd: {e.Message}");
            return 1;
        }

        Pidfile? extraPidfile;
        try
        {
            extraPidfile = options.PidFile is string path && path != RunDirectory.PidfilePath(options.RunDir, "ovs-vswitchd") ? Pidfile.Create(path) : null;
        }
        catch (UnixctlException e)
        {
            await unixctl.DisposeAsync().ConfigureAwait(false);
            Console.Error.WriteLine($"fastpathd: {e.Message}");
            return 1;
        }

        using (extraPidfile)
        await using (unixctl.ConfigureAwait(false))
        {
            HostApplicationBuilder builder = Host.CreateApplicationBuilder(HostSettings());
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddVlog(vlog);
            builder.Services.AddSystemd();
            builder.Services.AddSingleton(options);
            builder.Services.AddSingleton(sp => new SwitchReconciler(options.RunDir, sp.GetRequiredService<ILoggerFactory>()));
            builder.Services.AddSingleton<SwitchService>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SwitchService>());
            using IHost host = builder.Build();

            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            unixctl.RegisterExit(_ =>
            {
                lifetime.StopApplication();
                return Task.CompletedTask;
            });
            VlogCommands.Register(unixctl, vlog);
            var view = new DaemonSwitchView(host.Services.GetRequiredService<SwitchReconciler>());
            using var coverage = new Coverage.CoverageRegistry();
            Coverage.CoverageSources.Attach(coverage, view);
            AppctlCommands.Register(unixctl, view, coverage);

            using Metrics.PrometheusEndpoint? metrics = options.PrometheusPort is int port
                ? new Metrics.PrometheusEndpoint(port, host.Services.GetRequiredService<SwitchReconciler>())
                : null;
            if (options.ReadyFile is string ready)
            {
                _ = host.Services.GetRequiredService<SwitchService>().FirstConfigurationApplied
                    .ContinueWith(_ => File.WriteAllText(ready, string.Empty), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }

            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("fastpathd")
                .LogInformation("fastpathd started; run directory {RunDir}", options.RunDir);
            await host.RunAsync(cancel).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>
    /// The host's settings: no command-line arguments (System.CommandLine has read them), and configuration files
    /// read once. By default the host reloads appsettings.json when it changes, through a FileSystemWatcher on the
    /// content root (the working directory) and every directory under it: a daemon started from / or from a
    /// source tree watched whole trees, and allocated for every file written anywhere in them (a benchmark's
    /// results, a build). fastpathd reads its configuration from OVSDB, not from such files.
    /// </summary>
    internal static HostApplicationBuilderSettings HostSettings()
    {
        // A source, not the indexer: a ConfigurationManager without sources drops what its indexer is given.
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
        return new HostApplicationBuilderSettings { Args = [], Configuration = configuration };
    }
}

using FastPath.Daemon.Switch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FastPath.Daemon;

/// <summary>Builds and runs fastpathd's host: the switch service, systemd integration and logging.</summary>
public static class Daemon
{
    /// <summary>Runs until SIGTERM/SIGINT or <c>ovs-appctl exit</c>; returns the exit code.</summary>
    public static async Task<int> RunAsync(DaemonOptions options, CancellationToken cancel)
    {
        Directory.CreateDirectory(options.RunDir);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder([]);
        builder.Services.AddSystemd();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(sp => new SwitchReconciler(options.RunDir, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<SwitchService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SwitchService>());
        using IHost host = builder.Build();
        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("fastpathd")
            .LogInformation("fastpathd started; run directory {RunDir}", options.RunDir);
        await host.RunAsync(cancel).ConfigureAwait(false);
        return 0;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// fastpathd: the switch daemon. Bridges, ports and the management socket arrive with the daemon issue;
// for now it only hosts the process lifetime (logging, graceful shutdown on SIGTERM/SIGINT).
var builder = Host.CreateApplicationBuilder(args);
using var host = builder.Build();
host.Services.GetRequiredService<ILogger<Program>>().LogInformation("fastpathd started; no bridges configured");
await host.RunAsync();

/// <summary>Entry point type of fastpathd.</summary>
public partial class Program;

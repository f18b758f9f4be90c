using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>
/// What fastpathd's control plane allocates while the switch forwards and nobody asks it anything, and per
/// ovs-appctl command: every byte counts toward the next garbage collection, which stops the PMDs too. A
/// benchmark reads memory/show around each window and requires no collection inside one.
/// </summary>
public sealed partial class FastpathdAllocationTests(ITestOutputHelper output)
{
    // Measured on a loaded 2-core machine (replay port forwarding to a null port, one PMD, as the bench's S1), with
    // one memory/show in the span: 9.3 KB per second before (a statistics transaction of ~25 KB every 5 s, a closure
    // and a 544-byte dump command per revalidation pass twice a second, a cancellation source and an exception per
    // statistics tick...), 4.1 KB after, most of it the changed ports' statistics transaction every 5 s and the
    // coverage sample. The bound sits between, with room for a loaded machine: the periodic work is timer-driven, so
    // load does not make more of it.
    private const long BytesPerSecondBound = 7000;

    // memory/show: 28 KB per command before (a fresh 16 KiB receive buffer per connection, a JSON writer grown from
    // nothing per reply), 6.7 KB after.
    private const long BytesPerCommandBound = 14000;

    [Fact]
    public async Task AForwardingSwitchAllocatesLittlePerSecondAndPerCommandAndStillWritesItsStatistics()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = $"fpa{Environment.ProcessId % 100000}g";
        await d.RunAsync(
            "ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev",
            "--", "add-port", br, "r1", "--", "set", "interface", "r1", "type=replay", $"options:file={TestData.Path("demo.pcap")}", "ofport_request=1",
            "--", "add-port", br, "n2", "--", "set", "interface", "n2", "type=null", "ofport_request=2");
        await d.RunAsync("ovs-ofctl", "add-flow", br, "in_port=1,actions=output:2");

        // The replayed traffic reaches the Interface row's statistics (written every 5 s, when they change).
        long first = await WaitForRxPacketsAsync(d, "r1", 0);

        // Warm: the commands' code is compiled, the periodic work has run at least once.
        for (int i = 0; i < 5; i++)
        {
            await MemoryAsync(d);
        }

        (long a, _) = await MemoryAsync(d);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(11));
        (long b, _) = await MemoryAsync(d);
        double seconds = clock.Elapsed.TotalSeconds;
        long perSecond = (long)((b - a) / seconds);

        const int Commands = 10;
        clock.Restart();
        for (int i = 0; i < Commands; i++)
        {
            await MemoryAsync(d);
        }

        (long c, _) = await MemoryAsync(d);
        long perCommand = (c - b - (long)(perSecond * clock.Elapsed.TotalSeconds)) / (Commands + 1);
        output.WriteLine($"{b - a} bytes in {seconds:F1} s ({perSecond} B/s) with one memory/show; memory/show {perCommand} bytes each");

        // The refresh still writes: the forwarded packets keep showing up.
        long later = await WaitForRxPacketsAsync(d, "r1", first);
        Assert.True(later > first);
        Assert.Equal("up", (await d.RunAsync("ovs-vsctl", "get", "interface", "n2", "link_state")).Trim());

        Assert.True(perSecond < BytesPerSecondBound, $"{perSecond} bytes per second allocated by an idle forwarding fastpathd");
        Assert.True(perCommand < BytesPerCommandBound, $"{perCommand} bytes per memory/show");
    }

    // The host must not watch its content root: with reload-on-change (the default) every file written anywhere
    // under the working directory wakes a FileSystemWatcher that allocates, and under / it watches the whole tree.
    [Fact]
    public void TheHostReadsItsConfigurationFilesOnceAndWatchesNothing()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(Daemon.HostSettings());
        using ConfigurationManager configuration = builder.Configuration;
        var files = ((IConfigurationRoot)builder.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} is reloaded on change"));

        HostApplicationBuilder defaults = Host.CreateApplicationBuilder([]);
        using (defaults.Configuration)
        {
            Assert.Contains(((IConfigurationRoot)defaults.Configuration).Providers.OfType<FileConfigurationProvider>(), f => f.Source.ReloadOnChange);
        }
    }

    private static async Task<(long Allocated, int Collections)> MemoryAsync(FastpathdProcess d)
    {
        string text = await d.RunAsync("ovs-appctl", "memory/show");
        Match m = MemoryShow().Match(text);
        Assert.True(m.Success, text);
        return (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static async Task<long> WaitForRxPacketsAsync(FastpathdProcess d, string iface, long above)
    {
        for (int i = 0; i < 100; i++)
        {
            string s = await d.RunAsync("ovs-vsctl", "--if-exists", "get", "interface", iface, "statistics:rx_packets");
            if (long.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n > above)
            {
                return n;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{iface}'s statistics:rx_packets never went above {above}");
    }

    [GeneratedRegex(@"gc-allocated-bytes:(\d+) gc-collections:(\d+)")]
    private static partial Regex MemoryShow();
}

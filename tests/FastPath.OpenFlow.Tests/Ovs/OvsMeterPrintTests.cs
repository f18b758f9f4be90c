using System.Diagnostics;
using FastPath.OpenFlow.Meters;
using FastPath.OpenFlow.Text;

namespace FastPath.OpenFlow.Tests.Ovs;

/// <summary>
/// dump-meters and meter-stats entries compared with Open vSwitch: meters and statistics are encoded as OpenFlow
/// 1.3 replies, printed by <c>ovs-ofctl ofp-print</c> (the printer dump-meters and meter-stats use), and compared
/// with <see cref="MeterText.Format"/> and <see cref="MeterText.FormatStats"/>.
/// </summary>
public class OvsMeterPrintTests
{
    private static readonly OfMeterConfig[] Meters =
    [
        MeterText.Parse("meter=1,kbps,burst,stats,band=type=drop,rate=1000,burst_size=100"),
        MeterText.Parse("meter=2,pktps,band=type=drop,rate=10"),
        MeterText.Parse("meter=3,pktps,burst,bands=type=drop,rate=5,burst_size=3,type=drop,rate=10,burst_size=20"),
        MeterText.Parse("meter=4,kbps,stats,band=type=dscp_remark,rate=10,prec_level=2"),
        MeterText.Parse($"meter={OfMeterIds.Max},kbps,band=type=drop,rate=4294967295"),
        MeterText.Parse("meter=controller,pktps,band=type=drop,rate=1"),
        new OfMeterConfig { MeterId = 7, Flags = OfMeterFlags.Kbps | (OfMeterFlags)0x30, Bands = [new OfMeterBand(OfMeterBandType.Drop, 1)] },
    ];

    private static readonly OfMeterStats[] Stats =
    [
        new(1, 0, 0, 0, 0, 143_000_000, [new OfMeterBandStats(0, 0)]),
        new(2, 3, 123456789012, 98765432109876, 86400, 0, [new OfMeterBandStats(5, 320), new OfMeterBandStats(7, 448)]),
        new(OfMeterIds.SlowPath, 1, 1, 64, 1, 234_567_890, []),
        new(OfMeterIds.Max, 0, 10, 640, 12, 5_000_000, [new OfMeterBandStats(ulong.MaxValue, 1)]),
    ];

    [Fact]
    public void DumpMetersEntriesMatchOvs()
    {
        string[] ovs = Entries(OfpPrint(MeterReplyEncoder.Configs(Meters)));
        Assert.Equal(Meters.Select(MeterText.Format), ovs);
    }

    [Fact]
    public void PrintedMetersParseBack()
    {
        // Unknown flags have no keyword to parse; the others round-trip, newlines and all.
        foreach (OfMeterConfig m in Meters.Where(m => m.Flags <= (OfMeterFlags)15))
        {
            Assert.Equal(m, MeterText.Parse(MeterText.Format(m)));
        }
    }

    [Fact]
    public void MeterStatsEntriesMatchOvs()
    {
        string[] ovs = Entries(OfpPrint(MeterReplyEncoder.Stats(Stats)));
        Assert.Equal(Stats.Select(MeterText.FormatStats), ovs);
    }

    // ofp-print puts a blank line before every entry after the header line.
    private static string[] Entries(string printed) =>
        printed.Split('\n', 2)[1].Trim('\n').Split("\n\n").Select(e => e.TrimEnd()).ToArray();

    private static string OfpPrint(string hex)
    {
        var psi = new ProcessStartInfo("ovs-ofctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("ofp-print");
        psi.ArgumentList.Add(hex);
        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(20_000));
        Assert.True(p.ExitCode == 0 && !stdout.Contains("decode error", StringComparison.Ordinal) && !stdout.Contains("***", StringComparison.Ordinal), stdout + err.Result);
        return stdout;
    }
}

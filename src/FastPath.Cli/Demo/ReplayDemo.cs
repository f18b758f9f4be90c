using System.Diagnostics;
using FastPath.Datapath;
using FastPath.Datapath.Actions;
using FastPath.Datapath.CaptureFiles;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Memory;
using FastPath.Datapath.Ports.Replay;
using FastPath.Packets;
using Spectre.Console;

namespace FastPath.Cli.Demo;

/// <summary>
/// Replays a pcap through a real datapath (a PMD thread, the megaflow classifier, the action executor)
/// with the demo flow table, and reports what left through which port.
/// </summary>
public static class ReplayDemo
{
    /// <summary>What the demo saw: packets per output port and the packets sent to the slow path.</summary>
    public sealed record Result(SortedDictionary<uint, List<byte[]>> Outputs, List<byte[]> Upcalls, PmdStatsSnapshot Stats);

    /// <summary>Runs the capture once through the datapath and returns what came out (bounded by <paramref name="timeout"/>).</summary>
    public static Result Run(PcapFile capture, TimeSpan timeout)
    {
        using var dp = new NetdevDatapath([-1]);
        dp.Start();
        var port2 = new MemoryNetdev("p2");
        var port3 = new MemoryNetdev("p3");
        foreach (var (match, actions) in DemoFlowTable.Build())
        {
            dp.PutFlow(match, actions);
        }

        dp.AddPort(port2, 2);
        dp.AddPort(port3, 3);
        var replay = new ReplayNetdev("demo-in", capture, loops: 1);
        dp.AddPort(replay, DemoFlowTable.InPort);

        var upcalls = new List<byte[]>();
        PmdThread pmd = dp.Pmds[0];
        var sw = Stopwatch.StartNew();
        PmdStatsSnapshot stats;
        while (true)
        {
            while (pmd.Upcalls.TryDequeue(out Upcall u))
            {
                upcalls.Add(u.Packet.ToArray());
            }

            stats = dp.GetPmdStats()[0];
            long handled = stats.Hits + stats.Misses;
            if ((replay.Finished && handled >= capture.Count) || sw.Elapsed > timeout)
            {
                break;
            }

            Thread.Sleep(5);
        }

        while (pmd.Upcalls.TryDequeue(out Upcall u))
        {
            upcalls.Add(u.Packet.ToArray());
        }

        var outputs = new SortedDictionary<uint, List<byte[]>> { [2] = [.. port2.Sent], [3] = [.. port3.Sent] };
        return new Result(outputs, upcalls, stats);
    }

    /// <summary>Runs the demo and prints the flow table, the output of every port, and the upcalls.</summary>
    public static int Print(string pcapPath, string? outDir)
    {
        PcapFile capture = PcapFile.Load(pcapPath);
        AnsiConsole.MarkupLine($"[bold]FastPath replay demo[/]: {capture.Count} packets from [blue]{Markup.Escape(pcapPath)}[/] into port {DemoFlowTable.InPort}");
        var flows = new Table().Title("megaflows (hand-installed)").AddColumn("match").AddColumn("actions");
        foreach (var (match, actions) in DemoFlowTable.Build())
        {
            flows.AddRow(Markup.Escape(MatchFormatter.Format(match)), Markup.Escape(ActionFormatter.Format(actions)));
        }

        AnsiConsole.Write(flows);
        Result r = Run(capture, TimeSpan.FromSeconds(10));

        var table = new Table().Title("what went out").AddColumn("port").AddColumn("#").AddColumn("packet");
        foreach (var (port, packets) in r.Outputs)
        {
            for (int i = 0; i < packets.Count; i++)
            {
                table.AddRow(i == 0 ? $"output:{port}" : "", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(PacketSummary.Describe(packets[i])));
            }
        }

        for (int i = 0; i < r.Upcalls.Count; i++)
        {
            table.AddRow(i == 0 ? "[yellow]upcall (miss)[/]" : "", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(PacketSummary.Describe(r.Upcalls[i])));
        }

        AnsiConsole.Write(table);
        PmdStatsSnapshot s = r.Stats;
        AnsiConsole.Write(new Text(PmdStatsFormatter.Format(-1, s)));
        if (outDir != null)
        {
            Directory.CreateDirectory(outDir);
            foreach (var (port, packets) in r.Outputs)
            {
                PcapFile.Write(Path.Combine(outDir, $"port{port}.pcap"), packets);
            }

            PcapFile.Write(Path.Combine(outDir, "upcalls.pcap"), r.Upcalls);
            AnsiConsole.MarkupLine($"wrote port2.pcap, port3.pcap, upcalls.pcap to [blue]{Markup.Escape(outDir)}[/]");
        }

        long handled = s.Hits + s.Misses;
        return handled == capture.Count ? 0 : 1;
    }
}

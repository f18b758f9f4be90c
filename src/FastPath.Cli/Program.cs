using System.CommandLine;
using FastPath.Cli.Demo;
using FastPath.Datapath.CaptureFiles;
using FastPath.Traffic;

namespace FastPath.Cli;

/// <summary>
/// fpctl: what Open vSwitch's tools have no verb for (the replay demo, test captures). Everything else goes through
/// ovs-vsctl, ovs-ofctl and ovs-appctl against fastpathd (ofproto/trace included).
/// </summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen verb; returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        try
        {
            return BuildRoot().Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"fpctl: {e.Message}");
            return 1;
        }
    }

    /// <summary>The root command with every verb.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("fpctl: control and inspect the FastPath switch");
        root.Subcommands.Add(DemoCommand());
        root.Subcommands.Add(GenPcapCommand());
        return root;
    }

    private static Command DemoCommand()
    {
        var pcap = new Option<FileInfo>("--pcap") { Description = "capture to replay into port 1", Required = true };
        var outDir = new Option<DirectoryInfo?>("--out-dir") { Description = "write what each port sent as pcap files here" };
        var cmd = new Command("demo-replay", "replay a pcap through the datapath with the demo flow table and show what went out of which port")
        {
            pcap,
            outDir,
        };
        cmd.SetAction(r => ReplayDemo.Print(r.GetValue(pcap)!.FullName, r.GetValue(outDir)?.FullName));
        return cmd;
    }

    private static Command GenPcapCommand()
    {
        var flows = new Option<int>("--flows") { Description = "number of distinct 64-byte UDP/IPv4 flows (as the OVS reference's mkpcap.py)" };
        var demo = new Option<bool>("--demo") { Description = "write the demo's mixed capture instead" };
        var output = new Option<FileInfo>("--out") { Description = "pcap file to write", Required = true };
        var frameSize = new Option<int>("--frame-size")
        {
            Description = "frame size on the wire with FCS, 64 to 1518 (the pcap holds it without the 4-byte FCS)",
            DefaultValueFactory = _ => 64,
        };
        var cmd = new Command("gen-pcap", "write a test capture") { flows, demo, output, frameSize };
        cmd.Validators.Add(r =>
        {
            if (r.GetValue(demo) == (r.GetValue(flows) > 0))
            {
                r.AddError("give either --flows N (N > 0) or --demo");
            }
        });
        frameSize.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is int size and (< 64 or > 1518))
            {
                r.AddError($"--frame-size {size}: between 64 and 1518 bytes");
            }
        });
        cmd.SetAction(r =>
        {
            List<byte[]> packets = r.GetValue(demo) ? DemoCapture.Packets() : TrafficGenerator.UdpFlows(r.GetValue(flows), r.GetValue(frameSize) - 4);
            PcapFile.Write(r.GetValue(output)!.FullName, packets);
            Console.WriteLine($"wrote {packets.Count} packets to {r.GetValue(output)!.FullName}");
            return 0;
        });
        return cmd;
    }
}

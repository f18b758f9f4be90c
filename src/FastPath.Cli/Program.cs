using System.CommandLine;
using FastPath.Cli.Demo;
using FastPath.Cli.Trace;
using FastPath.Datapath.CaptureFiles;
using FastPath.Traffic;

namespace FastPath.Cli;

/// <summary>fpctl: one command-line tool whose verbs follow ovs-vsctl, ovs-ofctl and ovs-appctl.</summary>
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
        root.Subcommands.Add(OfprotoTraceCommand());
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

    private static Command OfprotoTraceCommand()
    {
        var flows = new Option<FileInfo>("--flows") { Description = "rules in ovs-ofctl add-flows syntax (one per line)", Required = true };
        var ports = new Option<int>("--ports") { Description = "the bridge has OpenFlow ports 1..N", DefaultValueFactory = _ => 4 };
        var portNames = new Option<string?>("--port-names")
        {
            Description = "name the ports instead, comma-separated (p1,p2,... are ports 1, 2...; p1=5 names port 5); names may stand in in_port= and output:",
        };
        var bridge = new Option<string>("--bridge") { Description = "the bridge's name, as printed", DefaultValueFactory = _ => "br0" };
        var flow = new Argument<string>("flow") { Description = "the flow to trace (in_port=1,tcp,nw_src=10.0.0.1,tcp_dst=80), or in_port=N with a packet" };
        var packet = new Argument<string?>("packet") { Description = "an Ethernet frame in hex, arriving on the flow's in_port", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("ofproto-trace", "trace a flow or packet through the rules of an add-flows file, as ovs-appctl ofproto/trace prints it")
        {
            flows, ports, portNames, bridge, flow, packet,
        };
        cmd.Validators.Add(r =>
        {
            if (r.GetResult(ports) is { Implicit: false } && !string.IsNullOrEmpty(r.GetValue(portNames)))
            {
                r.AddError("give either --ports N or --port-names, not both");
            }
        });
        cmd.SetAction(r =>
        {
            try
            {
                Console.Write(OfprotoTrace.Run(
                    r.GetValue(flows)!.FullName, r.GetValue(portNames) is { } names ? [names] : [], r.GetValue(ports), r.GetValue(bridge)!, r.GetValue(flow)!, r.GetValue(packet)));
                return 0;
            }
            catch (TraceFailedException e)
            {
                Console.Error.WriteLine($"fpctl: {e.Message}");
                return 1;
            }
        });
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

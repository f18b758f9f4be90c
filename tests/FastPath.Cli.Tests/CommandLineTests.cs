namespace FastPath.Cli.Tests;

/// <summary>Bad arguments get a one-line explanation and a non-zero exit.</summary>
[Collection(nameof(ConsoleCollection))]
public class CommandLineTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var oldOut = Console.Out;
        var oldErr = Console.Error;
        var o = new StringWriter();
        var e = new StringWriter();
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            int code = Program.Main(args);
            return (code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    [Fact]
    public void UnknownVerbFails()
    {
        var (code, _, err) = Run("frobnicate");
        Assert.NotEqual(0, code);
        Assert.Contains("frobnicate", err);
    }

    [Fact]
    public void MissingPcapFileIsOneClearLine()
    {
        var (code, _, err) = Run("demo-replay", "--pcap", "/nonexistent/x.pcap");
        Assert.Equal(1, code);
        Assert.Equal("fpctl: pcap file '/nonexistent/x.pcap' does not exist", err.Trim());
    }

    [Fact]
    public void GenPcapNeedsExactlyOneKind()
    {
        var (code, _, err) = Run("gen-pcap", "--out", Path.Combine(Path.GetTempPath(), "never.pcap"));
        Assert.NotEqual(0, code);
        Assert.Contains("--flows N", err);
    }

    [Fact]
    public void GenPcapWritesTheRequestedFlows()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fp-gen-{Environment.ProcessId}.pcap");
        try
        {
            var (code, output, _) = Run("gen-pcap", "--flows", "100", "--out", path);
            Assert.Equal(0, code);
            Assert.Contains("wrote 100 packets", output);
            var f = FastPath.Datapath.CaptureFiles.PcapFile.Load(path);
            Assert.Equal(100, f.Count);
            Assert.All(Enumerable.Range(0, 100), i => Assert.Equal(60, f[i].Length));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void GenPcapWritesLargeFramesWithoutTheirFcs()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fp-gen-big-{Environment.ProcessId}.pcap");
        try
        {
            var (code, _, _) = Run("gen-pcap", "--flows", "3", "--frame-size", "1518", "--out", path);
            Assert.Equal(0, code);
            var f = FastPath.Datapath.CaptureFiles.PcapFile.Load(path);
            Assert.Equal(3, f.Count);
            Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(1514, f[i].Length));

            // The IPv4 total length covers the whole frame after the Ethernet header.
            Assert.Equal(1500, (f[0][16] << 8) | f[0][17]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void GenPcapRefusesFramesLargerThanAnUntaggedMtu1500Frame()
    {
        var (code, _, err) = Run("gen-pcap", "--flows", "1", "--frame-size", "1519", "--out", Path.Combine(Path.GetTempPath(), "never.pcap"));
        Assert.NotEqual(0, code);
        Assert.Contains("between 64 and 1518", err);
    }
}

/// <summary>Tests that redirect the process-wide console must not overlap.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public class ConsoleCollection;

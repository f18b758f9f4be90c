using System.Globalization;
using System.Text;

namespace FastPath.Ofproto.Tests.PipelineSuite;

/// <summary>
/// Reads the pipeline suite's case files (tests/data/pipeline-suite/*.txt; see README.md there): blocks of
/// <c>case</c>, <c>in_port</c>, <c>packet</c>, <c>rule</c> lines written by hand, and the <c>hex</c>,
/// <c>out</c> and <c>drop</c> lines generate-expectations.py adds from Open vSwitch.
/// </summary>
internal static class PipelineCaseReader
{
    /// <summary>The ports outputs are listed by, in this order (as the generator writes them).</summary>
    public static readonly IReadOnlyList<string> Ports = ["p1", "p2", "p3", "p4", "LOCAL"];

    /// <summary>The directory of the case files.</summary>
    public static string Directory => TestData.Path("pipeline-suite");

    /// <summary>Every case of every file, in file then case order.</summary>
    public static IReadOnlyList<PipelineCase> LoadAll() => LazyAll.Value;

    private static readonly Lazy<IReadOnlyList<PipelineCase>> LazyAll = new(() =>
        [.. System.IO.Directory.GetFiles(Directory, "*.txt")
            .Where(f => Path.GetFileName(f) != "packets.txt")
            .Order(StringComparer.Ordinal)
            .SelectMany(f => Parse(Path.GetFileName(f), File.ReadAllLines(f)))]);

    /// <summary>Parses one case file; a malformed or incomplete case throws, naming the file and line.</summary>
    public static List<PipelineCase> Parse(string file, IReadOnlyList<string> lines)
    {
        var cases = new List<PipelineCase>();
        Builder? b = null;
        for (int i = 0; i < lines.Count; i++)
        {
            string s = lines[i].Trim();
            string where = $"{file}:{i + 1}";
            if (s.Length == 0 || s.StartsWith('#'))
            {
                if (s.Length == 0 && b != null)
                {
                    cases.Add(b.Build(file));
                    b = null;
                }

                continue;
            }

            int space = s.IndexOf(' ', StringComparison.Ordinal);
            string word = space < 0 ? s : s[..space];
            string rest = space < 0 ? "" : s[(space + 1)..].Trim();
            if (word == "case")
            {
                if (b != null)
                {
                    cases.Add(b.Build(file));
                }

                b = new Builder(rest);
                continue;
            }

            if (b == null)
            {
                throw new FormatException($"{where}: `{s}` outside a case");
            }

            switch (word)
            {
                case "rule":
                    b.Rules.Add(rest);
                    break;
                case "in_port":
                    b.InPort = uint.Parse(rest, CultureInfo.InvariantCulture);
                    break;
                case "packet":
                    break; // What the packet was composed from; its bytes are on the `hex` line.
                case "hex":
                    b.Packet = Convert.FromHexString(rest);
                    break;
                case "drop":
                    b.Drop = true;
                    break;
                case "out":
                    string[] parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length != 2 || !Ports.Contains(parts[0]))
                    {
                        throw new FormatException($"{where}: `out` takes a port ({string.Join(", ", Ports)}) and the bytes in hex");
                    }

                    b.Outputs.Add((parts[0], Convert.FromHexString(parts[1])));
                    break;
                default:
                    throw new FormatException($"{where}: unknown line `{s}`");
            }
        }

        if (b != null)
        {
            cases.Add(b.Build(file));
        }

        return cases;
    }

    /// <summary>Outputs in the suite's text form: <c>PORT HEX</c> per packet, or <c>drop</c>.</summary>
    public static string Format(IEnumerable<(string Port, byte[] Bytes)> outputs)
    {
        var sb = new StringBuilder();
        foreach ((string port, byte[] bytes) in outputs)
        {
            sb.Append(port).Append(' ').Append(Convert.ToHexStringLower(bytes)).Append('\n');
        }

        return sb.Length == 0 ? "drop" : sb.ToString().TrimEnd('\n');
    }


    private sealed class Builder(string name)
    {
        public List<string> Rules { get; } = [];

        public List<(string Port, byte[] Bytes)> Outputs { get; } = [];

        public uint? InPort { get; set; }

        public byte[]? Packet { get; set; }

        public bool Drop { get; set; }

        public PipelineCase Build(string file)
        {
            string what = $"{file}: case {name}";
            if (InPort is not uint inPort)
            {
                throw new FormatException($"{what} has no in_port");
            }

            if (Packet == null || (Outputs.Count == 0) != Drop)
            {
                throw new FormatException($"{what} has no expectations (hex, then out lines or drop): run generate-expectations.py");
            }

            return new PipelineCase(file, name, Rules, inPort, Packet, Outputs);
        }
    }
}

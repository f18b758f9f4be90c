namespace FastPath.Ofproto.Tests.PipelineSuite;

/// <summary>What FastPath did with one case: the packets sent for each injection, and anything that went wrong on the way.</summary>
internal sealed class PipelineRun
{
    /// <summary>What left the ports for the first packet (upcall, translation, execute).</summary>
    public List<(string Port, byte[] Bytes)> First { get; set; } = [];

    /// <summary>What left the ports for the second packet (the megaflow the first installed).</summary>
    public List<(string Port, byte[] Bytes)> Second { get; set; } = [];

    /// <summary>When each phase of the run ended, from its start.</summary>
    public List<(string Phase, TimeSpan At)> Timings { get; } = [];

    /// <summary>Megaflows installed after the first packet.</summary>
    public int Megaflows { get; set; }

    /// <summary>Rules FastPath could not take, translations it refused, a second packet that missed the megaflow.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Every way the run differs from <paramref name="c"/>'s expectations, or an empty list.</summary>
    public List<string> Differences(PipelineCase c)
    {
        var d = new List<string>(Problems);
        string expected = c.ExpectedText;
        string first = PipelineCaseReader.Format(First);
        string second = PipelineCaseReader.Format(Second);
        if (first != expected)
        {
            d.Add($"first packet (upcall path):\n  expected (Open vSwitch):\n    {Indent(expected)}\n  FastPath sent:\n    {Indent(first)}");
        }

        if (second != expected)
        {
            d.Add($"second packet (megaflow path):\n  expected (Open vSwitch):\n    {Indent(expected)}\n  FastPath sent:\n    {Indent(second)}");
        }

        return d;
    }

    private static string Indent(string s) => s.Replace("\n", "\n    ", StringComparison.Ordinal);
}

using FastPath.Datapath.Flows;
using FastPath.OpenFlow.Flows;

namespace FastPath.Ofproto.Xlate;

/// <summary>What one translation did, step by step, and what it made: the material of ofproto/trace.</summary>
public sealed class XlateTrace
{
    private readonly List<string> lines = [];

    /// <summary>The steps: tables visited, rules matched, actions taken.</summary>
    public IReadOnlyList<string> Lines => lines;

    /// <summary>Whether the translation succeeded.</summary>
    public bool Succeeded { get; internal set; }

    /// <summary>Why it did not.</summary>
    public string? Error { get; internal set; }

    /// <summary>The flow as the pipeline left it.</summary>
    public PipelineKey FinalFlow { get; internal set; }

    /// <summary>The megaflow.</summary>
    public FlowMatch Megaflow { get; internal set; }

    /// <summary>The datapath actions.</summary>
    public byte[] Actions { get; internal set; } = [];

    /// <summary>Appends a step.</summary>
    internal void Add(string line) => lines.Add(line);
}

namespace FastPath.Ofproto.Tests.PipelineSuite;

/// <summary>
/// One case of the pipeline suite: OpenFlow rules, a packet arriving on a port, and what Open vSwitch sent for
/// it (port by port, in the order sent), as generate-expectations.py recorded from a private ovs-vswitchd.
/// </summary>
/// <param name="File">The case file's name, e.g. <c>set-field.txt</c>.</param>
/// <param name="Name">The case's name, unique over the suite.</param>
/// <param name="Rules">Rules in ovs-ofctl's add-flow syntax, added in order.</param>
/// <param name="InPort">The OpenFlow port the packet arrives on (1..4).</param>
/// <param name="Packet">The packet's bytes.</param>
/// <param name="Expected">What Open vSwitch sent: (port name: p1..p4 or LOCAL, bytes), ports in <see cref="PipelineCaseReader.Ports"/> order.</param>
internal sealed record PipelineCase(
    string File,
    string Name,
    IReadOnlyList<string> Rules,
    uint InPort,
    byte[] Packet,
    IReadOnlyList<(string Port, byte[] Bytes)> Expected)
{
    /// <summary>The case's category: its file's name without the extension.</summary>
    public string Category => Path.GetFileNameWithoutExtension(File);

    /// <summary>The expected outputs in the suite's text form (one <c>PORT HEX</c> line each, or <c>drop</c>).</summary>
    public string ExpectedText => PipelineCaseReader.Format(Expected);

    /// <inheritdoc/>
    public override string ToString() => Name;
}

namespace FastPath.Ofproto.Tests.Interop;

/// <summary>The text form of <see cref="OfctlScript"/>.</summary>
public class OfctlScriptTests
{
    [Fact]
    public void CommandsFilesAndMonitorsParse()
    {
        OfctlScript s = OfctlScript.Parse("t", "OpenFlow13",
        [
            "# a comment",
            "@file f.txt",
            "priority=1,actions=drop",
            "  # kept: a file's lines are verbatim",
            "@end",
            "",
            "add-flows {target} {file:f.txt}",
            "@monitor monitor {target} 65535",
            "packet-out {target} \"in_port=1 packet=00 actions=controller\"",
            "@end",
            "--strict del-flows {target} 'priority=1'",
        ]);
        Assert.Equal(["priority=1,actions=drop", "  # kept: a file's lines are verbatim"], s.Files["f.txt"]);
        Assert.Equal(3, s.Steps.Count);
        Assert.Equal(["add-flows", "{target}", "{file:f.txt}"], ((OfctlCommandStep)s.Steps[0]).Command.Args);
        var monitor = (OfctlMonitorStep)s.Steps[1];
        Assert.Equal(["monitor", "{target}", "65535"], monitor.Monitor.Args);
        Assert.Equal(["packet-out", "{target}", "in_port=1 packet=00 actions=controller"], Assert.Single(monitor.Triggers).Args);
        Assert.Equal([monitor.Triggers[0], monitor.Monitor], monitor.Commands);
        Assert.Equal(["--strict", "del-flows", "{target}", "priority=1"], ((OfctlCommandStep)s.Steps[2]).Command.Args);
        Assert.Equal(11, ((OfctlCommandStep)s.Steps[2]).Command.Line);
    }

    [Theory]
    [InlineData("show", "t:1", "does not name the switch")]
    [InlineData("@file x\nline", "t:1", "no @end")]
    [InlineData("@monitor monitor {target}\nshow {target}", "t:1", "no @end")]
    [InlineData("show {target}\nadd-flows {target} {file:nope}", "t:2", "no @file nope")]
    [InlineData("packet-out {target} \"in_port=1", "t:1", "unterminated")]
    [InlineData("@include other", "t:1", "unknown directive")]
    public void AMalformedScriptIsRejectedWithItsLine(string text, string where, string why)
    {
        var e = Assert.Throws<FormatException>(() => OfctlScript.Parse("t", null, text.Split('\n')));
        Assert.Contains(where, e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheIssue14ScriptParses()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tests", "data", "ofctl-differential", "issue14.ofctl");
        OfctlScript s = OfctlScript.Load(path, null);
        Assert.True(s.Steps.Count > 100, $"{s.Steps.Count} steps");
        Assert.Equal(3, s.Steps.OfType<OfctlMonitorStep>().Count());
    }
}

namespace FastPath.Daemon.Tests.DocCommands;

/// <summary>What one command line did: its exit status, standard output and error.</summary>
public sealed record DocCommandResult(DocCommandLine Line, int Exit, string Output, string Error)
{
    /// <summary>The line and what it did, for a failure message.</summary>
    public override string ToString() => $"#{Line.Number} `{Line.Command}` exited {Exit}\n{Output}{Error}";
}

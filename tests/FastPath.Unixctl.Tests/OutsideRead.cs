using System.Diagnostics;

namespace FastPath.Unixctl.Tests;

/// <summary>
/// Reads a file from another process (cat): opening and closing a pidfile in this process would drop the server's
/// POSIX lock on it (record locks belong to the process, and any close releases them).
/// </summary>
public static class OutsideRead
{
    /// <summary>The file's text, read by <c>cat</c>.</summary>
    public static string Text(string path)
    {
        var psi = new ProcessStartInfo("cat", [path]) { RedirectStandardOutput = true, UseShellExecute = false };
        using Process p = Process.Start(psi)!;
        string text = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(10_000), "cat did not finish");
        return text;
    }
}

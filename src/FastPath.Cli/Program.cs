using System.CommandLine;

namespace FastPath.Cli;

/// <summary>fpctl: one command-line tool whose verbs follow ovs-vsctl, ovs-ofctl and ovs-appctl.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen verb; returns the process exit code.</summary>
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

    /// <summary>The root command with every verb.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("fpctl: control and inspect the FastPath switch");
        return root;
    }
}

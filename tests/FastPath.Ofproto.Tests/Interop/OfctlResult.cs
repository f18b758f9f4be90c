namespace FastPath.Ofproto.Tests.Interop;

/// <summary>What one ovs-ofctl command of a script did against one switch.</summary>
/// <param name="Command">The command as written in the script (<c>{target}</c> unexpanded), protocol options first.</param>
/// <param name="ExitCode">ovs-ofctl's exit status; -1 when it had to be killed (see <paramref name="Stderr"/>).</param>
/// <param name="Stdout">What it printed on standard output, the target and temporary paths replaced by placeholders.</param>
/// <param name="Stderr">What it printed on standard error, likewise.</param>
public sealed record OfctlResult(string Command, int ExitCode, string Stdout, string Stderr);

namespace FastPath.Unixctl;

/// <summary>
/// A registered command, as Open vSwitch's <c>unixctl_command_register</c> takes it: the name, the usage
/// <c>list-commands</c> shows (null hides the command from it), and how many arguments it takes.
/// </summary>
/// <param name="Name">The command's name (e.g. <c>dpif-netdev/pmd-stats-show</c>).</param>
/// <param name="Usage">Its arguments' synopsis (e.g. <c>[-pmd core] [dp]</c>), or null to leave it out of <c>list-commands</c>.</param>
/// <param name="MinArgs">Fewest arguments.</param>
/// <param name="MaxArgs">Most arguments (<see cref="int.MaxValue"/> for any number).</param>
/// <param name="Handler">What runs it.</param>
public sealed record UnixctlCommand(string Name, string? Usage, int MinArgs, int MaxArgs, UnixctlHandler Handler);

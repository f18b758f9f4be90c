using FastPath.Daemon.Coverage;
using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>Open vSwitch's <c>coverage/show</c>, from the daemon's <see cref="CoverageRegistry"/>.</summary>
internal static class CoverageCommands
{
    public static void Register(UnixctlServer server, CoverageRegistry registry) =>
        server.Register("coverage/show", "", 0, 0, _ => UnixctlReply.Ok(registry.Show()));
}

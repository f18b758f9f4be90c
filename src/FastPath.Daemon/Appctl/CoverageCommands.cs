using FastPath.Daemon.Coverage;
using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>Open vSwitch's <c>coverage/show</c> and <c>coverage/read-counter</c>, from the daemon's <see cref="CoverageRegistry"/>.</summary>
internal static class CoverageCommands
{
    public static void Register(UnixctlServer server, CoverageRegistry registry)
    {
        server.Register("coverage/show", "", 0, 0, _ => UnixctlReply.Ok(registry.Show()));
        server.Register("coverage/read-counter", "COUNTER", 1, 1, args => registry.TryGetTotal(args[0], out long total)
            ? UnixctlReply.Ok(total.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n")
            : UnixctlReply.Error("No such counter"));
    }
}

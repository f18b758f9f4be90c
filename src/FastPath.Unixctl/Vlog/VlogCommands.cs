namespace FastPath.Unixctl.Vlog;

/// <summary>Open vSwitch's vlog/* unixctl commands over a <see cref="VlogLoggerProvider"/>.</summary>
public static class VlogCommands
{
    /// <summary>
    /// Registers <c>vlog/list</c>, <c>vlog/set</c>, <c>vlog/list-pattern</c>, <c>vlog/reopen</c>, <c>vlog/close</c>,
    /// <c>vlog/enable-rate-limit</c> and <c>vlog/disable-rate-limit</c> on <paramref name="server"/>.
    /// </summary>
    /// <remarks>
    /// FastPath does not rate-limit log messages (its hot paths do not log; they count), so the rate-limit commands
    /// check their module names as Open vSwitch does and change nothing else.
    /// </remarks>
    public static void Register(UnixctlServer server, VlogLoggerProvider provider)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(provider);
        VlogModules modules = provider.Modules;
        server.Register("vlog/list", "", 0, 0, _ => UnixctlReply.Ok(modules.List()));
        server.Register("vlog/set", "{spec | PATTERN:destination:pattern}", 0, int.MaxValue, args =>
        {
            if (args.Count == 0)
            {
                // As Open vSwitch: no argument sets every module and destination to dbg.
                modules.SetLevels(null, null, VlogLevel.Dbg);
            }

            foreach (string spec in args)
            {
                if (modules.Set(spec) is string error)
                {
                    return UnixctlReply.Error(error);
                }
            }

            return UnixctlReply.Ok();
        });
        server.Register("vlog/list-pattern", "", 0, 0, _ => UnixctlReply.Ok(
            "         prefix                            format\n"
            + "         ------                            ------\n"
            + "SYSLOG   <%B> %D{%h %e %T} %E %A:          ovs|%05N|%c%T|%p|%m\n"
            + "CONSOLE  none                              %D{%Y-%m-%dT%H:%M:%SZ}|%05N|%c%T|%p|%m\n"
            + "FILE     none                              %D{%Y-%m-%dT%H:%M:%S.###Z}|%05N|%c%T|%p|%m\n"));
        foreach (string verb in new[] { "vlog/enable-rate-limit", "vlog/disable-rate-limit" })
        {
            server.Register(verb, "[module]...", 0, int.MaxValue, args =>
                modules.AllKnown(args.Where(a => !a.Equals("ANY", StringComparison.OrdinalIgnoreCase)), out _)
                    ? UnixctlReply.Ok()
                    : UnixctlReply.Error("unknown module"));
        }

        server.Register("vlog/reopen", "", 0, 0, _ =>
        {
            provider.Reopen();
            return UnixctlReply.Ok();
        });
        server.Register("vlog/close", "", 0, 0, _ =>
        {
            provider.Close();
            return UnixctlReply.Ok();
        });
    }
}

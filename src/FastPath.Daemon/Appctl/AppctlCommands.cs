using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>The ovs-vswitchd commands fastpathd answers, registered in one call.</summary>
public static class AppctlCommands
{
    /// <summary>
    /// Registers the dpif-netdev/*, dpctl/*, ofproto/trace, fdb/show, upcall/show, coverage/show, memory/show,
    /// bridge/reconnect, revalidator/*, ovs/route/* commands, and those of features FastPath lacks, on
    /// <paramref name="server"/>, answering from <paramref name="view"/>.
    /// </summary>
    public static void Register(UnixctlServer server, ISwitchView view, Coverage.CoverageRegistry? coverage = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(view);
        DpifNetdevCommands.Register(server, view);
        ImplementationCommands.Register(server, view);
        DpctlCommands.Register(server, view);
        OfprotoCommands.Register(server, view);
        UpcallCommands.Register(server, view);
        DpifCommands.Register(server, view);
        FdbCommands.Register(server, view);
        AbsentFeatureCommands.Register(server, view);
        ConntrackCommands.Register(server, view);
        BridgeCommands.Register(server, view);
        RouteCommands.Register(server);
        if (coverage is not null)
        {
            CoverageCommands.Register(server, coverage);
        }
    }

    /// <summary>
    /// Checks an optional datapath argument as Open vSwitch does when it has one datapath: <c>ovs-netdev</c> or
    /// <c>netdev@ovs-netdev</c> name it; anything else is an error.
    /// </summary>
    internal static void CheckDatapath(ISwitchView view, string? name)
    {
        if (name is not null && name != view.DatapathName && name != "netdev@" + view.DatapathName)
        {
            throw new UnixctlException($"ovs-vswitchd: opening datapath {name} failed (No such device)");
        }
    }
}

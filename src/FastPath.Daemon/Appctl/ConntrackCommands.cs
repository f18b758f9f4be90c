using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// Open vSwitch's <c>dpctl/*conntrack*</c> views over a datapath without a connection tracker: FastPath's datapath
/// has no ct() action, so it tracks no connection, and these answer as ovs-vswitchd 3.1 does with none tracked
/// (an empty dump, a total of 0, a flush with nothing to flush). A datapath name other than the switch's is
/// refused with Open vSwitch's error.
/// </summary>
internal static class ConntrackCommands
{
    public static void Register(UnixctlServer server, ISwitchView view)
    {
        server.Register("dpctl/dump-conntrack", "[-m] [-s] [dp] [zone=N]", 0, 4, args => Checked(view, args, string.Empty));
        server.Register("dpctl/flush-conntrack", "[dp] [zone=N] [ct-orig-tuple] [ct-reply-tuple]", 0, 4, args => Checked(view, args, string.Empty));
        server.Register("dpctl/ct-stats-show", "[dp] [zone=N]", 0, 3, args => Checked(view, args, "Connections Stats:\n    Total: 0\n"));
        server.Register("dpctl/ct-get-nconns", "[dp]", 0, 1, args => Checked(view, args, "0\n"));
    }

    private static UnixctlReply Checked(ISwitchView view, IReadOnlyList<string> args, string reply)
    {
        foreach (string a in args)
        {
            // Options, zone=N and conntrack tuples (ct_nw_src=...) all have '-' or '='; anything else names a datapath.
            bool option = a.StartsWith('-') || a.Contains('=', StringComparison.Ordinal);
            if (!option && a != view.DatapathName && a != "netdev@" + view.DatapathName)
            {
                return UnixctlReply.Error("ovs-vswitchd: datapath not found (Invalid argument)");
            }
        }

        return UnixctlReply.Ok(reply);
    }
}

using System.Net;
using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// Open vSwitch's <c>ovs/route/show</c> and <c>ovs/route/lookup</c> over the kernel routes of the namespace fastpathd
/// runs in (<see cref="KernelRoutes"/>), in ovs-vswitchd 3.1's layout. FastPath has no tunnels, so it adds no
/// routes of its own (<c>ovs/route/add</c> is not offered).
/// </summary>
internal static class RouteCommands
{
    public static void Register(UnixctlServer server)
    {
        server.Register("ovs/route/show", "", 0, 0, _ => UnixctlReply.Ok(KernelRoutes.Show(KernelRoutes.Read())));
        server.Register("ovs/route/lookup", "ip_addr [pkt_mark=mark]", 1, 2, args =>
        {
            uint mark = 0;
            if (!IPAddress.TryParse(args[0], out IPAddress? address)
                || (args.Count == 2 && !(args[1].StartsWith("pkt_mark=", StringComparison.Ordinal)
                    && uint.TryParse(args[1].AsSpan("pkt_mark=".Length), System.Globalization.CultureInfo.InvariantCulture, out mark))))
            {
                return UnixctlReply.Error("Invalid parameters");
            }

            // Kernel routes carry mark 0; a lookup under another mark matches none of them, as in ovs-router.c.
            if (mark != 0)
            {
                return UnixctlReply.Error("Not found");
            }

            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            return KernelRoutes.Lookup(KernelRoutes.Read(), address) is KernelRoute r
                ? UnixctlReply.Ok($"src {r.Source}\ngateway {r.Gateway?.ToString() ?? "::"}\ndev {r.Device}\n")
                : UnixctlReply.Error("Not found");
        });
    }
}

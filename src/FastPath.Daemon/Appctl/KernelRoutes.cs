using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace FastPath.Daemon.Appctl;

/// <summary>One route of the kernel's main or local table as Open vSwitch's route table caches it.</summary>
/// <param name="Destination">The prefix's address.</param>
/// <param name="PrefixLength">The prefix's length (IPv4: 0-32).</param>
/// <param name="Device">The output device.</param>
/// <param name="Gateway">The next hop, or null for a directly connected prefix.</param>
/// <param name="Source">The source address OVS picks: the route's preferred source, else an address of the device on the next hop's subnet.</param>
/// <param name="Local">A route of the local table (an address of this host).</param>
internal sealed record KernelRoute(IPAddress Destination, int PrefixLength, string Device, IPAddress? Gateway, IPAddress Source, bool Local)
{
    /// <summary>The classifier priority ovs-router.c gives the route: the prefix length in IPv6 terms, local routes 64 above.</summary>
    public int Priority => (Destination.AddressFamily == AddressFamily.InterNetwork ? PrefixLength + 96 : PrefixLength) + (Local ? 64 : 0);

    /// <summary>Whether <paramref name="address"/> is inside the prefix.</summary>
    public bool Contains(IPAddress address) => KernelRoutes.SamePrefix(Destination, address, PrefixLength);
}

/// <summary>
/// The kernel routes of the network namespace fastpathd runs in, read as Open vSwitch's route_table.c reads them
/// over netlink (unicast and local routes of the main and local tables, IPv4 and IPv6; a route whose source
/// address cannot be found is left out, as ovs-router.c leaves it out), through iproute2's JSON output.
/// </summary>
internal static class KernelRoutes
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The routes, in the order <c>ovs/route/show</c> prints them: highest priority first, IPv4 before IPv6.</summary>
    public static IReadOnlyList<KernelRoute> Read()
    {
        var addresses = DeviceAddresses();
        var routes = new Dictionary<(IPAddress, int, bool), KernelRoute>();
        foreach (string family in new[] { "-4", "-6" })
        {
            using JsonDocument? doc = Json("-j", family, "route", "show", "table", "all");
            if (doc is null)
            {
                continue;
            }

            foreach (JsonElement r in doc.RootElement.EnumerateArray())
            {
                if (Parse(r, family == "-4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6, addresses) is KernelRoute route)
                {
                    // A prefix seen again replaces the first, as a classifier rule with the same match does.
                    routes[(route.Destination, route.PrefixLength, route.Local)] = route;
                }
            }
        }

        return [.. routes.Values
            .OrderByDescending(r => r.Priority)
            .ThenBy(r => r.Destination.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .ThenBy(r => r.Destination.GetAddressBytes(), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)))];
    }

    /// <summary><c>ovs/route/show</c>: "Route Table:" and one "Cached:" line per route.</summary>
    public static string Show(IReadOnlyList<KernelRoute> routes)
    {
        var sb = new StringBuilder("Route Table:\n");
        foreach (KernelRoute r in routes)
        {
            sb.Append("Cached: ").Append(r.Destination).Append('/').Append(r.PrefixLength).Append(" dev ").Append(r.Device);
            if (r.Gateway is IPAddress gw)
            {
                sb.Append(" GW ").Append(gw);
            }

            sb.Append(" SRC ").Append(r.Source);
            if (r.Local)
            {
                sb.Append(" local");
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The route <paramref name="address"/> takes (the highest-priority one containing it), or null.</summary>
    public static KernelRoute? Lookup(IReadOnlyList<KernelRoute> routes, IPAddress address) =>
        routes.Where(r => r.Destination.AddressFamily == address.AddressFamily && r.Contains(address)).MaxBy(r => r.Priority);

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> agree in their first <paramref name="bits"/> bits.</summary>
    public static bool SamePrefix(IPAddress a, IPAddress b, int bits)
    {
        if (a.AddressFamily != b.AddressFamily)
        {
            return false;
        }

        byte[] x = a.GetAddressBytes();
        byte[] y = b.GetAddressBytes();
        for (int i = 0; i < x.Length && bits > 0; i++, bits -= 8)
        {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((x[i] & mask) != (y[i] & mask))
            {
                return false;
            }
        }

        return true;
    }

    private static KernelRoute? Parse(JsonElement r, AddressFamily family, Dictionary<string, List<(IPAddress Address, int Length)>> addresses)
    {
        string type = Text(r, "type") ?? "unicast";
        string table = Text(r, "table") ?? "main";
        string? dev = Text(r, "dev");
        string? dst = Text(r, "dst");
        if (type is not ("unicast" or "local") || table is not ("main" or "local") || dev is null || dst is null)
        {
            return null;
        }

        bool local = table == "local";
        int length;
        IPAddress destination;
        if (dst == "default")
        {
            destination = family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
            length = 0;
        }
        else
        {
            int slash = dst.IndexOf('/', StringComparison.Ordinal);
            if (!IPAddress.TryParse(slash < 0 ? dst : dst[..slash], out IPAddress? parsed))
            {
                return null;
            }

            destination = parsed;
            int full = family == AddressFamily.InterNetwork ? 32 : 128;
            length = slash < 0 ? full : int.TryParse(dst.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture, out int l) ? l : full;
        }

        IPAddress? gateway = Text(r, "gateway") is string g && IPAddress.TryParse(g, out IPAddress? gw) ? gw : null;
        IPAddress? source = Text(r, "prefsrc") is string p && IPAddress.TryParse(p, out IPAddress? ps) ? ps : null;

        // As ovs-router.c's get_src_addr: an address of the device whose own subnet holds the next hop (or the prefix).
        IPAddress target = gateway ?? destination;
        source ??= addresses.GetValueOrDefault(dev)?.FirstOrDefault(a => SamePrefix(a.Address, target, a.Length)).Address;
        return source is null ? null : new KernelRoute(destination, length, dev, gateway, source, local);
    }

    private static Dictionary<string, List<(IPAddress Address, int Length)>> DeviceAddresses()
    {
        var byDevice = new Dictionary<string, List<(IPAddress, int)>>(StringComparer.Ordinal);
        using JsonDocument? doc = Json("-j", "addr", "show");
        if (doc is null)
        {
            return byDevice;
        }

        foreach (JsonElement link in doc.RootElement.EnumerateArray())
        {
            if (Text(link, "ifname") is not string name || !link.TryGetProperty("addr_info", out JsonElement infos))
            {
                continue;
            }

            var list = new List<(IPAddress, int)>();
            foreach (JsonElement a in infos.EnumerateArray())
            {
                if (Text(a, "local") is string text && IPAddress.TryParse(text, out IPAddress? address)
                    && a.TryGetProperty("prefixlen", out JsonElement len) && len.TryGetInt32(out int l))
                {
                    list.Add((address, l));
                }
            }

            byDevice[name] = list;
        }

        return byDevice;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Runs iproute2's <c>ip</c> with <paramref name="args"/> and parses its JSON; null when it cannot run.</summary>
    private static JsonDocument? Json(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using Process p = Process.Start(psi) ?? throw new InvalidOperationException("ip did not start");
            Task<string> output = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(ToolTimeout))
            {
                // Only the process started here, by its own handle.
                p.Kill();
                return null;
            }

            string json = output.Result;
            return p.ExitCode == 0 && json.Length > 0 ? JsonDocument.Parse(json) : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or JsonException)
        {
            return null;
        }
    }
}

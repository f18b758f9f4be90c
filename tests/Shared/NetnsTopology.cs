using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace FastPath.Tests;

/// <summary>
/// Network namespaces and veth pairs for one test, all named after this process so parallel test
/// runs never collide and leftovers of crashed runs can be recognised and removed. Everything it
/// creates is deleted in <see cref="Dispose"/>, which never throws.
/// </summary>
/// <remarks>
/// Names: namespaces <c>fptns-PID-N-TAG</c>, interfaces <c>fptPIDHEXgNHEX{d|h}</c> (at most 15
/// characters): the root-namespace (datapath) end ends in <c>d</c>, the namespaced (host) end in <c>h</c>.
/// Addresses are only ever assigned inside namespaces this object created.
/// </remarks>
internal sealed partial class NetnsTopology : IDisposable
{
    /// <summary>Prefix of every namespace this helper creates.</summary>
    public const string NamespacePrefix = "fptns-";

    /// <summary>Prefix of every interface this helper creates.</summary>
    public const string InterfacePrefix = "fpt";

    private const int CloneNewNet = 0x40000000;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);
    private static int sequence;

    private readonly List<string> namespaces = [];
    private readonly List<string> rootLinks = [];

    /// <summary>Removes leftovers of dead earlier runs, then starts an empty topology.</summary>
    public NetnsTopology()
    {
        CleanupLeftovers();
    }

    /// <summary>Namespaces created so far.</summary>
    public IReadOnlyList<string> Namespaces => namespaces;

    /// <summary>Root-namespace interfaces created so far.</summary>
    public IReadOnlyList<string> RootLinks => rootLinks;

    /// <summary>Why namespace tests cannot run here, or null when they can (root, `ip` present, netns supported).</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces need Linux";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "network namespaces and AF_XDP need root (or CAP_NET_ADMIN + CAP_SYS_ADMIN + CAP_BPF)";
        }

        if (!File.Exists("/proc/self/ns/net"))
        {
            return "the kernel has no network namespaces";
        }

        try
        {
            Run("ip", "-V");
        }
        catch (Exception e)
        {
            return $"the `ip` tool (iproute2) is not usable: {e.Message}";
        }

        return null;
    }

    /// <summary>Creates a namespace with loopback up and IPv6 off (no router solicitations, DAD or MLD noise).</summary>
    public string AddNamespace(string tag)
    {
        int n = Interlocked.Increment(ref sequence);
        string name = $"{NamespacePrefix}{Environment.ProcessId}-{n}-{tag}";
        Run("ip", "netns", "add", name);
        namespaces.Add(name);
        Run("ip", "-n", name, "link", "set", "lo", "up");
        Run("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        Run("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
        return name;
    }

    /// <summary>
    /// Creates a veth pair: one end in the root namespace (for the datapath), the other in
    /// <paramref name="hostNamespace"/>. Both come up with IPv6 off. Extra queue counts make multi-queue veths.
    /// </summary>
    public VethPair AddVeth(string hostNamespace, int queues = 1)
    {
        RequireOwn(hostNamespace);
        int n = Interlocked.Increment(ref sequence);
        string stem = $"{InterfacePrefix}{Environment.ProcessId:x}g{n:x}";
        string root = stem + "d";
        string host = stem + "h";
        string q = queues.ToString(CultureInfo.InvariantCulture);

        // The root end exists first, so it is registered for cleanup before anything else can fail.
        Run("ip", "link", "add", root, "numtxqueues", q, "numrxqueues", q, "type", "veth",
            "peer", "name", host, "numtxqueues", q, "numrxqueues", q, "netns", hostNamespace);
        rootLinks.Add(root);
        DisableIpv6(null, root);
        DisableIpv6(hostNamespace, host);
        Run("ip", "link", "set", root, "up");
        Run("ip", "-n", hostNamespace, "link", "set", host, "up");
        return new VethPair(root, host, hostNamespace, Mac(null, root), Mac(hostNamespace, host));
    }

    /// <summary>Assigns <paramref name="cidr"/> to an interface inside a namespace this topology created.</summary>
    public void AddAddress(string ns, string ifname, string cidr)
    {
        RequireOwn(ns);
        Run("ip", "-n", ns, "addr", "add", cidr, "dev", ifname);
    }

    /// <summary>Runs <paramref name="action"/> on a fresh thread that has entered <paramref name="ns"/>; sockets it opens stay in that namespace.</summary>
    public T RunIn<T>(string ns, Func<T> action)
    {
        RequireOwn(ns);
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                // setns changes only this OS thread, which ends with the delegate; no other thread moves.
                using var handle = File.OpenHandle($"/var/run/netns/{ns}");
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns({ns}) failed: {Marshal.GetLastPInvokeErrorMessage()}");
                }

                result = action();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        if (!thread.Join(CommandTimeout))
        {
            throw new TimeoutException($"action in namespace {ns} did not finish in {CommandTimeout}");
        }

        if (error != null)
        {
            throw new InvalidOperationException($"action in namespace {ns} failed: {error.Message}", error);
        }

        return result;
    }

    /// <summary>Deletes every interface and namespace created, best effort, and never throws.</summary>
    public void Dispose()
    {
        foreach (string link in rootLinks)
        {
            TryRun("ip", "link", "del", link);
        }

        foreach (string ns in namespaces)
        {
            TryRun("ip", "netns", "del", ns);
        }

        rootLinks.Clear();
        namespaces.Clear();
    }

    /// <summary>
    /// Deletes namespaces and root interfaces with this helper's prefixes whose creating process is
    /// gone (a crashed or killed test run). Those of live processes are left alone.
    /// </summary>
    public static int CleanupLeftovers()
    {
        int removed = 0;
        foreach (string ns in ListNamespaces())
        {
            Match m = NamespaceName().Match(ns);
            if (m.Success && !ProcessAlive(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) && TryRun("ip", "netns", "del", ns))
            {
                removed++;
            }
        }

        foreach (string link in ListRootLinks())
        {
            Match m = InterfaceName().Match(link);
            // Deleting one end of a pair deletes the other, which may be next in the list: recheck first.
            if (m.Success && !ProcessAlive(int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture))
                && ListRootLinks().Contains(link) && TryRun("ip", "link", "del", link))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Names of all network namespaces under /var/run/netns.</summary>
    public static IReadOnlyList<string> ListNamespaces() =>
        Run("ip", "netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[0])
            .ToList();

    /// <summary>Names of all interfaces in the root namespace.</summary>
    public static IReadOnlyList<string> ListRootLinks() =>
        Run("ip", "-o", "link", "show").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':')[1].Trim().Split('@')[0])
            .ToList();

    /// <summary>Runs a command with a time limit; returns stdout, throws with stderr on failure.</summary>
    public static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(CommandTimeout))
        {
            // Only the process started here, by its own handle.
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{Describe(file, args)}` did not finish in {CommandTimeout}");
        }

        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{Describe(file, args)}` exited {p.ExitCode}: {stderr.Result.Trim()}");
        }

        return stdout.Result;
    }

    /// <summary>The MAC address of an interface (root namespace when <paramref name="ns"/> is null).</summary>
    public static byte[] Mac(string? ns, string ifname)
    {
        string text = ns is null ? Run("ip", "-o", "link", "show", "dev", ifname) : Run("ip", "-n", ns, "-o", "link", "show", "dev", ifname);
        Match m = EtherAddress().Match(text);
        if (!m.Success)
        {
            throw new InvalidOperationException($"no MAC address for {ifname}: {text}");
        }

        return Convert.FromHexString(m.Groups[1].Value.Replace(":", "", StringComparison.Ordinal));
    }

    private static void DisableIpv6(string? ns, string ifname)
    {
        string key = $"net.ipv6.conf.{ifname}.disable_ipv6=1";
        if (ns is null)
        {
            Run("sysctl", "-q", "-w", key);
        }
        else
        {
            Run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", key);
        }
    }

    private static bool TryRun(string file, params string[] args)
    {
        try
        {
            Run(file, args);
            return true;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"NetnsTopology cleanup: {e.Message}");
            return false;
        }
    }

    private static bool ProcessAlive(int pid) => Directory.Exists($"/proc/{pid}");

    private static string Describe(string file, string[] args)
    {
        var sb = new StringBuilder(file);
        foreach (string a in args)
        {
            sb.Append(' ').Append(a);
        }

        return sb.ToString();
    }

    private void RequireOwn(string ns)
    {
        if (!namespaces.Contains(ns))
        {
            throw new InvalidOperationException($"namespace {ns} was not created by this topology");
        }
    }

    /// <summary>A veth pair: the root-namespace (datapath) end and the end inside <paramref name="HostNamespace"/>.</summary>
    public sealed record VethPair(string RootName, string HostName, string HostNamespace, byte[] RootMac, byte[] HostMac);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);

    [GeneratedRegex(@"^fptns-(\d+)-\d+-")]
    private static partial Regex NamespaceName();

    [GeneratedRegex(@"^fpt([0-9a-f]+)g[0-9a-f]+[dh]$")]
    private static partial Regex InterfaceName();

    [GeneratedRegex(@"link/ether ([0-9a-f:]{17})")]
    private static partial Regex EtherAddress();
}

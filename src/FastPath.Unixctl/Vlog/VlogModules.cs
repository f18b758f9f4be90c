using System.Collections.Concurrent;
using System.Text;

namespace FastPath.Unixctl.Vlog;

/// <summary>
/// Open vSwitch's vlog configuration over Microsoft.Extensions.Logging: log categories (type names such as
/// <c>FastPath.Datapath.Pmd.PmdThread</c>) map onto short modules (<c>dpif_netdev</c>) by namespace prefix, and
/// each module has a level per destination (console, syslog, file) that <c>vlog/set</c> changes at run time and
/// <c>vlog/list</c> shows. A category no prefix claims belongs to <see cref="DefaultModule"/>.
/// </summary>
public sealed class VlogModules
{
    /// <summary>The module of categories no prefix claims (ovs-vswitchd's main module).</summary>
    public const string DefaultModule = "vswitchd";

    private readonly Lock gate = new();
    private readonly Dictionary<string, VlogModule> modules = new(StringComparer.Ordinal);
    private readonly List<(string Prefix, VlogModule Module)> prefixes = [];
    private readonly ConcurrentDictionary<string, VlogModule> byCategory = new(StringComparer.Ordinal);
    private readonly VlogLevel[] defaults;

    /// <summary>
    /// A configuration with FastPath's modules (see <see cref="AddFastPathModules"/>), every destination at
    /// <paramref name="console"/>, <paramref name="syslog"/>, <paramref name="file"/>.
    /// </summary>
    public VlogModules(VlogLevel console = VlogLevel.Info, VlogLevel syslog = VlogLevel.Off, VlogLevel file = VlogLevel.Info)
    {
        defaults = [console, syslog, file];
        AddModule(DefaultModule);
        AddFastPathModules();
    }

    /// <summary>The modules, by name.</summary>
    public IReadOnlyList<VlogModule> Modules
    {
        get
        {
            lock (gate)
            {
                return [.. modules.Values.OrderBy(m => m.Name, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>
    /// Adds module <paramref name="name"/> (or returns the existing one) and makes it the module of the categories
    /// under <paramref name="categoryPrefixes"/> (a namespace or type name: the longest matching prefix wins).
    /// </summary>
    public VlogModule AddModule(string name, params string[] categoryPrefixes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (gate)
        {
            if (!modules.TryGetValue(name, out VlogModule? m))
            {
                m = new VlogModule(name, defaults[0], defaults[1], defaults[2]);
                modules.Add(name, m);
            }

            foreach (string p in categoryPrefixes)
            {
                prefixes.RemoveAll(x => x.Prefix == p);
                prefixes.Add((p, m));
            }

            prefixes.Sort((a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));
            byCategory.Clear();
            return m;
        }
    }

    /// <summary>The module by its name, or null.</summary>
    public VlogModule? Find(string name)
    {
        lock (gate)
        {
            return modules.GetValueOrDefault(name) ?? modules.Values.FirstOrDefault(m => m.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>The module a log category belongs to.</summary>
    public VlogModule ModuleOf(string category) => byCategory.GetOrAdd(category, Resolve);

    /// <summary>
    /// Sets <paramref name="destination"/> (every one when null) of <paramref name="module"/> (every module when
    /// null) to <paramref name="level"/>, as Open vSwitch's vlog_set_levels.
    /// </summary>
    public void SetLevels(VlogModule? module, VlogDestination? destination, VlogLevel level)
    {
        IEnumerable<VlogModule> targets = module is null ? Modules : [module];
        foreach (VlogModule m in targets)
        {
            foreach (VlogDestination d in destination is VlogDestination one ? [one] : Enum.GetValues<VlogDestination>())
            {
                m.Set(d, level);
            }
        }

        if (module is null)
        {
            lock (gate)
            {
                // Modules added later start where "every module" was last set.
                foreach (VlogDestination d in destination is VlogDestination one ? [one] : Enum.GetValues<VlogDestination>())
                {
                    defaults[(int)d] = level;
                }
            }
        }
    }

    /// <summary>
    /// Applies one <c>vlog/set</c> (or <c>-v</c>) specification, <c>[module][:destination][:level]</c> in any order
    /// with <c>ANY</c> for all, separated by spaces, commas, colons or tabs (a missing level means dbg). Returns
    /// Open vSwitch's message for a bad one, or null. <c>PATTERN:destination:pattern</c> is refused: FastPath's
    /// line format is fixed.
    /// </summary>
    public string? Set(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string[] words = spec.Split([' ', ',', ':', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 0 && words[0].Equals("PATTERN", StringComparison.OrdinalIgnoreCase))
        {
            if (words.Length < 2)
            {
                return "missing destination";
            }

            if (!words[1].Equals("ANY", StringComparison.OrdinalIgnoreCase) && VlogNames.ParseDestination(words[1]) is null)
            {
                return $"unknown destination \"{words[1]}\"";
            }

            return "log patterns cannot be changed in FastPath (its line format is Open vSwitch's default)";
        }

        if (words.Length > 0 && words[0].Equals("FACILITY", StringComparison.OrdinalIgnoreCase))
        {
            return "syslog facilities cannot be changed in FastPath";
        }

        VlogModule? module = null;
        VlogDestination? destination = null;
        VlogLevel? level = null;
        foreach (string word in words)
        {
            if (word.Equals("ANY", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (VlogNames.ParseDestination(word) is VlogDestination d)
            {
                if (destination is not null)
                {
                    return "cannot specify multiple destinations";
                }

                destination = d;
            }
            else if (VlogNames.ParseLevel(word) is VlogLevel l)
            {
                if (level is not null)
                {
                    return "cannot specify multiple levels";
                }

                level = l;
            }
            else if (Find(word) is VlogModule m)
            {
                if (module is not null)
                {
                    return "cannot specify multiple modules";
                }

                module = m;
            }
            else
            {
                return $"no destination, level, or module \"{word}\"";
            }
        }

        SetLevels(module, destination, level ?? VlogLevel.Dbg);
        return null;
    }

    /// <summary>What <c>vlog/list</c> prints, in Open vSwitch's layout.</summary>
    public string List()
    {
        var lines = new List<string>();
        foreach (VlogModule m in Modules)
        {
            lines.Add(string.Format(
                System.Globalization.CultureInfo.InvariantCulture,
                "{0,-16}  {1,4}       {2,4}       {3,4}\n",
                m.Name,
                VlogNames.Name(m.Level(VlogDestination.Console)),
                VlogNames.Name(m.Level(VlogDestination.Syslog)),
                VlogNames.Name(m.Level(VlogDestination.File))));
        }

        lines.Sort(StringComparer.Ordinal);
        var sb = new StringBuilder();
        sb.Append("                 console    syslog    file\n");
        sb.Append("                 -------    ------    ------\n");
        foreach (string l in lines)
        {
            sb.Append(l);
        }

        return sb.ToString();
    }

    /// <summary>
    /// FastPath's parts under the names Open vSwitch 3.1 gives the same parts, so that <c>vlog/set dpif:dbg</c> or
    /// <c>vlog/set ofproto_dpif_upcall:file:dbg</c> means what an Open vSwitch user expects. Each module claims the
    /// log categories (namespaces and type names) of the FastPath code that does that module's job; modules
    /// whose job has no separate code here (<c>poll_loop</c>: FastPath's loops are its PMDs and ofproto thread)
    /// claim a category of their own name.
    /// </summary>
    public void AddFastPathModules()
    {
        // The datapath interface (dpif.c) and the userspace datapath behind it (dpif-netdev.c and friends).
        AddModule("dpif", "dpif", "FastPath.Datapath.NetdevDatapath", "FastPath.Datapath.RxqAssignment");
        AddModule("dpif_netdev", "FastPath.Datapath", "FastPath.Packets");
        AddModule("dpif_netdev_lookup", "FastPath.Datapath.Classifier");
        AddModule("odp_execute", "FastPath.Datapath.Actions");
        AddModule("pmd_perf", "FastPath.Datapath.Pmd.PmdStats", "FastPath.Datapath.Pmd.PmdStatsFormatter");
        AddModule("netdev", "FastPath.Datapath.Ports");
        AddModule("netdev_afxdp", "FastPath.Datapath.Ports.Afxdp", "FastPath.Native");
        AddModule("netdev_linux", "FastPath.Datapath.Ports.Tap", "FastPath.Datapath.Ports.Pcap", "FastPath.Daemon.Ports");
        AddModule("pcap", "FastPath.Datapath.CaptureFiles", "FastPath.Datapath.Ports.Replay");

        // ofproto and its dpif provider: tables, the slow path's thread, upcalls and revalidators, translation.
        AddModule("ofproto", "FastPath.Ofproto", "FastPath.Ofproto.Tables", "FastPath.Ofproto.Groups", "FastPath.Ofproto.Meters");
        AddModule("ofproto_dpif", "FastPath.Ofproto.Bridge", "FastPath.Ofproto.OfprotoThread");
        AddModule("ofproto_dpif_upcall", "FastPath.Ofproto.Upcalls", "FastPath.Ofproto.Revalidation");
        AddModule("ofproto_dpif_xlate", "FastPath.Ofproto.Xlate", "FastPath.Ofproto.Normal", "FastPath.Ofproto.Trace");
        AddModule("classifier", "FastPath.Ofproto.Classifier");

        // OpenFlow connections: the manager, reliable (reconnecting) connections, and the connections themselves.
        AddModule("connmgr", "FastPath.Connmgr", "FastPath.Ofproto.Service");
        AddModule("rconn", "FastPath.Connmgr.OfActiveRemote", "FastPath.Connmgr.OfRemote", "FastPath.Connmgr.OfBackoff");
        AddModule("vconn", "FastPath.Connmgr.OfConnection", "FastPath.Connmgr.OfSendQueue", "FastPath.Connmgr.OfPassiveRemote");
        AddModule("stream_ssl", "FastPath.Connmgr.OfSsl");
        AddModule("ofp_msgs", "FastPath.OpenFlow");

        // The daemon: bridge.c's reconfiguration, the database client, unixctl, the main loop.
        AddModule("bridge", "FastPath.Daemon");
        AddModule("ovsdb_idl", "FastPath.Ovsdb");
        AddModule("jsonrpc", "FastPath.Ovsdb.Rpc");
        AddModule("coverage", "FastPath.Daemon.Coverage");
        AddModule("unixctl", "FastPath.Unixctl");
        AddModule("vlog", "FastPath.Unixctl.Vlog");
        AddModule("poll_loop", "poll_loop");
        AddModule("memory", "FastPath.Daemon.Metrics");
        AddModule("hosting", "Microsoft.Extensions.Hosting", "Microsoft.Hosting");
    }

    /// <summary>Whether every module named in <paramref name="names"/> exists; the first unknown one in <paramref name="unknown"/>.</summary>
    public bool AllKnown(IEnumerable<string> names, out string? unknown)
    {
        ArgumentNullException.ThrowIfNull(names);
        unknown = names.FirstOrDefault(n => Find(n) is null);
        return unknown is null;
    }

    private VlogModule Resolve(string category)
    {
        lock (gate)
        {
            foreach (var (prefix, module) in prefixes)
            {
                if (category.StartsWith(prefix, StringComparison.Ordinal)
                    && (category.Length == prefix.Length || category[prefix.Length] is '.' or '+' or '`'))
                {
                    return module;
                }
            }

            return modules[DefaultModule];
        }
    }
}

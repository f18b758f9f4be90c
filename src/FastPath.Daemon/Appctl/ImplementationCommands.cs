using System.Globalization;
using FastPath.Datapath.Pmd;
using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// Open vSwitch's commands that list and choose the userspace datapath's implementations of its stages
/// (<c>dpif-netdev/dpif-impl-*</c>, <c>dpif-netdev/miniflow-parser-*</c>, <c>dpif-netdev/subtable-lookup-*</c>,
/// <c>odp-execute/action-impl-*</c>). Open vSwitch has a portable implementation of each stage (<c>dpif_scalar</c>,
/// <c>scalar</c>, <c>generic</c>, <c>scalar</c>) and optional AVX-512 ones; FastPath has one implementation of each,
/// listed under the portable one's name. Choosing it is accepted with Open vSwitch's message and changes nothing;
/// any other name is refused with Open vSwitch's error, so a script that picks an implementation it expects to be
/// there reads the same answer, and one that asks for a vectorised implementation learns FastPath has none.
/// </summary>
internal static class ImplementationCommands
{
    private const string Dpif = "dpif_scalar";
    private const string Miniflow = "scalar";
    private const string Lookup = "generic";
    private const string Actions = "scalar";

    public static void Register(UnixctlServer server, ISwitchView view)
    {
        server.Register("dpif-netdev/dpif-impl-get", "", 0, 0, _ =>
            UnixctlReply.Ok($"Available DPIF implementations:\n  {Dpif} (pmds: {Cores(view)})\n"));
        server.Register("dpif-netdev/dpif-impl-set", "dpif_implementation_name", 1, 1, args => args[0] == Dpif
            ? UnixctlReply.Ok($"DPIF implementation set to {Dpif}.\n")
            : UnixctlReply.Error($"DPIF implementation not available: Unknown DPIF implementation {args[0]}."));
        server.Register("dpif-netdev/miniflow-parser-get", "", 0, 0, _ =>
            UnixctlReply.Ok($"Available MFEX implementations:\n  {Miniflow} (available: True pmds: {Cores(view)})\n"));
        server.Register("dpif-netdev/miniflow-parser-set", "[-pmd core] miniflow_implementation_name [study_pkt_cnt]", 1, 4, args => MiniflowSet(view, args));
        // The lookup function's priority is only shown back: with one function, no subtable changes function.
        int lookupPriority = 1;
        server.Register("dpif-netdev/subtable-lookup-prio-set", "[lookup_func] [prio]", 2, 2, args =>
        {
            if (args[0] != Lookup)
            {
                return UnixctlReply.Error("error, subtable lookup function not found");
            }

            if (!int.TryParse(args[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int priority) || priority is < 0 or > 255)
            {
                return UnixctlReply.Error("error converting priority, use integer in range 0-255");
            }

            Volatile.Write(ref lookupPriority, priority);
            return UnixctlReply.Ok("Lookup priority change affected 0 dpcls ports and 0 subtables.\n");
        });
        server.Register("dpif-netdev/subtable-lookup-info-get", "", 0, 0, _ => UnixctlReply.Ok(
            string.Create(CultureInfo.InvariantCulture, $"Available dpcls implementations:\n  {Lookup} (Use count: {Subtables(view)}, Priority: {Volatile.Read(ref lookupPriority)})\n")));
        server.Register("odp-execute/action-impl-show", "", 0, 0, _ =>
            UnixctlReply.Ok($"Available Actions implementations:\n  {Actions} (available: Yes, active: Yes)\n"));
        server.Register("odp-execute/action-impl-set", "name", 1, 1, args => args[0] == Actions
            ? UnixctlReply.Ok($"Action implementation set to {Actions}.\n")
            : UnixctlReply.Error($"Error: unknown action implementation, {args[0]}, specified!"));
    }

    private static UnixctlReply MiniflowSet(ISwitchView view, IReadOnlyList<string> args)
    {
        int i = 0;
        if (args[0] == "-pmd")
        {
            if (args.Count < 3 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int core))
            {
                return UnixctlReply.Error("Error: -pmd option requires a thread id argument.");
            }

            if (!SwitchDatapaths.Pmds(view).Any(p => p.Pmd.CoreId == core))
            {
                return UnixctlReply.Error($"Error: miniflow extract parser not changed, PMD thread {core} not in use, pass a valid pmd thread ID.");
            }

            i = 2;
        }

        return args[i] == Miniflow && args.Count == i + 1
            ? UnixctlReply.Ok($"Miniflow extract implementation set to {Miniflow}.\n")
            : UnixctlReply.Error($"Error: unknown miniflow extract implementation {args[i]}.");
    }

    /// <summary>
    /// The subtables the lookup function serves: the distinct megaflow masks of each PMD's classifier, summed
    /// (read from the PMDs' flow dumps, as dpctl/dump-flows reads them).
    /// </summary>
    private static int Subtables(ISwitchView view) =>
        SwitchDatapaths.Pmds(view).Sum(p => p.Pmd.EnumerateFlows().Select(f => f.Match.Mask).Distinct().Count());

    /// <summary>The PMDs' cores as Open vSwitch lists them ("0,1"), or "none".</summary>
    private static string Cores(ISwitchView view)
    {
        int[] cores = [.. SwitchDatapaths.Pmds(view).Select(p => p.Pmd.CoreId).Distinct().Order()];
        return cores.Length == 0 ? "none" : string.Join(',', cores.Select(c => c.ToString(CultureInfo.InvariantCulture)));
    }
}

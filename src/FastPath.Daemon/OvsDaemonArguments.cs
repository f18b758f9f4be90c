namespace FastPath.Daemon;

/// <summary>
/// The options ovs-vswitchd's command lines carry (its man page, INSTALL guides, the AF_XDP example script:
/// <c>ovs-vswitchd --pidfile --detach --log-file -vconsole:off --no-chdir --disable-system</c>), taken out of
/// fastpathd's arguments before its own parser sees them, so a command line written for ovs-vswitchd starts
/// fastpathd unchanged. Options that change nothing for fastpathd are accepted and named in <see cref="Ignored"/>.
/// </summary>
public sealed class OvsDaemonArguments
{
    // Accepted with nothing to do: fastpathd never changes directory, has no kernel datapath to disable, no
    // monitor process, no SELinux confinement to drop, and always replaces a stale pidfile of a dead process.
    private static readonly HashSet<string> NoOps = new(StringComparer.Ordinal)
    {
        "--no-chdir", "--disable-system", "--monitor", "--overwrite-pidfile", "--no-self-confinement", "--mlockall",
    };

    private OvsDaemonArguments()
    {
    }

    /// <summary>The arguments left for fastpathd's own parser.</summary>
    public IReadOnlyList<string> Remaining { get; private init; } = [];

    /// <summary>Whether <c>--detach</c> was given: run in the background, returning once the daemon is up.</summary>
    public bool Detach { get; private init; }

    /// <summary><c>--pidfile=FILE</c>'s FILE (a second pidfile besides the run directory's), or null.</summary>
    public string? PidFile { get; private init; }

    /// <summary>The <c>-vSPEC</c> / <c>--verbose=SPEC</c> specifications, in order (<c>-v</c> alone is <c>dbg</c>, as in OVS).</summary>
    public IReadOnlyList<string> VerboseSpecs { get; private init; } = [];

    /// <summary>The ovs-vswitchd options accepted that change nothing here.</summary>
    public IReadOnlyList<string> Ignored { get; private init; } = [];

    /// <summary>
    /// Splits <paramref name="args"/>. <c>--log-file</c> without a file becomes <c>--log-file=LOGDIR/ovs-vswitchd.log</c>
    /// (LOGDIR is <paramref name="logDirectory"/>), as ovs-vswitchd's default log file.
    /// </summary>
    public static OvsDaemonArguments Parse(IReadOnlyList<string> args, string logDirectory)
    {
        ArgumentNullException.ThrowIfNull(args);
        var remaining = new List<string>();
        var verbose = new List<string>();
        var ignored = new List<string>();
        bool detach = false;
        string? pidFile = null;
        foreach (string a in args)
        {
            if (a == "--detach")
            {
                detach = true;
            }
            else if (a == "--pidfile")
            {
                // The run directory's pidfile is always written.
            }
            else if (a.StartsWith("--pidfile=", StringComparison.Ordinal))
            {
                pidFile = Path.GetFullPath(a["--pidfile=".Length..]);
            }
            else if (a == "--log-file")
            {
                remaining.Add("--log-file=" + Path.Combine(logDirectory, "ovs-vswitchd.log"));
            }
            else if (a is "-v" or "--verbose")
            {
                verbose.Add("dbg");
            }
            else if (a.StartsWith("--verbose=", StringComparison.Ordinal))
            {
                verbose.Add(a["--verbose=".Length..]);
            }
            else if (a.StartsWith("-v", StringComparison.Ordinal) && !a.StartsWith("--", StringComparison.Ordinal))
            {
                verbose.Add(a[2..]);
            }
            else if (NoOps.Contains(a))
            {
                ignored.Add(a);
            }
            else
            {
                remaining.Add(a);
            }
        }

        return new OvsDaemonArguments { Remaining = remaining, Detach = detach, PidFile = pidFile, VerboseSpecs = verbose, Ignored = ignored };
    }
}

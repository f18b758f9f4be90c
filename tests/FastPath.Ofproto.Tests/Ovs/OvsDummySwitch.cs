using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>
/// A private Open vSwitch (Debian's ovsdb-server and ovs-vswitchd) running the userspace datapath with dummy
/// ports, as the reference FastPath's slow path is compared with: OpenFlow rules go in through
/// <c>ovs-ofctl</c> and <c>ofproto/trace</c> reports what Open vSwitch's xlate makes of a flow or packet
/// (the megaflow and the datapath actions).
/// </summary>
/// <remarks>
/// Everything lives in one temporary directory: the database (created from the installed schema), the
/// sockets, pidfiles and logs, and the environment of every tool points OVS_RUNDIR/OVS_DBDIR/OVS_LOGDIR/
/// OVS_SYSCONFDIR there, so a system Open vSwitch is neither used nor disturbed, and any number of instances
/// run side by side. Bridge <c>br0</c> has <c>datapath_type=dummy</c> and <c>fail_mode=secure</c> (no
/// default NORMAL flow: a table miss drops) and ports <c>p1..pN</c> of <c>type=dummy</c> with OpenFlow
/// port numbers 1..N; the dummy datapath numbers a port after the digits of its name, so datapath port K is
/// OpenFlow port K and <c>Datapath actions: 2</c> means OpenFlow port 2. The LOCAL port is datapath port 100.
/// Needs no root.
/// </remarks>
public sealed class OvsDummySwitch : IDisposable
{
    /// <summary>The schema Debian's openvswitch-common installs.</summary>
    public const string SchemaPath = "/usr/share/openvswitch/vswitch.ovsschema";

    /// <summary>The bridge's name.</summary>
    public const string Bridge = "br0";

    /// <summary>Datapath port number of the bridge's LOCAL port in the dummy datapath.</summary>
    public const int LocalDatapathPort = 100;

    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock appctlLock = new();
    private OvsUnixctlClient? appctl;
    private OvsDaemon? db;
    private OvsDaemon? vswitchd;
    private bool disposed;

    private OvsDummySwitch(string dir, int ports)
    {
        Directory = dir;
        PortCount = ports;
    }

    /// <summary>The private directory (database, sockets, pidfiles, logs); deleted by <see cref="Dispose"/>.</summary>
    public string Directory { get; }

    /// <summary>Number of dummy ports; they are OpenFlow (and datapath) ports 1..<see cref="PortCount"/>.</summary>
    public int PortCount { get; }

    /// <summary>The private ovsdb-server's socket (what <c>ovs-vsctl --db=unix:PATH</c> takes).</summary>
    public string DbSocket => Path.Combine(Directory, "db.sock");

    /// <summary>The bridge's OpenFlow management socket (what <c>ovs-ofctl ... unix:PATH</c> takes).</summary>
    public string BridgeManagementSocket => Path.Combine(Directory, Bridge + ".mgmt");

    /// <summary>ovs-vswitchd's unixctl socket (what <c>ovs-appctl -t PATH</c> takes).</summary>
    public string VswitchdControl => Vswitchd.Control;

    /// <summary>ovs-vswitchd's process id.</summary>
    public int VswitchdPid => Vswitchd.Pid;

    /// <summary>ovsdb-server's process id.</summary>
    public int DbServerPid => Db.Pid;

    /// <summary>Wall time <see cref="Start"/> took, from creating the directory to the ports being up.</summary>
    public TimeSpan StartupTime { get; private set; }

    private OvsDaemon Db => db ?? throw new ObjectDisposedException(nameof(OvsDummySwitch));

    private OvsDaemon Vswitchd => vswitchd ?? throw new ObjectDisposedException(nameof(OvsDummySwitch));

    /// <summary>The datapath id a switch started with fixed addresses has (see <see cref="Start"/>).</summary>
    public const string FixedDatapathId = "0000aa55aa550001";

    /// <summary>The LOCAL port's MAC of a switch started with fixed addresses (see <see cref="Start"/>).</summary>
    public const string FixedBridgeMac = "aa:55:aa:55:00:01";

    /// <summary>
    /// Starts a private Open vSwitch with bridge <c>br0</c> and <paramref name="ports"/> dummy ports, waiting at
    /// most <paramref name="timeout"/> (default 30 s) for the daemons and the bridge. A failure throws an
    /// <see cref="OvsHarnessException"/> with the daemons' log tails, after stopping what was started and
    /// deleting the directory.
    /// </summary>
    /// <remarks>
    /// With <paramref name="fixedAddresses"/> every start gets the same addresses, so that two instances print
    /// the same <c>ovs-ofctl show</c>: datapath id <see cref="FixedDatapathId"/>, LOCAL MAC
    /// <see cref="FixedBridgeMac"/>, and port MACs in port order (the dummy datapath hands out
    /// <c>aa:55:aa:55:00:NN</c> in creation order, and ports added in one transaction are created in the order of
    /// their random row UUIDs, so they are added one transaction each, which takes a little longer).
    /// </remarks>
    public static OvsDummySwitch Start(int ports = 4, TimeSpan? timeout = null, bool fixedAddresses = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ports, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ports, 99); // 100 is the LOCAL port's datapath number.
        var sw = Stopwatch.StartNew();
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var s = new OvsDummySwitch(CreateDirectory(), ports);
        try
        {
            s.Launch(deadline, fixedAddresses);
            s.StartupTime = sw.Elapsed;
            return s;
        }
        catch (Exception e) when (e is OvsHarnessException or IOException or UnauthorizedAccessException)
        {
            s.Dispose();
            throw new OvsHarnessException(
                $"private Open vSwitch in {s.Directory} did not start within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:0.###} s "
                + $"(its daemons are stopped and the directory removed): {e.Message}", e);
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Adds OpenFlow rules, one per line in <c>ovs-ofctl add-flows</c> syntax (e.g.
    /// <c>table=1,priority=5,ip,nw_dst=10.0.0.0/8,actions=output:2</c>), over OpenFlow 1.3. A rule Open
    /// vSwitch rejects throws, with ovs-ofctl's message; so does a rule ovs-ofctl accepted only after dropping
    /// part of its match (a field without its protocol, e.g. <c>tp_dst=80</c> without <c>tcp</c>: ovs-ofctl
    /// logs "normalization changed ofp_match"), unless <paramref name="allowNormalization"/>, because such a
    /// rule does not mean what its text says.
    /// </summary>
    public void AddFlows(IEnumerable<string> lines, bool allowNormalization = false)
        => FlowFile("add-flows", lines, allowNormalization);

    /// <summary>
    /// Makes the bridge's rules exactly <paramref name="lines"/> (<c>ovs-ofctl replace-flows</c>: rules not in
    /// the list are deleted, the others added or changed), in one tool run instead of a delete and an add.
    /// Errors as <see cref="AddFlows"/>.
    /// </summary>
    public void ReplaceFlows(IEnumerable<string> lines, bool allowNormalization = false)
        => FlowFile("replace-flows", lines, allowNormalization);

    /// <summary>Deletes the rules matching <paramref name="match"/> (all rules when null), as <c>ovs-ofctl del-flows</c>.</summary>
    public void DelFlows(string? match = null)
    {
        if (match is null)
        {
            OfCtl("del-flows");
        }
        else
        {
            OfCtl("del-flows", match);
        }
    }

    /// <summary>
    /// Adds groups, one per line in <c>ovs-ofctl add-group</c> syntax (e.g.
    /// <c>group_id=1,type=select,bucket=weight:10,output:1</c>), as <c>ovs-ofctl add-groups</c> over
    /// <paramref name="protocol"/> (OpenFlow 1.5 carries bucket ids and selection methods; 1.3 drops them). A
    /// group Open vSwitch rejects throws, with ovs-ofctl's message.
    /// </summary>
    public void AddGroups(IEnumerable<string> lines, string protocol = "OpenFlow13")
    {
        CheckRunning();
        string file = Path.Combine(Directory, "groups-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllLines(file, lines);
        try
        {
            OvsTool.RunChecked(Directory, "ovs-ofctl", ["-O", protocol, "--timeout=30", "add-groups", "unix:" + BridgeManagementSocket, file], ToolTimeout);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Deletes every group (and with them the rules that use them), as <c>ovs-ofctl del-groups</c>.</summary>
    public void DelGroups() => OfCtl("del-groups");

    /// <summary>
    /// The bridge's groups as <c>ovs-ofctl -O PROTOCOL dump-groups</c> prints them, one string per group without
    /// the reply header or the leading space, in the order Open vSwitch gives them (its hash order).
    /// </summary>
    public IReadOnlyList<string> DumpGroups(string protocol = "OpenFlow13")
    {
        CheckRunning();
        string text = OvsTool.RunChecked(Directory, "ovs-ofctl", ["-O", protocol, "--timeout=30", "dump-groups", "unix:" + BridgeManagementSocket], ToolTimeout);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("OFPST_GROUP_DESC reply", StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>
    /// Takes dummy ports <c>pN</c> administratively down or up (<c>netdev-dummy/set-admin-state</c>): a down port
    /// is not live, so fast-failover and select buckets that watch it are not used.
    /// </summary>
    /// <remarks>
    /// ovs-vswitchd applies the change in its main loop, after the command returns: this waits (at most 10 s) until
    /// the ports' OpenFlow state says it, then for a revalidation pass, which comes after xlate has the new state.
    /// </remarks>
    public void SetAdminState(params (int Port, bool Up)[] ports)
    {
        if (ports.Length == 0)
        {
            return;
        }

        foreach (var (port, up) in ports)
        {
            AppCtl("netdev-dummy/set-admin-state", "p" + port.ToString(CultureInfo.InvariantCulture), up ? "up" : "down");
        }

        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            string desc = OfCtl("dump-ports-desc");
            if (ports.All(p => PortStateIs(desc, p.Port, p.Up ? "LIVE" : "LINK_DOWN")))
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new OvsHarnessException($"ports did not change state within 10 s:\n{desc}");
            }

            Thread.Sleep(10);
        }

        AppCtl("revalidator/wait");
    }

    private static bool PortStateIs(string desc, int port, string state)
    {
        int at = desc.IndexOf("(p" + port.ToString(CultureInfo.InvariantCulture) + "):", StringComparison.Ordinal);
        int stateAt = at < 0 ? -1 : desc.IndexOf("state:", at, StringComparison.Ordinal);
        int end = stateAt < 0 ? -1 : desc.IndexOf('\n', stateAt);
        return stateAt >= 0 && desc[stateAt..(end < 0 ? desc.Length : end)].Contains(state, StringComparison.Ordinal);
    }

    /// <summary>
    /// The bridge's rules as <c>ovs-ofctl dump-flows</c> prints them (one string per rule, without the reply
    /// header; durations and counters included).
    /// </summary>
    public IReadOnlyList<string> DumpFlows()
    {
        string text = OfCtl("dump-flows");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("OFPST_FLOW reply", StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>
    /// Traces a flow given in ofproto/trace's OpenFlow flow syntax (e.g.
    /// <c>in_port=1,udp,nw_src=192.168.1.1,nw_dst=10.0.0.1,nw_ttl=64,udp_src=5,udp_dst=6</c>; transport ports
    /// take the protocol's names, <c>udp_src</c>, <c>tcp_dst</c>) through the bridge's tables, as
    /// <c>ovs-appctl ofproto/trace br0 FLOW</c>. Fields not given are zero.
    /// </summary>
    public OvsTrace Trace(string flow) => OvsTrace.Parse(AppCtl("ofproto/trace", Bridge, flow));

    /// <summary>
    /// Traces the Ethernet frame <paramref name="frame"/> arriving on OpenFlow port <paramref name="inPort"/>,
    /// as <c>ovs-appctl ofproto/trace br0 in_port=N HEX</c>: Open vSwitch parses the frame itself.
    /// </summary>
    public OvsTrace TracePacket(int inPort, ReadOnlySpan<byte> frame)
        => OvsTrace.Parse(AppCtl("ofproto/trace", Bridge, "in_port=" + inPort.ToString(CultureInfo.InvariantCulture), Convert.ToHexStringLower(frame)));

    /// <summary>
    /// Runs an ovs-appctl command (<paramref name="args"/>: the command, then its arguments) against this
    /// ovs-vswitchd and returns what <c>ovs-appctl</c> would print. It speaks ovs-appctl's protocol on one
    /// kept-open connection to the unixctl socket rather than starting a process per command; an error reply
    /// throws an <see cref="OvsHarnessException"/> with the daemon's message. Thread-safe (calls are serialized).
    /// </summary>
    public string AppCtl(params string[] args)
    {
        ArgumentOutOfRangeException.ThrowIfZero(args.Length);
        lock (appctlLock)
        {
            CheckRunning();
            try
            {
                appctl ??= new OvsUnixctlClient(Vswitchd.Control, ToolTimeout);
                return appctl.Call(args[0], args[1..]);
            }
            catch (OvsHarnessException e) when (!e.Message.StartsWith(args[0] + " failed:", StringComparison.Ordinal))
            {
                // The connection broke (not an error reply): drop it, and say whether the daemon is gone.
                appctl?.Dispose();
                appctl = null;
                if (Vswitchd.HasExited)
                {
                    throw new OvsHarnessException(e.Message + "\n" + Vswitchd.Failure("has exited").Message, e);
                }

                throw;
            }
        }
    }

    /// <summary>
    /// Runs the <c>ovs-appctl</c> program itself (<c>ovs-appctl -t CONTROL ARGS</c>), for comparing with
    /// <see cref="AppCtl"/> or for what only the program does; slower (a process per call).
    /// </summary>
    public string AppCtlProcess(params string[] args)
    {
        CheckRunning();
        return OvsTool.RunChecked(Directory, "ovs-appctl", ["--timeout=30", "-t", Vswitchd.Control, .. args], ToolTimeout);
    }

    /// <summary>Runs an <c>ovs-vsctl</c> command against this private database (waiting for ovs-vswitchd to apply it).</summary>
    public string VsCtl(params string[] args)
    {
        CheckRunning();
        return OvsTool.RunChecked(Directory, "ovs-vsctl", ["--db=unix:" + DbSocket, "--timeout=30", .. args], ToolTimeout);
    }

    /// <summary>Runs an <c>ovs-ofctl -O OpenFlow13</c> command on the bridge (the target is added after <paramref name="command"/>).</summary>
    public string OfCtl(string command, params string[] args)
    {
        CheckRunning();
        return OvsTool.RunChecked(
            Directory, "ovs-ofctl", ["-O", "OpenFlow13", "--timeout=30", command, "unix:" + BridgeManagementSocket, .. args], ToolTimeout);
    }

    /// <summary>The last lines of both daemons' logs, for a test's failure message.</summary>
    public string Diagnostics(int lines = 30)
        => (vswitchd?.Diagnostics(lines) ?? "") + "\n" + (db?.Diagnostics(lines) ?? "");

    /// <summary>
    /// Stops ovs-vswitchd and ovsdb-server (ovs-appctl exit, then a kill by PID), and deletes the directory.
    /// Safe to call more than once; never throws for a daemon that had already died.
    /// </summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        lock (appctlLock)
        {
            appctl?.Dispose();
            appctl = null;
        }

        vswitchd?.Dispose();
        db?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A daemon that was killed may still be closing a file; one more try after it is gone.
            Thread.Sleep(100);
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }
    }

    private void FlowFile(string command, IEnumerable<string> lines, bool allowNormalization)
    {
        CheckRunning();
        string file = Path.Combine(Directory, "flows-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllLines(file, lines);
        try
        {
            string[] args = ["-O", "OpenFlow13", "--timeout=30", command, "unix:" + BridgeManagementSocket, file];
            OvsTool.Result r = OvsTool.Run(Directory, "ovs-ofctl", args, ToolTimeout);
            if (r.ExitCode != 0)
            {
                throw new OvsHarnessException($"ovs-ofctl {command} exited {r.ExitCode}: {r.Stderr.Trim()}");
            }

            if (!allowNormalization && r.Stderr.Contains("normalization changed", StringComparison.Ordinal))
            {
                throw new OvsHarnessException($"ovs-ofctl {command} changed a rule's match (the rule is installed):\n{r.Stderr.Trim()}");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string CreateDirectory()
    {
        // Unix socket paths are limited to 107 bytes; a long TMPDIR would make the sockets unusable.
        string tmp = Path.GetTempPath();
        string parent = tmp.Length <= 60 ? tmp : "/tmp";
        string dir = Path.Combine(parent, "fastpath-ovs-" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal));
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    private void Launch(DateTime deadline, bool fixedAddresses)
    {
        if (!File.Exists(SchemaPath))
        {
            throw new OvsHarnessException($"{SchemaPath} is missing: install Debian's openvswitch-common (scripts/setup.sh does)");
        }

        string conf = Path.Combine(Directory, "conf.db");
        OvsTool.RunChecked(Directory, "ovsdb-tool", ["create", conf, SchemaPath], ToolTimeout);

        db = OvsDaemon.Start(Directory, "ovsdb-server", [conf, "--remote=punix:" + DbSocket]);
        db.WaitUntilAnswering(deadline);
        WaitForFile(DbSocket, db, deadline);
        OvsTool.RunChecked(Directory, "ovs-vsctl", ["--db=unix:" + DbSocket, "--no-wait", "--timeout=10", "init"], ToolTimeout);

        vswitchd = OvsDaemon.Start(Directory, "ovs-vswitchd", ["unix:" + DbSocket, "--enable-dummy=override", "--disable-system"]);
        vswitchd.WaitUntilAnswering(deadline);

        // Without --no-wait, ovs-vsctl returns once ovs-vswitchd has applied the change, so the bridge and
        // its ports exist when this returns.
        var args = new List<string>
        {
            "--db=unix:" + DbSocket, "--timeout=" + SecondsLeft(deadline),
            "add-br", Bridge, "--", "set", "bridge", Bridge, "datapath_type=dummy", "fail_mode=secure",
            "protocols=OpenFlow10,OpenFlow13,OpenFlow15",
        };
        if (fixedAddresses)
        {
            args.AddRange(["other-config:datapath-id=" + FixedDatapathId, "other-config:hwaddr=" + FixedBridgeMac]);
        }

        var transactions = new List<List<string>> { args };
        for (int i = 1; i <= PortCount; i++)
        {
            string port = "p" + i.ToString(CultureInfo.InvariantCulture);
            List<string> addPort = ["add-port", Bridge, port, "--", "set", "interface", port, "type=dummy",
                "ofport_request=" + i.ToString(CultureInfo.InvariantCulture)];
            if (fixedAddresses)
            {
                transactions.Add(["--db=unix:" + DbSocket, "--timeout=" + SecondsLeft(deadline), .. addPort]);
            }
            else
            {
                args.AddRange(["--", .. addPort]);
            }
        }

        try
        {
            foreach (List<string> t in transactions)
            {
                OvsTool.RunChecked(Directory, "ovs-vsctl", t, ToolTimeout);
            }
        }
        catch (OvsHarnessException e)
        {
            throw new OvsHarnessException($"creating {Bridge} failed: {e.Message}\n{Diagnostics()}", e);
        }

        WaitForFile(BridgeManagementSocket, vswitchd, deadline);
        CheckPorts();
    }

    private void CheckPorts()
    {
        // ofport_request is a request: a port that got another number would silently shift every output.
        string show = AppCtl("dpif/show");
        var problems = new StringBuilder();
        for (int i = 1; i <= PortCount; i++)
        {
            string expect = $"p{i} {i}/{i}:";
            if (!show.Contains(expect, StringComparison.Ordinal))
            {
                problems.Append(CultureInfo.InvariantCulture, $"port p{i} is not OpenFlow port {i} on datapath port {i}; ");
            }
        }

        if (problems.Length > 0)
        {
            throw new OvsHarnessException($"{problems}dpif/show:\n{show}\n{Diagnostics()}");
        }
    }

    private static void WaitForFile(string path, OvsDaemon owner, DateTime deadline)
    {
        while (!File.Exists(path))
        {
            if (owner.HasExited)
            {
                throw owner.Failure($"exited before creating {path}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw owner.Failure($"did not create {path} in time");
            }

            Thread.Sleep(10);
        }
    }

    private static string SecondsLeft(DateTime deadline)
        => Math.Max(1, (int)Math.Ceiling((deadline - DateTime.UtcNow).TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private void CheckRunning()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (db is { HasExited: true })
        {
            throw db.Failure("has exited");
        }

        if (vswitchd is { HasExited: true })
        {
            throw vswitchd.Failure("has exited");
        }
    }
}

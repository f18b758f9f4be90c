using System.Collections.Concurrent;
using System.Net;
using FastPath.OpenFlow.Wire;

namespace FastPath.Connmgr;

/// <summary>
/// The OpenFlow connections of one bridge (Open vSwitch's connmgr): controller and service targets, snoop
/// listeners, roles, asynchronous messages by role and async configuration, and the fail mode. The bridge
/// implements <see cref="IOfMessageHandler"/>; everything here is thread-safe and non-blocking for its ofproto thread.
/// </summary>
public sealed class OfConnectionManager : IAsyncDisposable, IOfConnectionObserver
{
    private readonly IOfMessageHandler handler;
    private readonly ConcurrentDictionary<long, OfConnection> connections = new();
    private readonly ConcurrentDictionary<long, OfConnection> snoops = new();
    private readonly List<OfRemote> remotes = [];
    private readonly Lock gate = new();
    private readonly CancellationTokenSource cts = new();
    private readonly Task failOpenLoop;
    private int controllersConnected;
    private long lastControllerMs;
    private bool forwardNormally;
    private OfFailMode failMode;
    private int disposed;

    /// <summary>A manager serving its connections' messages to <paramref name="handler"/>.</summary>
    public OfConnectionManager(IOfMessageHandler handler, OfFailMode failMode = OfFailMode.Secure)
    {
        this.handler = handler;
        this.failMode = failMode;
        lastControllerMs = Environment.TickCount64;
        forwardNormally = ComputeForwardNormally(lastControllerMs);
        failOpenLoop = Task.Run(FailOpenLoopAsync);
    }

    /// <summary>A controller connection reached (or left) the connected state: the argument is <see cref="IsControllerConnected"/>.</summary>
    public event Action<bool>? ControllerConnectedChanged;

    /// <summary><see cref="ForwardNormally"/> changed: the argument is its new value.</summary>
    public event Action<bool>? ForwardNormallyChanged;

    /// <summary>A role request demoted a master to slave (OpenFlow 1.4 sends it OFPT_ROLE_STATUS, reason OFPCRR_MASTER_REQUEST).</summary>
    public event Action<OfConnection, OfControllerRole>? RoleChanged;

    /// <summary>The role state machine (generation id).</summary>
    public OfRoleElection Roles { get; } = new();

    /// <summary>The fail mode (changing it re-evaluates <see cref="ForwardNormally"/>).</summary>
    public OfFailMode FailMode
    {
        get => failMode;
        set
        {
            failMode = value;
            Reevaluate();
        }
    }

    /// <summary>
    /// How long the controllers must have been unreachable before a standalone bridge fails open; null (the
    /// default): three times the longest inactivity probe of the controller targets, as Open vSwitch (one probe
    /// interval idle, one for the probe's answer, one to reconnect).
    /// </summary>
    public TimeSpan? FailOpenDelay { get; set; }

    /// <summary>Whether any controller connection is connected (hello done).</summary>
    public bool IsControllerConnected => Volatile.Read(ref controllersConnected) > 0;

    /// <summary>Whether a controller target (active, or a passive one configured as controller) is configured.</summary>
    public bool HasControllers
    {
        get
        {
            lock (gate)
            {
                return remotes.Any(r => r.Kind == OfConnectionKind.Controller);
            }
        }
    }

    /// <summary>
    /// Whether the bridge should forward by itself as a learning switch (NORMAL): in standalone mode, when no
    /// controller is configured (Open vSwitch then installs priority=0,actions=NORMAL on every flush), or when
    /// the controllers have been unreachable for <see cref="FailOpenDelay"/> (fail-open; it ends as soon as one
    /// connects). Never in secure mode.
    /// </summary>
    public bool ForwardNormally
    {
        get
        {
            lock (gate)
            {
                return forwardNormally;
            }
        }
    }

    /// <summary>The configured targets.</summary>
    public IReadOnlyList<OfRemote> Remotes
    {
        get
        {
            lock (gate)
            {
                return [.. remotes];
            }
        }
    }

    /// <summary>Every open connection (snoops excluded).</summary>
    public IReadOnlyList<OfConnection> Connections => [.. connections.Values];

    /// <summary>
    /// Adds a target: active ones connect (and reconnect), passive ones listen. Throws
    /// <see cref="FormatException"/> for a bad target (one line), <see cref="ArgumentException"/> for an SSL
    /// target without files, and a socket error if a listener cannot bind.
    /// </summary>
    public OfRemote AddRemote(string target, OfRemoteOptions? options = null)
    {
        OfTarget parsed = OfTarget.Parse(target);
        options ??= new OfRemoteOptions();
        options.Connection.Validate();
        OfConnectionKind kind = options.Kind ?? (parsed.IsPassive ? OfConnectionKind.Service : OfConnectionKind.Controller);
        return Add(parsed, kind, options);
    }

    /// <summary>Adds a snoop listener (<c>punix:RUNDIR/BRIDGE.snoop</c>): its peers get a copy of every message to and from the controllers.</summary>
    public OfPassiveRemote AddSnoop(string target, OfConnectionOptions? options = null)
    {
        OfTarget parsed = OfTarget.Parse(target);
        if (!parsed.IsPassive)
        {
            throw new FormatException($"{target}: a snoop target must be passive (punix:, ptcp:)");
        }

        return (OfPassiveRemote)Add(parsed, OfConnectionKind.Snoop, new OfRemoteOptions { Connection = options ?? new OfConnectionOptions() });
    }

    /// <summary>Removes a target and closes its connections.</summary>
    public async Task RemoveRemoteAsync(OfRemote remote)
    {
        lock (gate)
        {
            remotes.Remove(remote);
        }

        await remote.DisposeAsync().ConfigureAwait(false);
        Reevaluate();
    }

    /// <summary>Applies a role request from <paramref name="connection"/> (null role: no change); throws OFPRRFC_STALE as <see cref="OfErrorException"/>.</summary>
    public OfRoleReply RequestRole(OfConnection connection, OfControllerRole? role, ulong? generationId)
    {
        var demoted = new List<OfConnection>();
        OfRoleReply reply = Roles.Request(connection, role, generationId, connections.Values, demoted);
        foreach (OfConnection c in demoted)
        {
            RoleChanged?.Invoke(c, OfControllerRole.Slave);
        }

        return reply;
    }

    /// <summary>
    /// Sends an asynchronous message to every connection that receives it (<see cref="OfConnection.ReceivesAsync"/>),
    /// encoded for each; returns how many took it.
    /// </summary>
    public int SendAsyncMessage(OfAsyncKind kind, int reason, OfMessage message)
    {
        int n = 0;
        foreach (OfConnection c in connections.Values)
        {
            if (c.SendAsyncMessage(kind, reason, message))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Stops every target and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await cts.CancelAsync().ConfigureAwait(false);
        foreach (OfRemote r in Remotes)
        {
            await r.DisposeAsync().ConfigureAwait(false);
        }

        lock (gate)
        {
            remotes.Clear();
        }

        try
        {
            await failOpenLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped as asked.
        }

        cts.Dispose();
    }

    void IOfConnectionObserver.OnActive(OfConnection connection)
    {
        if (connection.Kind == OfConnectionKind.Controller && Interlocked.Increment(ref controllersConnected) == 1)
        {
            ControllerConnectedChanged?.Invoke(true);
            Reevaluate();
        }
    }

    void IOfConnectionObserver.OnFrame(OfConnection connection, ReadOnlySpan<byte> frame, bool inbound)
    {
        if (snoops.IsEmpty)
        {
            return;
        }

        byte[] copy = frame.ToArray();
        foreach (OfConnection snoop in snoops.Values)
        {
            if (snoop.State == OfConnectionState.Active)
            {
                snoop.SendEncoded(copy, droppable: true);
            }
        }
    }

    void IOfConnectionObserver.OnClosed(OfConnection connection)
    {
        connections.TryRemove(connection.Id, out _);
        snoops.TryRemove(connection.Id, out _);
        if (connection.Kind == OfConnectionKind.Controller && connection.HasBeenActive)
        {
            Volatile.Write(ref lastControllerMs, Environment.TickCount64);
            if (Interlocked.Decrement(ref controllersConnected) == 0)
            {
                ControllerConnectedChanged?.Invoke(false);
                Reevaluate();
            }
        }
    }

    private OfRemote Add(OfTarget target, OfConnectionKind kind, OfRemoteOptions options)
    {
        OfConnection Open(Stream stream, EndPoint? remote, string name)
        {
            OfConnection c = OfConnection.Start(stream, handler, options.Connection, kind, name, remote, this);
            (kind == OfConnectionKind.Snoop ? snoops : connections)[c.Id] = c;
            return c;
        }

        OfRemote r = target.IsPassive
            ? new OfPassiveRemote(target, kind, options, Open)
            : new OfActiveRemote(target, kind, options, Open);
        lock (gate)
        {
            remotes.Add(r);
            if (kind == OfConnectionKind.Controller && !remotes.Any(x => x != r && x.Kind == OfConnectionKind.Controller))
            {
                // The failure duration counts from when the first controller was configured.
                Volatile.Write(ref lastControllerMs, Environment.TickCount64);
            }
        }

        Reevaluate();
        return r;
    }

    private TimeSpan EffectiveFailOpenDelay()
    {
        if (FailOpenDelay is { } d)
        {
            return d;
        }

        TimeSpan probe = TimeSpan.Zero;
        foreach (OfRemote r in remotes)
        {
            if (r.Kind == OfConnectionKind.Controller && r.Options.Connection.InactivityProbe > probe)
            {
                probe = r.Options.Connection.InactivityProbe;
            }
        }

        return probe == TimeSpan.Zero ? TimeSpan.FromSeconds(15) : probe * 3;
    }

    private bool ComputeForwardNormally(long nowMs)
    {
        if (failMode != OfFailMode.Standalone)
        {
            return false;
        }

        if (!remotes.Any(r => r.Kind == OfConnectionKind.Controller))
        {
            return true;
        }

        return Volatile.Read(ref controllersConnected) == 0
            && nowMs - Volatile.Read(ref lastControllerMs) >= (long)EffectiveFailOpenDelay().TotalMilliseconds;
    }

    private void Reevaluate()
    {
        bool changed;
        bool now;
        lock (gate)
        {
            now = ComputeForwardNormally(Environment.TickCount64);
            changed = now != forwardNormally;
            forwardNormally = now;
        }

        if (changed)
        {
            ForwardNormallyChanged?.Invoke(now);
        }
    }

    private async Task FailOpenLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await timer.WaitForNextTickAsync(cts.Token).ConfigureAwait(false))
        {
            Reevaluate();
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace FastPath.Connmgr;

/// <summary>
/// An active target (tcp:, ssl:, unix:): connects, serves the connection until it drops, waits the backoff
/// and connects again, until removed. Attempts run on their own task.
/// </summary>
public sealed class OfActiveRemote : OfRemote
{
    private int disposed;
    private readonly Func<Stream, EndPoint?, string, OfConnection> open;
    private readonly OfSsl? ssl;
    private readonly CancellationTokenSource cts = new();
    private readonly Task loop;
    private OfConnection? current;
    private int state = (int)OfActiveRemoteState.Backoff;
    private long attempts;
    private long connections;

    internal OfActiveRemote(OfTarget target, OfConnectionKind kind, OfRemoteOptions options, Func<Stream, EndPoint?, string, OfConnection> open)
        : base(target, kind, options)
    {
        this.open = open;
        ssl = target.IsSsl ? new OfSsl(options.Ssl ?? throw new ArgumentException($"{target}: SSL target without key, certificate and CA files")) : null;
        Backoff = new OfBackoff(options.MinBackoff, options.MaxBackoff);
        loop = Task.Run(RunAsync);
    }

    /// <summary>The backoff sequence (its <see cref="OfBackoff.Current"/> is the wait in force).</summary>
    public OfBackoff Backoff { get; }

    /// <summary>Where the target is.</summary>
    public OfActiveRemoteState State => (OfActiveRemoteState)Volatile.Read(ref state);

    /// <summary>Connection attempts made.</summary>
    public long Attempts => Interlocked.Read(ref attempts);

    /// <summary>Attempts that produced a connection (before the hello exchange).</summary>
    public long SuccessfulConnections => Interlocked.Read(ref connections);

    /// <summary>Why the last attempt or connection ended, or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>The connection in use, or null between connections.</summary>
    public OfConnection? Connection => Volatile.Read(ref current);

    /// <inheritdoc/>
    public override IReadOnlyList<OfConnection> Connections => Connection is { } c ? [c] : [];

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        // A remote is disposed by its owner and again by the manager that holds it: only the first counts.
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await cts.CancelAsync().ConfigureAwait(false);
        if (Connection is { } c)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is what was asked.
        }

        ssl?.Dispose();
        cts.Dispose();
    }

    private async Task RunAsync()
    {
        CancellationToken ct = cts.Token;
        while (!ct.IsCancellationRequested)
        {
            Volatile.Write(ref state, (int)OfActiveRemoteState.Connecting);
            Interlocked.Increment(ref attempts);
            TimeSpan connectedFor = TimeSpan.Zero;
            try
            {
                (Stream stream, EndPoint? remote) = await ConnectAsync(ct).ConfigureAwait(false);
                Interlocked.Increment(ref connections);
                long since = Environment.TickCount64;
                OfConnection c = open(stream, remote, Target.Text);
                Volatile.Write(ref current, c);
                Volatile.Write(ref state, (int)OfActiveRemoteState.Connected);
                await c.Completion.ConfigureAwait(false);
                LastError = c.CloseReason;
                Volatile.Write(ref current, null);
                connectedFor = TimeSpan.FromMilliseconds(Environment.TickCount64 - since);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or InvalidOperationException)
            {
                LastError = e.Message;
            }

            Volatile.Write(ref state, (int)OfActiveRemoteState.Backoff);
            try
            {
                await Task.Delay(Backoff.Next(connectedFor), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Volatile.Write(ref state, (int)OfActiveRemoteState.Stopped);
    }

    private async Task<(Stream Stream, EndPoint? Remote)> ConnectAsync(CancellationToken ct)
    {
        TimeSpan timeout = Options.ConnectTimeout ?? (Backoff.Current > TimeSpan.FromSeconds(1) ? Backoff.Current : TimeSpan.FromSeconds(1));
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(timeout);
        Socket socket;
        EndPoint endPoint;
        if (Target.Method == OfTargetMethod.Unix)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            endPoint = Target.UnixEndPoint;
        }
        else
        {
            IPAddress address = IPAddress.TryParse(Target.Host, out IPAddress? literal)
                ? literal
                : (await Dns.GetHostAddressesAsync(Target.Host!, attempt.Token).ConfigureAwait(false)).FirstOrDefault()
                  ?? throw new IOException($"{Target.Host}: no address");
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            endPoint = new IPEndPoint(address, Target.Port);
        }

        try
        {
            await socket.ConnectAsync(endPoint, attempt.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (ssl is not null)
            {
                stream = await ssl.ClientAsync(stream, Target.Host!, attempt.Token).ConfigureAwait(false);
            }

            return (stream, socket.RemoteEndPoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

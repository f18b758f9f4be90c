using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace FastPath.Connmgr;

/// <summary>
/// A listener (ptcp:, pssl:, punix:): every accepted peer becomes a connection of the listener's kind. A punix
/// socket file left by an earlier run is replaced, and the file is removed when the listener stops.
/// </summary>
public sealed class OfPassiveRemote : OfRemote
{
    private int disposed;
    private readonly Func<Stream, EndPoint?, string, OfConnection> open;
    private readonly OfSsl? ssl;
    private readonly Socket listener;
    private readonly CancellationTokenSource cts = new();
    private readonly ConcurrentDictionary<long, OfConnection> accepted = new();
    private readonly Task loop;
    private long acceptedCount;
    private long handshakeFailures;

    internal OfPassiveRemote(OfTarget target, OfConnectionKind kind, OfRemoteOptions options, Func<Stream, EndPoint?, string, OfConnection> open)
        : base(target, kind, options)
    {
        this.open = open;
        ssl = target.IsSsl ? new OfSsl(options.Ssl ?? throw new ArgumentException($"{target}: SSL target without key, certificate and CA files")) : null;
        if (target.Method == OfTargetMethod.PUnix)
        {
            if (File.Exists(target.Path))
            {
                File.Delete(target.Path!);
            }

            listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(target.UnixEndPoint);
        }
        else
        {
            listener = new Socket(target.ListenAddress!.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(new IPEndPoint(target.ListenAddress, target.Port));
        }

        listener.Listen(64);
        LocalEndPoint = listener.LocalEndPoint!;
        loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Where it listens (for ptcp:0, the port the system picked).</summary>
    public EndPoint LocalEndPoint { get; }

    /// <summary>The TCP port it listens on, or 0 for a Unix socket.</summary>
    public int Port => LocalEndPoint is IPEndPoint ip ? ip.Port : 0;

    /// <summary>Peers accepted so far.</summary>
    public long Accepted => Interlocked.Read(ref acceptedCount);

    /// <summary>Accepted peers whose TLS handshake failed.</summary>
    public long HandshakeFailures => Interlocked.Read(ref handshakeFailures);

    /// <inheritdoc/>
    public override IReadOnlyList<OfConnection> Connections => [.. accepted.Values];

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        // A remote is disposed by its owner and again by the manager that holds it: only the first counts.
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await cts.CancelAsync().ConfigureAwait(false);
        listener.Dispose();
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The listener was closed under the accept: that is how it stops.
        }

        foreach (OfConnection c in accepted.Values)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }

        if (Target.Method == OfTargetMethod.PUnix)
        {
            try
            {
                File.Delete(Target.Path!);
            }
            catch (IOException)
            {
                // Someone else's file now, or already gone.
            }
        }

        ssl?.Dispose();
        cts.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken ct = cts.Token;
        while (!ct.IsCancellationRequested)
        {
            Socket peer;
            try
            {
                peer = await listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (SocketException) when (!ct.IsCancellationRequested)
            {
                continue;
            }

            Interlocked.Increment(ref acceptedCount);
            if (peer.AddressFamily != AddressFamily.Unix)
            {
                peer.NoDelay = true;
            }

            _ = ServeAsync(peer, ct);
        }
    }

    private async Task ServeAsync(Socket peer, CancellationToken ct)
    {
        EndPoint? remote = peer.RemoteEndPoint;
        Stream stream = new NetworkStream(peer, ownsSocket: true);
        if (ssl is not null)
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(ct);
            handshake.CancelAfter(Options.Connection.HelloTimeout);
            try
            {
                stream = await ssl.ServerAsync(stream, handshake.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                Interlocked.Increment(ref handshakeFailures);
                await stream.DisposeAsync().ConfigureAwait(false);
                return;
            }
        }

        string name = remote is IPEndPoint ip ? $"{Target.Text} from {ip}" : $"{Target.Text} #{Accepted}";
        OfConnection c = open(stream, remote, name);
        accepted[c.Id] = c;
        try
        {
            await c.Completion.ConfigureAwait(false);
        }
        finally
        {
            accepted.TryRemove(c.Id, out _);
        }
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FastPath.Ovsdb.Rpc;

/// <summary>An active OVSDB connection method, as Open vSwitch's tools write it: <c>unix:PATH</c> or
/// <c>tcp:IP:PORT</c> (an IPv6 address in brackets: <c>tcp:[::1]:6640</c>).</summary>
public sealed record OvsdbTarget
{
    private OvsdbTarget(string text, string? path, IPEndPoint? endPoint)
    {
        Text = text;
        UnixPath = path;
        EndPoint = endPoint;
    }

    /// <summary>The target as written.</summary>
    public string Text { get; }

    /// <summary>The socket path of a <c>unix:</c> target.</summary>
    public string? UnixPath { get; }

    /// <summary>The address of a <c>tcp:</c> target.</summary>
    public IPEndPoint? EndPoint { get; }

    /// <summary>Parses a target; a clear <see cref="FormatException"/> otherwise.</summary>
    public static OvsdbTarget Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith("unix:", StringComparison.Ordinal) && text.Length > 5)
        {
            return new OvsdbTarget(text, text[5..], null);
        }

        if (text.StartsWith("tcp:", StringComparison.Ordinal))
        {
            string rest = text[4..];
            int colon = rest.LastIndexOf(':');
            if (colon > 0 && ushort.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out ushort port) && port != 0)
            {
                string host = rest[..colon];
                if (host.StartsWith('[') && host.EndsWith(']'))
                {
                    host = host[1..^1];
                }

                if (IPAddress.TryParse(host, out IPAddress? ip))
                {
                    return new OvsdbTarget(text, null, new IPEndPoint(ip, port));
                }
            }

            throw new FormatException($"\"{text}\": a tcp target is tcp:IP:PORT");
        }

        throw new FormatException($"\"{text}\" is not an OVSDB target (unix:PATH or tcp:IP:PORT)");
    }

    /// <summary>Connects, giving up after <paramref name="timeout"/>.</summary>
    public async Task<Stream> ConnectAsync(TimeSpan timeout, CancellationToken ct)
    {
        Socket socket = UnixPath is not null
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(EndPoint!.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            EndPoint ep = UnixPath is not null ? new UnixDomainSocketEndPoint(UnixPath) : EndPoint!;
            await socket.ConnectAsync(ep, cts.Token).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new OvsdbConnectionException($"{Text}: connection timed out after {timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new OvsdbConnectionException($"{Text}: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}

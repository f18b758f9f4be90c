using System.Net.Sockets;
using System.Text;

namespace FastPath.Unixctl.Tests;

/// <summary>Sends raw bytes to a unixctl socket and reads what comes back, for what ovs-appctl never sends.</summary>
public sealed class RawClient : IDisposable
{
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
    {
        ReceiveTimeout = 10_000,
        SendTimeout = 10_000,
    };

    /// <summary>Connects to <paramref name="path"/>.</summary>
    public RawClient(string path) => socket.Connect(new UnixDomainSocketEndPoint(path));

    /// <summary>Sends <paramref name="text"/> and returns the reply's text, or null if the server closed the connection.</summary>
    public string? Exchange(string text)
    {
        socket.Send(Encoding.UTF8.GetBytes(text));
        var sb = new StringBuilder();
        byte[] buf = new byte[65536];
        while (true)
        {
            int n = socket.Receive(buf);
            if (n == 0)
            {
                return sb.Length == 0 ? null : sb.ToString();
            }

            sb.Append(Encoding.UTF8.GetString(buf, 0, n));
            if (JsonFraming.ValueEnd(Encoding.UTF8.GetBytes(sb.ToString())) > 0)
            {
                return sb.ToString();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => socket.Dispose();
}

using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>
/// A client of Open vSwitch's unixctl protocol (what <c>ovs-appctl</c> speaks): JSON-RPC 1.0 requests
/// <c>{"method":M,"params":[strings],"id":N}</c> on a Unix socket, answered by <c>{"id":N,"result":TEXT,
/// "error":null}</c> or an <c>error</c> text. One connection serves any number of commands, so a trace costs
/// a round trip instead of starting an ovs-appctl process (about 100 ms on this busy machine).
/// </summary>
public sealed class OvsUnixctlClient : IDisposable
{
    private readonly Socket socket;
    private readonly string path;
    private readonly byte[] buffer = new byte[64 * 1024];
    private readonly MemoryStream pending = new();
    private int nextId;

    /// <summary>Connects to the unixctl socket at <paramref name="path"/>.</summary>
    public OvsUnixctlClient(string path, TimeSpan timeout)
    {
        this.path = path;
        socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            ReceiveTimeout = (int)timeout.TotalMilliseconds,
            SendTimeout = (int)timeout.TotalMilliseconds,
        };
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new OvsHarnessException($"cannot connect to {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Runs one command and returns its text; an error reply throws an <see cref="OvsHarnessException"/>
    /// with the daemon's message, as <c>ovs-appctl</c> would print it.
    /// </summary>
    public string Call(string method, params string[] args)
    {
        int id = nextId++;
        byte[] request = Request(method, args, id);
        try
        {
            socket.Send(request);
            using JsonDocument reply = JsonDocument.Parse(ReadMessage());
            JsonElement root = reply.RootElement;
            if (root.TryGetProperty("id", out JsonElement rid) && rid.ValueKind == JsonValueKind.Number && rid.GetInt32() != id)
            {
                throw new OvsHarnessException($"unixctl reply id {rid} does not answer request {id}");
            }

            if (root.TryGetProperty("error", out JsonElement err) && err.ValueKind != JsonValueKind.Null)
            {
                throw new OvsHarnessException($"{method} failed: {(err.ValueKind == JsonValueKind.String ? err.GetString() : err.ToString())?.Trim()}");
            }

            return root.GetProperty("result").GetString() ?? "";
        }
        catch (SocketException e)
        {
            throw new OvsHarnessException($"unixctl {method} on {path}: {e.Message}", e);
        }
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose()
    {
        socket.Dispose();
        pending.Dispose();
    }

    /// <summary>Reads until one complete JSON object has arrived (JSON-RPC over a stream has no other framing).</summary>
    private byte[] ReadMessage()
    {
        while (true)
        {
            int end = ObjectEnd(pending.GetBuffer().AsSpan(0, (int)pending.Length));
            if (end > 0)
            {
                byte[] all = pending.ToArray();
                pending.SetLength(0);
                pending.Write(all, end, all.Length - end);
                return all[..end];
            }

            int n = socket.Receive(buffer);
            if (n == 0)
            {
                throw new OvsHarnessException($"{path} closed the connection" + (pending.Length > 0 ? ": " + Encoding.UTF8.GetString(pending.ToArray()) : ""));
            }

            pending.Write(buffer, 0, n);
        }
    }

    /// <summary>The length of the first complete top-level JSON object in <paramref name="data"/>, or 0.</summary>
    private static int ObjectEnd(ReadOnlySpan<byte> data)
    {
        int depth = 0;
        bool inString = false, escaped = false;
        for (int i = 0; i < data.Length; i++)
        {
            byte c = data[i];
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is (byte)'{' or (byte)'[')
            {
                depth++;
            }
            else if (c is (byte)'}' or (byte)']' && --depth == 0)
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static byte[] Request(string method, string[] args, int id)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("method", method);
            w.WriteStartArray("params");
            foreach (string a in args)
            {
                w.WriteStringValue(a);
            }

            w.WriteEndArray();
            w.WriteNumber("id", id);
            w.WriteEndObject();
        }

        return ms.ToArray();
    }
}

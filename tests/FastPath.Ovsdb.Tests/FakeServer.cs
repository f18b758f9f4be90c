using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace FastPath.Ovsdb.Tests;

/// <summary>A scripted peer on a Unix socket, for replies and notifications no real server sends: it reads our
/// messages and writes whatever bytes a test gives it.</summary>
internal sealed class FakeServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _dir;
    private readonly List<byte> _pending = new();
    private Socket? _peer;

    public FakeServer()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fpfs-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(_dir);
        Path_ = Path.Combine(_dir, "s");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path_));
        _listener.Listen(1);
    }

    public string Path_ { get; }

    public string Target => "unix:" + Path_;

    /// <summary>Connects a client and accepts it.</summary>
    public async Task<OvsdbClient> ConnectAsync(Rpc.JsonRpcOptions? rpc = null)
    {
        Task<Socket> accept = _listener.AcceptAsync();
        OvsdbClient client = await OvsdbClient.ConnectAsync(Target, new OvsdbClientOptions { Rpc = rpc ?? new Rpc.JsonRpcOptions { InactivityProbe = TimeSpan.Zero } });
        _peer = await accept.WaitAsync(TimeSpan.FromSeconds(5));
        return client;
    }

    public async Task SendAsync(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        await _peer!.SendAsync(bytes);
    }

    /// <summary>Sends one byte at a time.</summary>
    public async Task TrickleAsync(string text)
    {
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            await _peer!.SendAsync(new[] { b });
            await Task.Delay(1);
        }
    }

    public void CloseOutput() => _peer!.Shutdown(SocketShutdown.Send);

    /// <summary>Reads the next message the client sent (a JSON object), within 5 s.</summary>
    public async Task<JsonElement> ReadAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[4096];
        while (true)
        {
            if (TryTake(out JsonElement message))
            {
                return message;
            }

            int n = await _peer!.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            if (n == 0)
            {
                throw new EndOfStreamException("the client closed the connection");
            }

            _pending.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>True when the client closed the connection (EOF) within 5 s.</summary>
    public async Task<bool> SeesCloseAsync()
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            while (await _peer!.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _peer?.Dispose();
        _listener.Dispose();
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    private bool TryTake(out JsonElement message)
    {
        byte[] bytes = _pending.ToArray();
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, default);
        message = default;
        try
        {
            if (!reader.Read() || !reader.TrySkip() || reader.TokenType != JsonTokenType.EndObject)
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        int end = (int)reader.BytesConsumed;
        using var doc = JsonDocument.Parse(bytes.AsMemory(0, end));
        message = doc.RootElement.Clone();
        _pending.RemoveRange(0, end);
        return true;
    }
}

using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastPath.Unixctl;

/// <summary>
/// The unixctl server <c>ovs-appctl</c> talks to (Open vSwitch's lib/unixctl.c): JSON-RPC 1.0 over a Unix
/// socket, a request <c>{"method":M,"params":[strings],"id":ID}</c> answered by <c>{"id":ID,"result":TEXT,
/// "error":null}</c> or <c>{"id":ID,"error":TEXT}</c>, with Open vSwitch's messages for an unknown command and
/// for a wrong number or kind of arguments. It owns the pidfile (<c>RUNDIR/ovs-vswitchd.pid</c>) and the
/// socket (<c>RUNDIR/ovs-vswitchd.PID.ctl</c>), so <c>OVS_RUNDIR=RUNDIR ovs-appctl CMD</c> and
/// <c>ovs-appctl -t SOCKET CMD</c> both reach it; it refuses to start on a run directory a live daemon holds.
/// </summary>
/// <remarks>
/// Commands are registered at any time (<see cref="Register(string, string?, int, int, UnixctlHandler)"/>);
/// <c>list-commands</c> and <c>version</c> are built in, <c>exit</c> comes with <see cref="RegisterExit"/>.
/// Each connection runs its requests one after another; connections run at once, so handlers must be safe to
/// call concurrently (those that touch a bridge go through its ofproto thread). Anything that is not a valid
/// request (not JSON, a notification, a reply, no params) closes that connection, as Open vSwitch does.
/// </remarks>
public sealed class UnixctlServer : IAsyncDisposable
{
    private static readonly System.Text.Json.JsonWriterOptions WriterOptions = new()
    {
        // Open vSwitch escapes only what JSON requires; ovs-appctl reads either form, this one matches byte for byte.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly SortedDictionary<string, UnixctlCommand> commands = new(StringComparer.Ordinal);
    private readonly Lock commandsGate = new();
    private readonly UnixctlServerOptions options;
    private readonly ILogger logger;
    private readonly Socket listener;
    private readonly Pidfile? pidfile;
    private readonly CancellationTokenSource stopping = new();
    private readonly SemaphoreSlim connectionSlots;
    private readonly HashSet<Task> connections = [];
    private readonly Lock connectionsGate = new();
    private readonly HashSet<Socket> openSockets = [];
    private Task acceptLoop = Task.CompletedTask;
    private int disposed;

    private UnixctlServer(UnixctlServerOptions options, ILogger logger, string runDirectory, string socketPath, Pidfile? pidfile, Socket listener)
    {
        this.options = options;
        this.logger = logger;
        RunDirectory = runDirectory;
        SocketPath = socketPath;
        this.pidfile = pidfile;
        this.listener = listener;
        connectionSlots = new SemaphoreSlim(options.MaxConnections, options.MaxConnections);
        Register("list-commands", "", 0, 0, _ => UnixctlReply.Ok(ListCommands()));
        Register("version", "", 0, 0, _ => UnixctlReply.Ok(options.VersionText));
    }

    /// <summary>The run directory.</summary>
    public string RunDirectory { get; }

    /// <summary>The control socket's path (what <c>ovs-appctl -t</c> takes).</summary>
    public string SocketPath { get; }

    /// <summary>The pidfile's path, or null when started without one.</summary>
    public string? PidfilePath => pidfile?.Path;

    /// <summary>
    /// Creates the run directory if needed, takes the pidfile (throwing <see cref="UnixctlException"/> with
    /// "already running as pid N" when a live daemon holds it; a stale one is replaced), removes control sockets
    /// of daemons that are gone, binds the socket and starts accepting.
    /// </summary>
    public static UnixctlServer Start(UnixctlServerOptions? options = null, ILogger? logger = null)
    {
        options ??= new UnixctlServerOptions();
        logger ??= NullLogger.Instance;
        string dir = Path.GetFullPath(options.RunDirectory ?? FastPath.Unixctl.RunDirectory.Resolve());
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UnixctlException($"{dir}: cannot create run directory: {e.Message}", e);
        }

        Pidfile? pidfile = options.UsePidfile ? Pidfile.Create(FastPath.Unixctl.RunDirectory.PidfilePath(dir, options.ProgramName)) : null;
        try
        {
            RemoveStaleSockets(dir, options.ProgramName, logger);
            string socketPath = Path.GetFullPath(options.SocketPath ?? FastPath.Unixctl.RunDirectory.ControlSocketPath(dir, options.ProgramName, Environment.ProcessId));
            if (Encoding.UTF8.GetByteCount(socketPath) > 107)
            {
                throw new UnixctlException($"{socketPath}: path too long for a Unix socket (at most 107 bytes)");
            }

            Socket listener = Bind(socketPath);
            var server = new UnixctlServer(options, logger, dir, socketPath, pidfile, listener);
            server.acceptLoop = Task.Run(server.AcceptLoop);
            return server;
        }
        catch
        {
            pidfile?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Registers <paramref name="name"/> (replacing a command of that name): <paramref name="usage"/> is what
    /// <c>list-commands</c> shows (null hides it), and a request with fewer than <paramref name="minArgs"/> or
    /// more than <paramref name="maxArgs"/> arguments is refused with Open vSwitch's message before the handler runs.
    /// </summary>
    public void Register(string name, string? usage, int minArgs, int maxArgs, UnixctlHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfNegative(minArgs);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxArgs, minArgs);
        lock (commandsGate)
        {
            commands[name] = new UnixctlCommand(name, usage, minArgs, maxArgs, handler);
        }
    }

    /// <summary>Registers a synchronous command (see <see cref="Register(string, string?, int, int, UnixctlHandler)"/>).</summary>
    public void Register(string name, string? usage, int minArgs, int maxArgs, Func<IReadOnlyList<string>, UnixctlReply> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Register(name, usage, minArgs, maxArgs, (args, _) => Task.FromResult(handler(args)));
    }

    /// <summary>Removes a command; false if there was none of that name.</summary>
    public bool Unregister(string name)
    {
        lock (commandsGate)
        {
            return commands.Remove(name);
        }
    }

    /// <summary>The registered commands, by name.</summary>
    public IReadOnlyList<UnixctlCommand> Commands
    {
        get
        {
            lock (commandsGate)
            {
                return [.. commands.Values];
            }
        }
    }

    /// <summary>
    /// Registers ovs-vswitchd's <c>exit [--cleanup]</c>: <paramref name="onExit"/> gets whether <c>--cleanup</c>
    /// was given (any other argument is ignored, as in Open vSwitch) and the reply goes when its task completes, so
    /// <c>ovs-appctl exit</c> returns once the host has done what it must. The task must not wait for this
    /// server's disposal (dispose waits at most 5 s for a reply in flight).
    /// </summary>
    public void RegisterExit(Func<bool, Task> onExit)
    {
        ArgumentNullException.ThrowIfNull(onExit);
        Register("exit", "[--cleanup]", 0, 1, async (args, _) =>
        {
            await onExit(args.Count == 1 && args[0] == "--cleanup").ConfigureAwait(false);
            return UnixctlReply.Ok();
        });
    }

    /// <summary>
    /// Runs a command as if it had arrived on the socket (the same checks and messages), for in-process callers.
    /// </summary>
    public async Task<UnixctlReply> ExecuteAsync(string method, IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(args);
        UnixctlCommand? command;
        lock (commandsGate)
        {
            commands.TryGetValue(method, out command);
        }

        if (command is null)
        {
            return UnixctlReply.Error($"\"{method}\" is not a valid command (use \"list-commands\" to see a list of valid commands)");
        }

        if (args.Count < command.MinArgs)
        {
            return UnixctlReply.Error(FormattableString.Invariant($"\"{method}\" command requires at least {command.MinArgs} arguments"));
        }

        if (args.Count > command.MaxArgs)
        {
            return UnixctlReply.Error(FormattableString.Invariant($"\"{method}\" command takes at most {command.MaxArgs} arguments"));
        }

        try
        {
            return await command.Handler(args, cancellationToken).ConfigureAwait(false);
        }
        catch (UnixctlException e)
        {
            return UnixctlReply.Error(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "unixctl command {Method} failed", method);
            return UnixctlReply.Error($"{method}: internal error: {e.Message}");
        }
    }

    /// <summary>What <c>list-commands</c> prints: every command with a usage, sorted, as Open vSwitch lays it out.</summary>
    public string ListCommands()
    {
        var sb = new StringBuilder("The available commands are:\n");
        foreach (UnixctlCommand c in Commands)
        {
            if (c.Usage is not null)
            {
                sb.Append("  ").Append(c.Name.PadRight(23)).Append(' ').Append(c.Usage).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Stops accepting, lets a command in flight answer (at most 5 s), closes every connection, deletes the
    /// socket and releases the pidfile.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Dispose();
        Task[] running;
        lock (connectionsGate)
        {
            running = [acceptLoop, .. connections];
        }

        await Task.WhenAny(Task.WhenAll(running), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        lock (connectionsGate)
        {
            foreach (Socket s in openSockets)
            {
                s.Dispose();
            }
        }

        try
        {
            File.Delete(SocketPath);
        }
        catch (IOException)
        {
            // Already gone: nothing to clean.
        }

        pidfile?.Dispose();
        stopping.Dispose();
    }

    private static Socket Bind(string path)
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            // A socket file left at our own path (a crash of a process that had our pid, or a restart in-process)
            // would make bind fail; nothing can be listening on it, since the pidfile is ours.
            File.Delete(path);
            s.Bind(new UnixDomainSocketEndPoint(path));
            s.Listen(16);
            return s;
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            s.Dispose();
            throw new UnixctlException($"{path}: cannot listen: {e.Message}", e);
        }
    }

    /// <summary>Deletes <c>PROGRAM.PID.ctl</c> files whose process no longer exists (a daemon that died without cleaning up).</summary>
    private static void RemoveStaleSockets(string dir, string program, ILogger logger)
    {
        foreach (string file in Directory.EnumerateFiles(dir, program + ".*.ctl"))
        {
            string middle = Path.GetFileName(file)[(program.Length + 1)..^4];
            if (int.TryParse(middle, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && pid != Environment.ProcessId && !Directory.Exists("/proc/" + middle))
            {
                try
                {
                    File.Delete(file);
                    logger.LogInformation("removed stale control socket {Path}", file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning("cannot remove stale control socket {Path}: {Error}", file, e.Message);
                }
            }
        }
    }

    private async Task AcceptLoop()
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await connectionSlots.WaitAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                connectionSlots.Release();
                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                logger.LogWarning("unixctl accept on {Path} failed: {Error}", SocketPath, e.Message);
                continue;
            }

            lock (connectionsGate)
            {
                openSockets.Add(client);
                Task t = Task.Run(() => Serve(client));
                connections.Add(t);
                _ = t.ContinueWith(
                    done =>
                    {
                        lock (connectionsGate)
                        {
                            connections.Remove(done);
                            openSockets.Remove(client);
                        }

                        client.Dispose();
                        connectionSlots.Release();
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
    }

    private async Task Serve(Socket client)
    {
        // ovs-appctl opens a connection per command, and a benchmark asks several between its windows: the receive
        // buffer is rented, so a command costs its own work and not a fresh 16 KiB each time.
        var pending = new MemoryStream();
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                int end;
                while ((end = JsonFraming.ValueEnd(pending.GetBuffer().AsSpan(0, (int)pending.Length))) == 0)
                {
                    if (pending.Length > options.MaxRequestBytes)
                    {
                        logger.LogWarning("unixctl: closing a connection whose request exceeds {Limit} bytes", options.MaxRequestBytes);
                        return;
                    }

                    int n = await client.ReceiveAsync(buffer, SocketFlags.None, stopping.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return;
                    }

                    pending.Write(buffer, 0, n);
                }

                if (end < 0)
                {
                    logger.LogWarning("unixctl: closing a connection that sent something other than JSON");
                    return;
                }

                byte[] message = pending.GetBuffer().AsSpan(0, end).ToArray();
                byte[] rest = pending.GetBuffer().AsSpan(end, (int)pending.Length - end).ToArray();
                pending.SetLength(0);
                pending.Write(rest);

                byte[]? reply = await Process(message).ConfigureAwait(false);
                if (reply is null)
                {
                    return;
                }

                int sent = 0;
                while (sent < reply.Length)
                {
                    sent += await client.SendAsync(reply.AsMemory(sent), SocketFlags.None, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The peer went away, or the server is stopping: the connection ends.
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The reply to one message, or null when the message is not a request (the connection then closes).</summary>
    private async Task<byte[]?> Process(byte[] message)
    {
        System.Text.Json.JsonDocument doc;
        try
        {
            doc = System.Text.Json.JsonDocument.Parse(message);
        }
        catch (System.Text.Json.JsonException e)
        {
            logger.LogWarning("unixctl: closing a connection after invalid JSON: {Error}", e.Message);
            return null;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object
                || !root.TryGetProperty("method", out var method) || method.ValueKind != System.Text.Json.JsonValueKind.String
                || !root.TryGetProperty("params", out var parameters) || parameters.ValueKind != System.Text.Json.JsonValueKind.Array
                || !root.TryGetProperty("id", out var id) || id.ValueKind == System.Text.Json.JsonValueKind.Null)
            {
                logger.LogWarning("unixctl: closing a connection that sent a message other than a request");
                return null;
            }

            string name = method.GetString()!;
            var args = new List<string>();
            bool allStrings = true;
            foreach (var p in parameters.EnumerateArray())
            {
                if (p.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    args.Add(p.GetString()!);
                }
                else
                {
                    allStrings = false;
                    args.Add("");
                }
            }

            UnixctlReply reply = await ExecuteAsync(name, args, allStrings, stopping.Token).ConfigureAwait(false);
            logger.LogDebug("unixctl: {Method} answered {Kind}", name, reply.IsError ? "error" : "result");
            return Encode(id, reply);
        }
    }

    private Task<UnixctlReply> ExecuteAsync(string method, List<string> args, bool allStrings, CancellationToken cancellationToken)
    {
        if (!allStrings)
        {
            // Open vSwitch checks the counts first, then the kinds.
            UnixctlCommand? command;
            lock (commandsGate)
            {
                commands.TryGetValue(method, out command);
            }

            if (command is not null && args.Count >= command.MinArgs && args.Count <= command.MaxArgs)
            {
                return Task.FromResult(UnixctlReply.Error($"\"{method}\" command has non-string argument"));
            }
        }

        return ExecuteAsync(method, args, cancellationToken);
    }

    // One writer and buffer per thread, reused: a writer over a fresh MemoryStream grew its buffers from nothing for
    // every reply (escaping a reply reserves six bytes per character), about 5 KB of garbage per command.
    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_replyBuffer;
    [ThreadStatic]
    private static System.Text.Json.Utf8JsonWriter? t_replyWriter;

    private static byte[] Encode(System.Text.Json.JsonElement id, UnixctlReply reply)
    {
        System.Buffers.ArrayBufferWriter<byte> buffer = t_replyBuffer ??= new System.Buffers.ArrayBufferWriter<byte>(4096);
        System.Text.Json.Utf8JsonWriter w = t_replyWriter ??= new System.Text.Json.Utf8JsonWriter(buffer, WriterOptions);
        buffer.ResetWrittenCount();
        w.Reset(buffer);
        try
        {
            w.WriteStartObject();
            w.WritePropertyName("id");
            id.WriteTo(w);
            if (reply.IsError)
            {
                w.WriteString("error", reply.WireText);
            }
            else
            {
                w.WriteString("result", reply.WireText);
                w.WriteNull("error");
            }

            w.WriteEndObject();
            w.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            // A huge reply (a dump of many flows) must not pin its buffer to the thread for good.
            if (buffer.Capacity > 64 * 1024)
            {
                t_replyBuffer = null;
                t_replyWriter = null;
            }
        }
    }
}

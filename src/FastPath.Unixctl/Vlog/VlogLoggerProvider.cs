using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace FastPath.Unixctl.Vlog;

/// <summary>
/// A Microsoft.Extensions.Logging provider that writes as Open vSwitch's vlog does: each category's module and
/// that module's level per destination (<see cref="VlogModules"/>) decide where a message goes, and every line
/// has Open vSwitch's default layout (<c>2026-11-25T20:59:36.123Z|00001|dpif_netdev|INFO|text</c> in the file,
/// without milliseconds on the console, <c>ovs|00001|...</c> after the syslog header). Levels are read on every
/// call, so <c>vlog/set</c> takes effect at once.
/// </summary>
/// <remarks>Logging is never on the packet path; lines are written under one lock, in sequence-number order.</remarks>
public sealed class VlogLoggerProvider : ILoggerProvider
{
    private readonly Lock gate = new();
    private readonly TextWriter console;
    private readonly string programName;
    private StreamWriter? file;
    private Socket? syslog;
    private bool syslogTried;
    private long sequence;
    private bool disposed;

    /// <summary>
    /// A provider over <paramref name="modules"/>, writing the console destination to <paramref name="console"/>
    /// (standard error when null) and the file destination to <paramref name="logFile"/> (none when null).
    /// </summary>
    public VlogLoggerProvider(VlogModules modules, string? logFile = null, TextWriter? console = null, string programName = "ovs-vswitchd")
    {
        Modules = modules ?? throw new ArgumentNullException(nameof(modules));
        this.console = console ?? Console.Error;
        this.programName = programName;
        LogFile = logFile;
        if (logFile is not null)
        {
            Reopen();
        }
    }

    /// <summary>The modules and their levels.</summary>
    public VlogModules Modules { get; }

    /// <summary>The log file's path, or null without one.</summary>
    public string? LogFile { get; private set; }

    /// <summary>Lines dropped because a destination failed (an unwritable file, no syslog socket).</summary>
    public long DroppedLines { get; private set; }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new VlogLogger(this, Modules.ModuleOf(categoryName ?? ""));

    /// <summary>
    /// Closes and opens the log file again (<c>vlog/reopen</c>, after logrotate moved it); throws
    /// <see cref="UnixctlException"/> when there is no log file or it cannot be opened.
    /// </summary>
    public void Reopen()
    {
        string path = LogFile ?? throw new UnixctlException("Logging to file not configured");
        lock (gate)
        {
            file?.Dispose();
            file = null;
            try
            {
                var fs = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                file = new StreamWriter(fs, new UTF8Encoding(false)) { AutoFlush = true };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UnixctlException($"{path}: cannot open log file: {e.Message}", e);
            }
        }
    }

    /// <summary>Closes the log file (<c>vlog/close</c>); file lines are dropped until <see cref="Reopen"/>.</summary>
    public void Close()
    {
        lock (gate)
        {
            file?.Dispose();
            file = null;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            file?.Dispose();
            file = null;
            syslog?.Dispose();
            syslog = null;
        }
    }

    internal void Write(VlogModule module, VlogLevel level, string message)
    {
        DateTime now = DateTime.UtcNow;
        string thread = Thread.CurrentThread.Name is { Length: > 0 } n && !n.StartsWith(".NET", StringComparison.Ordinal) ? "(" + n + ")" : "";
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            string body = string.Create(
                CultureInfo.InvariantCulture,
                $"{++sequence:D5}|{module.Name}{thread}|{VlogNames.Name(level)}|{message}");
            if (module.Enabled(VlogDestination.Console, level))
            {
                console.WriteLine(now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + "|" + body);
                console.Flush();
            }

            if (module.Enabled(VlogDestination.File, level))
            {
                if (file is null)
                {
                    DroppedLines++;
                }
                else
                {
                    file.WriteLine(now.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) + "|" + body);
                }
            }

            if (module.Enabled(VlogDestination.Syslog, level))
            {
                Syslog(now, level, body);
            }
        }
    }

    private void Syslog(DateTime now, VlogLevel level, string body)
    {
        if (!syslogTried)
        {
            syslogTried = true;
            try
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                s.Connect(new UnixDomainSocketEndPoint("/dev/log"));
                syslog = s;
            }
            catch (SocketException)
            {
                syslog = null;
            }
        }

        if (syslog is null)
        {
            DroppedLines++;
            return;
        }

        // Facility daemon (3); severities as Open vSwitch maps its levels onto syslog's.
        int severity = level switch { VlogLevel.Emer => 1, VlogLevel.Err => 3, VlogLevel.Warn => 4, VlogLevel.Info => 5, _ => 7 };
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"<{(3 * 8) + severity}>{now.ToLocalTime().ToString("MMM", CultureInfo.InvariantCulture)} {now.ToLocalTime().Day,2} {now.ToLocalTime():HH:mm:ss} {programName}[{Environment.ProcessId}]: ovs|{body}");
        try
        {
            syslog.Send(Encoding.UTF8.GetBytes(line));
        }
        catch (SocketException)
        {
            DroppedLines++;
        }
    }
}

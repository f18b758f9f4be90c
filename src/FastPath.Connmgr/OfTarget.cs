using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FastPath.Connmgr;

/// <summary>
/// A connection target in Open vSwitch's syntax: active <c>tcp:IP[:PORT]</c>, <c>ssl:IP[:PORT]</c>,
/// <c>unix:PATH</c>; passive <c>ptcp:[PORT][:IP]</c>, <c>pssl:[PORT][:IP]</c>, <c>punix:PATH</c>. The port
/// defaults to 6653 (ptcp:0 picks a free one); IPv6 addresses go in brackets (<c>tcp:[::1]:6653</c>). Active
/// targets may name a host, resolved at each connection attempt.
/// </summary>
public sealed record OfTarget
{
    /// <summary>OpenFlow's IANA port.</summary>
    public const int DefaultPort = 6653;

    private OfTarget(string text, OfTargetMethod method)
    {
        Text = text;
        Method = method;
    }

    /// <summary>The target as written.</summary>
    public string Text { get; }

    /// <summary>The connection method.</summary>
    public OfTargetMethod Method { get; }

    /// <summary>The host to connect to (active TCP/SSL), or null.</summary>
    public string? Host { get; private init; }

    /// <summary>The address to listen on (passive TCP/SSL; any address when the target names none), or null.</summary>
    public IPAddress? ListenAddress { get; private init; }

    /// <summary>The TCP port.</summary>
    public int Port { get; private init; }

    /// <summary>The Unix socket's path, or null.</summary>
    public string? Path { get; private init; }

    /// <summary>Whether the target listens (ptcp, pssl, punix).</summary>
    public bool IsPassive => Method is OfTargetMethod.PTcp or OfTargetMethod.PSsl or OfTargetMethod.PUnix;

    /// <summary>Whether the target uses TLS.</summary>
    public bool IsSsl => Method is OfTargetMethod.Ssl or OfTargetMethod.PSsl;

    /// <summary>Parses <paramref name="text"/>; a bad target throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static OfTarget Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw Bad(text, "missing connection method (tcp:, ssl:, unix:, ptcp:, pssl:, punix:)");
        }

        string rest = text[(colon + 1)..];
        OfTargetMethod method = text[..colon] switch
        {
            "tcp" => OfTargetMethod.Tcp,
            "ssl" => OfTargetMethod.Ssl,
            "unix" => OfTargetMethod.Unix,
            "ptcp" => OfTargetMethod.PTcp,
            "pssl" => OfTargetMethod.PSsl,
            "punix" => OfTargetMethod.PUnix,
            _ => throw Bad(text, $"unknown connection method \"{text[..colon]}\""),
        };
        var target = new OfTarget(text, method);
        switch (method)
        {
            case OfTargetMethod.Unix:
            case OfTargetMethod.PUnix:
                if (rest.Length == 0)
                {
                    throw Bad(text, "missing socket path");
                }

                return target with { Path = rest };
            case OfTargetMethod.Tcp:
            case OfTargetMethod.Ssl:
                (string host, string? port) = SplitHostPort(text, rest);
                if (host.Length == 0)
                {
                    throw Bad(text, "missing host");
                }

                return target with { Host = host, Port = ParsePort(text, port, allowZero: false) };
            default:
                (string listenPort, string? address) = SplitPortHost(text, rest);
                IPAddress listen = IPAddress.Any;
                if (address is { Length: > 0 } && !IPAddress.TryParse(address, out listen!))
                {
                    throw Bad(text, $"\"{address}\" is not an IP address");
                }

                return target with { ListenAddress = listen, Port = ParsePort(text, listenPort.Length == 0 ? null : listenPort, allowZero: true) };
        }
    }

    /// <summary>Whether <paramref name="text"/> parses; <paramref name="error"/> is the reason when not.</summary>
    public static bool TryParse(string text, out OfTarget? target, out string? error)
    {
        try
        {
            target = Parse(text);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            target = null;
            error = e.Message;
            return false;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    /// <summary>The endpoint an active Unix target connects to or a passive one binds.</summary>
    internal UnixDomainSocketEndPoint UnixEndPoint => new(Path!);

    private static (string Host, string? Port) SplitHostPort(string text, string rest)
    {
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Bad(text, "unterminated [IPv6 address]");
            }

            string after = rest[(close + 1)..];
            if (after.Length > 0 && after[0] != ':')
            {
                throw Bad(text, $"unexpected \"{after}\" after the address");
            }

            return (rest[1..close], after.Length > 0 ? after[1..] : null);
        }

        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && rest.IndexOf(':', colon + 1) >= 0)
        {
            throw Bad(text, "an IPv6 address must be written in [brackets]");
        }

        return colon < 0 ? (rest, null) : (rest[..colon], rest[(colon + 1)..]);
    }

    private static (string Port, string? Host) SplitPortHost(string text, string rest)
    {
        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (rest, null);
        }

        string host = rest[(colon + 1)..];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return (rest[..colon], host);
    }

    private static int ParsePort(string text, string? port, bool allowZero)
    {
        if (port is null)
        {
            return DefaultPort;
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p > 65535 || (p == 0 && !allowZero))
        {
            throw Bad(text, $"bad port number \"{port}\"");
        }

        return p;
    }

    private static FormatException Bad(string text, string reason) => new($"{text}: {reason}");
}

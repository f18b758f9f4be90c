using System.Text.Json;

namespace FastPath.Ovsdb;

/// <summary>The server answered a request with a JSON-RPC error (RFC 7047 §3.1: <c>{"error": "…", "details": "…"}</c>),
/// for example "unknown database".</summary>
public sealed class OvsdbErrorException : OvsdbException
{
    /// <summary>An error reply to <paramref name="method"/>.</summary>
    public OvsdbErrorException(string method, string error, string? details, JsonElement raw)
        : base($"{method}: {error}{(details is null ? "" : ": " + details)}")
    {
        Method = method;
        Error = error;
        Details = details;
        Raw = raw;
    }

    /// <summary>The method the request called.</summary>
    public string Method { get; }

    /// <summary>The error's short name (its "error" member, or the whole error when it is not an object).</summary>
    public string Error { get; }

    /// <summary>The error's "details" member, if any.</summary>
    public string? Details { get; }

    /// <summary>The error as the server sent it.</summary>
    public JsonElement Raw { get; }
}

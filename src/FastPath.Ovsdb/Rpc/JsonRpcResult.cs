using System.Text.Json;

namespace FastPath.Ovsdb.Rpc;

/// <summary>The answer to a request the peer made: a result, or an error (written as the reply's "error" member).</summary>
public sealed class JsonRpcResult
{
    private JsonRpcResult(Action<Utf8JsonWriter>? result, Action<Utf8JsonWriter>? error)
    {
        WriteResult = result;
        WriteError = error;
    }

    /// <summary>Writes the result value; null for an error.</summary>
    public Action<Utf8JsonWriter>? WriteResult { get; }

    /// <summary>Writes the error value; null for a result.</summary>
    public Action<Utf8JsonWriter>? WriteError { get; }

    /// <summary>A successful reply whose result <paramref name="write"/> writes (one JSON value).</summary>
    public static JsonRpcResult Ok(Action<Utf8JsonWriter> write) => new(write ?? throw new ArgumentNullException(nameof(write)), null);

    /// <summary>A failed reply; the error is written as <paramref name="write"/> writes it (one JSON value).</summary>
    public static JsonRpcResult Fail(Action<Utf8JsonWriter> write) => new(null, write ?? throw new ArgumentNullException(nameof(write)));

    /// <summary>A failed reply in OVSDB's form: <c>{"error": error, "details": details}</c>.</summary>
    public static JsonRpcResult Fail(string error, string? details = null) => Fail(w =>
    {
        w.WriteStartObject();
        w.WriteString("error", error);
        if (details is not null)
        {
            w.WriteString("details", details);
        }

        w.WriteEndObject();
    });
}

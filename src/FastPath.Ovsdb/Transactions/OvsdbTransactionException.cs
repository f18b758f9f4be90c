using System.Collections.Immutable;

namespace FastPath.Ovsdb.Transactions;

/// <summary>A transaction the server refused (RFC 7047 §4.1.3): one operation's error (then nothing was committed),
/// or an error of the commit itself (a referential-integrity or constraint violation found at commit).</summary>
public sealed class OvsdbTransactionException : OvsdbException
{
    /// <summary>An error for the operation at <paramref name="operationIndex"/> (or the commit, when it equals the
    /// number of operations).</summary>
    public OvsdbTransactionException(int operationIndex, string operationName, string error, string? details, ImmutableArray<OvsdbOperationResult?> results)
        : base($"transaction failed at {(operationName == "commit" ? "commit" : $"operation {operationIndex} ({operationName})")}: {error}{(details is null ? "" : ": " + details)}")
    {
        OperationIndex = operationIndex;
        Error = error;
        Details = details;
        Results = results;
    }

    /// <summary>Which operation failed; equal to the number of operations when the commit failed.</summary>
    public int OperationIndex { get; }

    /// <summary>The error's name ("constraint violation", "referential integrity violation", "timed out", "aborted"…).</summary>
    public string Error { get; }

    /// <summary>The server's explanation.</summary>
    public string? Details { get; }

    /// <summary>The results as the server returned them (null for the operations it did not run).</summary>
    public ImmutableArray<OvsdbOperationResult?> Results { get; }
}

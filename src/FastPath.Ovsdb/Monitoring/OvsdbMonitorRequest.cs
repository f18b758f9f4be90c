namespace FastPath.Ovsdb.Monitoring;

/// <summary>What to monitor in one table (RFC 7047 §4.1.5 <c>&lt;monitor-request&gt;</c>).</summary>
/// <param name="Columns">The columns reported; null for all.</param>
/// <param name="Initial">Report the table's current rows.</param>
/// <param name="Insert">Report inserted rows.</param>
/// <param name="Delete">Report deleted rows.</param>
/// <param name="Modify">Report modified rows.</param>
public sealed record OvsdbMonitorRequest(IReadOnlyList<string>? Columns = null, bool Initial = true, bool Insert = true, bool Delete = true, bool Modify = true);

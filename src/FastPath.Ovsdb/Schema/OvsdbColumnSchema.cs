namespace FastPath.Ovsdb.Schema;

/// <summary>One column of a table (RFC 7047 §3.2 <c>&lt;column-schema&gt;</c>).</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Type">Its type.</param>
/// <param name="Ephemeral">Whether the server may forget its value across restarts.</param>
/// <param name="Mutable">Whether it may change after insertion.</param>
public sealed record OvsdbColumnSchema(string Name, OvsdbColumnType Type, bool Ephemeral = false, bool Mutable = true);

namespace FastPath.Ofproto.Normal;

/// <summary>The counters <c>ovs-appctl fdb/stats-show</c> prints, since the table was created.</summary>
/// <param name="Count">Entries in the table now.</param>
/// <param name="MaxEntries">The table's size limit (mac-table-size).</param>
/// <param name="AgingSeconds">The idle time after which an entry expires (mac-aging-time).</param>
/// <param name="Learned">Entries created.</param>
/// <param name="Expired">Entries removed because they aged out.</param>
/// <param name="Evicted">Entries removed to make room for a new one.</param>
/// <param name="Moved">Times an address was seen on a different port than the one it was learned on.</param>
/// <param name="Static">Static entries (fdb/add) among <paramref name="Count"/>.</param>
public readonly record struct MacLearningStats(int Count, int MaxEntries, int AgingSeconds, ulong Learned, ulong Expired, ulong Evicted, ulong Moved, int Static = 0);

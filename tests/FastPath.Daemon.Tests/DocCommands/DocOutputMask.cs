using System.Text.RegularExpressions;

namespace FastPath.Daemon.Tests.DocCommands;

/// <summary>
/// What differs between two runs of one command on any switch, hidden before outputs are compared: UUIDs, times,
/// durations and ages, and packet and byte counters (how many frames the kernel or a neighbour sent is not the
/// switch's doing).
/// </summary>
public static partial class DocOutputMask
{
    /// <summary>The output with run-specific values replaced by placeholders.</summary>
    public static string Apply(string output)
    {
        string s = Uuid().Replace(output, "UUID");
        s = Time().Replace(s, "TIME");
        s = Counter().Replace(s, m => m.Groups[1].Value + "=N");
        return s;
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")]
    private static partial Regex Time();

    [GeneratedRegex(@"\b(duration|n_packets|n_bytes|idle_age|hard_age|packets|bytes|used|rx_packets|tx_packets|rx_bytes|tx_bytes|packet_count|byte_count|lookup|matched)[=:]\s*[0-9.]+s?")]
    private static partial Regex Counter();
}

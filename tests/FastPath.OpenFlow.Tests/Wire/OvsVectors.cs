namespace FastPath.OpenFlow.Tests.Wire;

/// <summary>
/// The conversations recorded between ovs-ofctl and Open vSwitch 3.1 (tests/data/openflow/*.txt, made by capture-switch.py
/// there): '>' lines went to ovs-vswitchd, '&lt;' lines came from it.
/// </summary>
internal static class OvsVectors
{
    /// <summary>The directory of the recorded conversations.</summary>
    public static string Directory => TestData.Path("openflow");

    /// <summary>Every message of <paramref name="file"/> (without .txt): direction ('&gt;' or '&lt;') and bytes.</summary>
    public static IReadOnlyList<(char Direction, byte[] Bytes)> Load(string file)
        => [.. File.ReadAllLines(Path.Combine(Directory, file + ".txt"))
            .Where(l => l.Length > 0 && (l[0] == '>' || l[0] == '<'))
            .Select(l => (l[0], Convert.FromHexString(l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..])))];

    /// <summary>Names of every recorded conversation.</summary>
    public static IEnumerable<string> All()
        => System.IO.Directory.GetFiles(Directory, "*.txt").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal);

}

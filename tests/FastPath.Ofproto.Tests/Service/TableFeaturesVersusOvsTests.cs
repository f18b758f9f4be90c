using System.Globalization;
using System.Text.RegularExpressions;
using FastPath.Ofproto.Tests.Interop;
using FastPath.Ofproto.Tests.Ovs;
using FastPath.OpenFlow.Fields;

namespace FastPath.Ofproto.Tests.Service;

/// <summary>
/// dump-table-features over OpenFlow 1.3: every field Open vSwitch lists that FastPath has, FastPath lists, in the same
/// place (arbitrary mask, exact match or wildcard, set-field); the fields only Open vSwitch lists are ones FastPath does
/// not have (conntrack, tunnel metadata, NSH, registers beyond its eight...), and FastPath lists none Open vSwitch does not.
/// </summary>
public partial class TableFeaturesVersusOvsTests
{
    [Fact]
    public async Task FastPathListsTheFieldsItHasAsOpenVSwitchListsThem()
    {
        using OvsDummySwitch ovs = OvsDummySwitch.Start(2, fixedAddresses: true);
        await using HostedBridge fastpath = HostedBridge.Like(ovs);
        Dictionary<string, HashSet<string>> theirs = Lists(ovs.OfCtl("dump-table-features"));
        Dictionary<string, HashSet<string>> ours = Lists(OvsTool.RunChecked(
            fastpath.Directory, "ovs-ofctl", ["-O", "OpenFlow13", "dump-table-features", fastpath.Target], TimeSpan.FromSeconds(30)));

        Assert.Equal(theirs.Keys.Order(), ours.Keys.Order());
        Assert.Contains("reg0", theirs["arbitrary mask"]); // the expansion of "reg0...reg15" worked
        foreach ((string list, HashSet<string> fields) in theirs)
        {
            Assert.Empty(ours[list].Except(fields)); // nothing Open vSwitch does not list, nor in another place
            string[] missing = [.. fields.Except(ours[list]).Where(Has)];
            Assert.True(missing.Length == 0, $"{list}: FastPath has but does not list {string.Join(' ', missing)}");
        }
    }

    // Whether FastPath has the field Open vSwitch names so (its registers are reg0-reg7).
    private static bool Has(string name) => OfFields.Find(name) is not null;

    // Table 0's field lists, by what ovs-ofctl calls them, with its abbreviations expanded.
    private static Dictionary<string, HashSet<string>> Lists(string dump)
    {
        int start = dump.IndexOf("  table 0:", StringComparison.Ordinal);
        int end = dump.IndexOf("\n\n", start, StringComparison.Ordinal);
        string table0 = dump[start..(end < 0 ? dump.Length : end)];
        var lists = new Dictionary<string, HashSet<string>>();
        foreach (Match m in ListLine().Matches(table0))
        {
            lists[m.Groups[1].Value] = [.. m.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).SelectMany(Expand)];
        }

        return lists;
    }

    // "tun_{id,ipv6_{src,dst}}" -> tun_id tun_ipv6_src tun_ipv6_dst; "reg0...reg15" -> reg0 ... reg15.
    private static IEnumerable<string> Expand(string word)
    {
        int open = word.IndexOf('{', StringComparison.Ordinal);
        if (open >= 0)
        {
            int depth = 0, close = open;
            var parts = new List<string>();
            int start = open + 1;
            for (int i = open; i < word.Length; i++)
            {
                if (word[i] == '{')
                {
                    depth++;
                }
                else if (word[i] == '}' && --depth == 0)
                {
                    parts.Add(word[start..i]);
                    close = i;
                    break;
                }
                else if (word[i] == ',' && depth == 1)
                {
                    parts.Add(word[start..i]);
                    start = i + 1;
                }
            }

            return parts.SelectMany(p => Expand(word[..open] + p + word[(close + 1)..]));
        }

        Match range = Range().Match(word);
        if (range.Success)
        {
            int from = int.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture), to = int.Parse(range.Groups[4].Value, CultureInfo.InvariantCulture);
            return Enumerable.Range(from, to - from + 1).Select(i => range.Groups[1].Value + i.ToString(CultureInfo.InvariantCulture));
        }

        return [word];
    }

    [GeneratedRegex(@"^\s*(supported on Set-Field|arbitrary mask|exact match or wildcard|must exact match):(.*)$", RegexOptions.Multiline)]
    private static partial Regex ListLine();

    [GeneratedRegex(@"^([a-z_]*?)(\d+)\.\.\.([a-z_]*?)(\d+)$")]
    private static partial Regex Range();
}

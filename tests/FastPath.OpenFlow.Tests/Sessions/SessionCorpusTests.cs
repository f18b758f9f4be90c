using System.Buffers.Binary;

namespace FastPath.OpenFlow.Tests.Sessions;

/// <summary>
/// The recorded session corpus (tests/data/openflow-sessions) is what it claims to be: every line one whole
/// OpenFlow message whose header length is its size, every connection opened by both hellos, and every later
/// message in the version those hellos negotiate — the version each directory was recorded with.
/// </summary>
public class SessionCorpusTests
{
    private const byte Hello = 0;

    private static readonly Dictionary<string, int> DirectoryVersion = new()
    {
        ["plain"] = 1,
        ["of10"] = 1,
        ["of13"] = 4,
        ["of14"] = 5,
        ["of15"] = 6,
    };

    [Fact]
    public void EveryProtocolDirectoryHoldsTheSameCommandsRecorded()
    {
        var files = SessionCorpus.LoadAll();
        foreach (string dir in DirectoryVersion.Keys)
        {
            var names = files.Where(f => f.Name.StartsWith(dir + "/", StringComparison.Ordinal)).Select(f => f.Name[(dir.Length + 1)..]).ToHashSet();
            foreach (string expected in new[] { "-show.txt", "-add-flow-seed.txt", "-dump-flows-all.txt", "-packet-out.txt", "-monitor-packet-out.txt" })
            {
                Assert.Single(names, n => n.EndsWith(expected, StringComparison.Ordinal) && n.Length == "NNN".Length + expected.Length);
            }

            Assert.True(names.Count >= 90, $"{dir}: only {names.Count} sessions");
        }
    }

    [Fact]
    public void EveryConnectionIsWholeMessagesAfterBothHellosInTheNegotiatedVersion()
    {
        var files = SessionCorpus.LoadAll();
        var byName = files.ToDictionary(f => f.Name);
        var problems = new List<string>();
        int recorded = 0;
        foreach (SessionFile f in files)
        {
            string dir = f.Name[..f.Name.IndexOf('/', StringComparison.Ordinal)];
            int expected = DirectoryVersion[dir];
            if (f.Command.Contains("--bundle", StringComparison.Ordinal) && expected < 4)
            {
                // Bundles need 1.4, or 1.3 with ONF's extension: ovs-ofctl without -O then asks for 1.4.
                expected = 5;
            }

            Assert.NotEmpty(f.Connections);
            foreach (SessionConnection c in f.Connections)
            {
                if (c.SameAs is { } same)
                {
                    if (!byName.TryGetValue(same.File, out SessionFile? other) || other.Connections.Count < same.Connection
                        || other.Connections[same.Connection - 1].SameAs is not null)
                    {
                        problems.Add($"{f.Name} connection {c.Number}: same-as {same.File} {same.Connection} is not a recorded connection");
                    }

                    continue;
                }

                recorded++;
                problems.AddRange(CheckConnection(c, expected).Select(p => $"{f.Name} connection {c.Number}: {p}"));
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems.Take(20)));
        Assert.True(recorded > 200, $"only {recorded} recorded connections");
    }

    [Fact]
    public void TheCheckFindsBrokenFraming()
    {
        byte[] toolHello = Convert.FromHexString("04000010000000010001000800000010");
        byte[] switchHello = Convert.FromHexString("0600000800000001");
        byte[] barrier = Convert.FromHexString("0414000800000002");
        SessionConnection Conn(params (bool Tool, byte[] Bytes)[] ms)
            => new(1, [.. ms.Select((m, i) => new SessionMessage(m.Tool, m.Bytes, i + 1))], null);

        Assert.Empty(CheckConnection(Conn((true, toolHello), (false, switchHello), (true, barrier)), 4));
        Assert.Contains("header length 8", Assert.Single(CheckConnection(Conn((true, toolHello), (false, switchHello), (true, [.. barrier, 0])), 4)));
        Assert.Contains("shorter than", Assert.Single(CheckConnection(Conn((true, toolHello), (false, switchHello), (true, barrier[..6])), 4)));
        Assert.Contains("not a hello", CheckConnection(Conn((true, barrier), (false, switchHello)), 4)[0]);
        Assert.Contains("negotiated 4, expected 1", Assert.Single(CheckConnection(Conn((true, toolHello), (false, switchHello)), 1)));
        byte[] barrier10 = [0x01, .. barrier[1..]];
        Assert.Contains("version 1 after negotiating 4", Assert.Single(CheckConnection(Conn((true, toolHello), (false, switchHello), (true, barrier10)), 4)));
    }

    [Fact]
    public void AMalformedFileIsRejectedWithItsLine()
    {
        Assert.Contains("x.txt:3", Assert.Throws<FormatException>(() => SessionCorpus.Parse("x.txt", ["# cmd", "# exit 0", "> 0100"])).Message);
        Assert.Contains("x.txt:4", Assert.Throws<FormatException>(() => SessionCorpus.Parse("x.txt", ["# cmd", "# exit 0", "# connection 1", "> 01x0"])).Message);
        Assert.Contains("x.txt:3", Assert.Throws<FormatException>(() => SessionCorpus.Parse("x.txt", ["# cmd", "# exit 0", "# connection 2"])).Message);
    }

    /// <summary>What is wrong with one recorded connection (nothing: empty).</summary>
    private static List<string> CheckConnection(SessionConnection c, int expectedVersion)
    {
        var problems = new List<string>();
        foreach (SessionMessage m in c.Messages)
        {
            if (m.Bytes.Length < 8)
            {
                problems.Add($"line {m.Line}: {m.Bytes.Length} bytes, shorter than a header");
            }
            else if (BinaryPrimitives.ReadUInt16BigEndian(m.Bytes.AsSpan(2)) != m.Bytes.Length)
            {
                problems.Add($"line {m.Line}: header length {BinaryPrimitives.ReadUInt16BigEndian(m.Bytes.AsSpan(2))}, message {m.Bytes.Length} bytes");
            }
            else if (m.Bytes[0] is < 1 or > 6)
            {
                problems.Add($"line {m.Line}: version {m.Bytes[0]}");
            }
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        SessionMessage? toolHello = c.Messages.FirstOrDefault(m => m.FromTool);
        SessionMessage? switchHello = c.Messages.FirstOrDefault(m => !m.FromTool);
        if (toolHello is null || switchHello is null || c.Messages[0] != toolHello)
        {
            return ["does not start with the tool's hello and hold the switch's"];
        }

        foreach (SessionMessage h in new[] { toolHello, switchHello })
        {
            if (h.Bytes[1] != Hello)
            {
                problems.Add($"line {h.Line}: first message of its direction is not a hello (type {h.Bytes[1]})");
            }
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        uint common = VersionSet(toolHello.Bytes) & VersionSet(switchHello.Bytes);
        int negotiated = common == 0 ? 0 : 31 - System.Numerics.BitOperations.LeadingZeroCount(common);
        if (negotiated != expectedVersion)
        {
            problems.Add($"hellos negotiated {negotiated}, expected {expectedVersion}");
            return problems;
        }

        foreach (SessionMessage m in c.Messages)
        {
            if (m != toolHello && m != switchHello && m.Bytes[0] != negotiated)
            {
                problems.Add($"line {m.Line}: version {m.Bytes[0]} after negotiating {negotiated}");
            }
        }

        return problems;
    }

    /// <summary>
    /// The versions a hello offers: its version bitmap element (OFPHET_VERSIONBITMAP) when it has one, else every
    /// version up to its header's.
    /// </summary>
    private static uint VersionSet(byte[] hello)
    {
        int at = 8;
        while (at + 4 <= hello.Length)
        {
            int type = BinaryPrimitives.ReadUInt16BigEndian(hello.AsSpan(at));
            int length = BinaryPrimitives.ReadUInt16BigEndian(hello.AsSpan(at + 2));
            if (length < 4 || at + length > hello.Length)
            {
                break;
            }

            if (type == 1 && length >= 8)
            {
                return BinaryPrimitives.ReadUInt32BigEndian(hello.AsSpan(at + 4));
            }

            at += (length + 7) & ~7;
        }

        return (2u << hello[0]) - 2; // bits 1..version
    }
}

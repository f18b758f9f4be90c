using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;
using FastPath.OpenFlow.Wire.Multipart;
using FastPath.OpenFlow.Wire.Tables;

namespace FastPath.OpenFlow.Tests.Wire;

/// <summary>
/// Real bytes Open vSwitch and ovs-ofctl exchanged decode, and encode back to the very same bytes: for every switch
/// message of every recorded conversation (1.0, 1.3, 1.4, 1.5).
/// </summary>
public class OvsVectorRoundTripTests
{
    /// <summary>Conversations every message of which FastPath must read (hellos aside, whose bitmap we encode our own way).</summary>
    public static TheoryData<string> Covered() =>
    [
        .. new[] { "show", "dump-desc", "dump-tables", "dump-ports", "dump-ports-desc", "mod-port-down", "mod-port-no-flood", "get-frags", "set-frags" }
            .SelectMany(c => new[] { "of10", "of13", "of14", "of15" }.Select(v => c + "-" + v)),
        .. new[] { "dump-table-features", "dump-table-desc", "queue-get-config", "queue-stats", "get-async" }
            .SelectMany(c => new[] { "of13", "of14", "of15" }.Select(v => c + "-" + v))
            .Where(c => c != "dump-table-desc-of13"),
        "queue-get-config-of10",
        "queue-stats-of10",
        "role-request-of13",
        "nx-role-request-of10",
        "bad-multipart-96-of13",
        "bad-nx-subtype-of10",
        "set-controller-id-of10",
    ];

    [Theory]
    [MemberData(nameof(Covered))]
    public void EveryMessageDecodesAndEncodesBackToOpenVSwitchsBytes(string conversation)
    {
        var messages = OvsVectors.Load(conversation);
        Assert.NotEmpty(messages);
        foreach ((char dir, byte[] bytes) in messages)
        {
            if (bytes[1] == 0)
            {
                continue;
            }

            var session = new OfSession((OpenFlowVersion)bytes[0]);
            if (conversation.StartsWith("bad-", StringComparison.Ordinal) && dir == '>' && bytes[1] != (byte)(bytes[0] == 1 ? Of10Type.BarrierRequest : (Of10Type)Of13Type.BarrierRequest))
            {
                Assert.Throws<OfErrorException>(() => OfCodec.Decode(bytes, session));
                continue;
            }

            OfMessage m = OfCodec.Decode(bytes, session);
            uint xid = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4));
            Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(OfCodec.Encode(m, session, xid)));
        }
    }

    [Theory]
    [MemberData(nameof(Covered))]
    public void TruncatedMessagesAreBadLen(string conversation)
    {
        foreach ((_, byte[] bytes) in OvsVectors.Load(conversation))
        {
            if (bytes[1] == 0 || bytes.Length <= OfHeader.Size || conversation.StartsWith("bad-", StringComparison.Ordinal))
            {
                continue;
            }

            var session = new OfSession((OpenFlowVersion)bytes[0]);
            foreach (int cut in new[] { 1, 3 })
            {
                if (bytes.Length - cut < OfHeader.Size)
                {
                    continue;
                }

                byte[] shorter = bytes[..^cut];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(shorter.AsSpan(2), (ushort)shorter.Length);
                var ex = Assert.Throws<OfErrorException>(() => OfCodec.Decode(shorter, session));
                Assert.True(ex.Error == OfError.BadRequestBadLen, $"{conversation}: {Convert.ToHexString(bytes[..8])} cut by {cut}: {ex.Error}");
            }
        }
    }

    [Theory]
    [InlineData("dump-table-features-of13")]
    [InlineData("dump-table-features-of15")]
    public void ALongReplySplitsWhereOpenVSwitchSplitsIt(string conversation)
    {
        // Open vSwitch's 254 tables of features come in 20 parts; joined and split again they are the same 20 messages.
        var replies = OvsVectors.Load(conversation).Where(m => m.Direction == '<' && m.Bytes[1] == (byte)Of13Type.MultipartReply).Select(m => m.Bytes).ToList();
        Assert.True(replies.Count > 10);
        var session = new OfSession((OpenFlowVersion)replies[0][0]);
        var parts = replies.Select(r => (MultipartReply)OfCodec.Decode(r, session)).ToList();
        Assert.All(parts[..^1], p => Assert.True(p.More));
        var whole = (TableFeaturesReply)MultipartCodec.Join(parts, session);
        Assert.Equal(254, whole.Tables.Count);
        Assert.False(whole.More);
        IReadOnlyList<byte[]> again = OfCodec.EncodeAll(whole, session, 2);
        Assert.Equal(replies.Select(Convert.ToHexString), again.Select(Convert.ToHexString));

        // The typed readers see what ovs-ofctl printed for table 0: goto_table among the instructions, tables 1-253 next.
        TableFeatures t0 = whole.Tables[0];
        Assert.Equal(1000000u, t0.MaxEntries);
        var instructions = t0.Properties.First(p => p.Type == TableFeaturePropType.Instructions).ReadIds();
        Assert.Contains(instructions, i => i.Type == 1); // OFPIT_GOTO_TABLE
        var next = t0.Properties.First(p => p.Type == TableFeaturePropType.NextTables).Body.ToArray();
        Assert.Equal(Enumerable.Range(1, 253).Select(i => (byte)i), next);
        Assert.Contains(0x80000004UL, t0.Properties.First(p => p.Type == TableFeaturePropType.Match).ReadOxms()); // OXM_OF_IN_PORT
    }
}

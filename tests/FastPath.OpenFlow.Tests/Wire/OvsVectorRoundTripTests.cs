using FastPath.OpenFlow.Wire;

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
}

using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Tests.Wire;

/// <summary>
/// Inputs the fuzzer (scripts/fuzz.sh openflow) found: each decoded message must encode back to what it was
/// (decode → encode → decode gives the same message, encoding twice the same bytes), as the harness checks.
/// </summary>
public class FuzzFindingsTests
{
    private static readonly OfSession Of10 = new(OpenFlowVersion.OF10);
    private static readonly OfSession Of13 = new(OpenFlowVersion.OF13);

    [Fact]
    public void AnOpenFlow10ErrorOfAnUnknownTypeRoundTripsByteForByte()
    {
        // Type 0x3030 code 1 is no error OpenFlow 1.0 or Open vSwitch defines; a peer's error is still relayed as sent.
        byte[] wire = Convert.FromHexString("010100100000000230300001ffffffff");
        var error = Assert.IsType<ErrorMessage>(OfCodec.Decode(wire, Of10));
        Assert.Equal(new byte[] { 0xff, 0xff, 0xff, 0xff }, error.Data);
        Assert.Equal(wire, OfCodec.Encode(error, Of10, 2));
    }

    [Theory]
    [InlineData(0x04)]
    [InlineData(0x01)]
    public void AMultipartReplyPartFlaggedMoreKeepsTheFlagWhenEncodedAgain(byte version)
    {
        var session = new OfSession((OpenFlowVersion)version);
        var part = new TableStatsReply([new TableStats(0, 1, 2, 3)]) { More = true };
        byte[] wire = OfCodec.Encode(part, session, 5);

        // The flags follow the multipart (1.3+) or stats (1.0) type: OFPMPF_REPLY_MORE / OFPSF_REPLY_MORE is bit 0.
        Assert.Equal(1, wire[11] & 1);
        var back = Assert.IsType<TableStatsReply>(OfCodec.Decode(wire, session));
        Assert.True(back.More);
        Assert.Equal(wire, OfCodec.Encode(back, session, 5));
        Assert.Equal(0, OfCodec.Encode(part with { More = false }, session, 5)[11] & 1);
    }

    [Fact]
    public void ATableNameFillingAll32BytesDecodesAsOpenVSwitchReadsIt()
    {
        // OFPST_TABLE reply (1.0) whose name has no NUL: Open vSwitch 3.1's ofp-print shows the first 31 characters
        // (strlcpy into a 32-byte field), and so must we, or the name cannot be sent back as it was decoded.
        byte[] wire = Convert.FromHexString(
            "0111004c00000002000300000000000041414141414141414141414141414141414141414141414141414141414141"
            + "41003fffff000003e80000000100000000000000020000000000000003");
        var reply = Assert.IsType<TableStatsReply>(OfCodec.Decode(wire, Of10));
        Assert.Equal(new string('A', 31), reply.Tables[0].Name);
        Assert.Contains($"table 0 (\"{new string('A', 31)}\")", OfpPrint.Print(wire), StringComparison.Ordinal);

        byte[] again = OfCodec.Encode(reply, Of10, 2);
        Assert.Equal(reply.Tables, Assert.IsType<TableStatsReply>(OfCodec.Decode(again, Of10)).Tables);
        Assert.Equal(again, OfCodec.Encode(OfCodec.Decode(again, Of10), Of10, 2));
    }

    [Fact]
    public void ASerialNumberFillingAll32BytesIsKeptWholeAsOpenVSwitchPrintsIt()
    {
        byte[] wire = OfCodec.Encode(new DescReply("m", "h", "s", "serial", "dp"), Of13, 3);

        // Unlike names, Open vSwitch prints a description field whole. Fill the 32-byte serial number (after the 16-byte multipart header and three 256-byte strings) without a NUL.
        int serialAt = 16 + (3 * 256);
        Array.Fill(wire, (byte)'S', serialAt, 32);
        var back = Assert.IsType<DescReply>(OfCodec.Decode(wire, Of13));
        Assert.Equal(new string('S', 32), back.SerialNumber);
        Assert.Contains($"Serial Num: {new string('S', 32)}\n", OfpPrint.Print(wire), StringComparison.Ordinal);
        Assert.Equal(wire, OfCodec.Encode(back, Of13, 3));
    }

    [Theory]
    [InlineData("0104004800000008000023200000000D00000000000000000003000000008000FFFFFFFFFFFF0000001700000000000000000602080000000C010600013C08000000000000123400")] // delete by exact cookie
    [InlineData("0104005000000008000023200000000D00000000000000000000000000008000FFFFFFFFFFFF0003001900000000000000000602080000000C0111000016020035000100040000000500000000000000")] // udp,reg0=0x5,tp_src=53
    public void AnNxFlowModThatOfpFlowModCannotSayIsNotSupportedInTheOpenFlow10FlowFormatAndRoundTripsInNxm(string hex)
    {
        byte[] wire = Convert.FromHexString(hex);
        var plain = new OfSession(OpenFlowVersion.OF10, NxFlowFormat.OpenFlow10);
        var nxm = new OfSession(OpenFlowVersion.OF10, NxFlowFormat.Nxm);
        var mod = Assert.IsType<FlowModMessage>(OfCodec.Decode(wire, plain));

        // Not an ArgumentException about the match, and not a flow-mod that silently loses its cookie mask or registers.
        Assert.Throws<NotSupportedException>(() => OfCodec.Encode(mod, plain, 8));
        Assert.Equal(wire, OfCodec.Encode(mod, nxm, 8));
    }
}

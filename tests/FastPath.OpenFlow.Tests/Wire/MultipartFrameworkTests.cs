using System.Buffers.Binary;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;
using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Tests.Wire;

public class MultipartFrameworkTests
{
    private static readonly OfSession Of10 = new(OpenFlowVersion.OF10);
    private static readonly OfSession Of13 = new(OpenFlowVersion.OF13);

    private static readonly DescReply Desc = new("Nicira, Inc.", "Open vSwitch", "3.1.0", "None", "None");

    [Fact]
    public void DescReplyPrintsAsOpenVSwitchsOwn()
    {
        byte[] bytes = OfCodec.Encode(Desc, Of13, 1);
        Assert.Equal(
            "OFPST_DESC reply (OF1.3) (xid=0x1):\nManufacturer: Nicira, Inc.\nHardware: Open vSwitch\nSoftware: 3.1.0\nSerial Num: None\nDP Description: None",
            OfpPrint.Print(bytes));
        Assert.Equal(Desc, OfCodec.Decode(bytes, Of13));
        byte[] bytes10 = OfCodec.Encode(Desc, Of10, 1);
        Assert.StartsWith("OFPST_DESC reply (xid=0x1):\nManufacturer: Nicira, Inc.", OfpPrint.Print(bytes10));
        Assert.Equal(Desc, OfCodec.Decode(bytes10, Of10));
    }

    [Fact]
    public void RequestsCarryTheirKindAndMoreFlag()
    {
        byte[] req = OfCodec.Encode(new DescRequest { More = true }, Of13, 5);
        Assert.Equal("OFPST_DESC request (OF1.3) (xid=0x5): flags=[more]", OfpPrint.Print(req));
        Assert.Equal(new DescRequest { More = true }, OfCodec.Decode(req, Of13));
        byte[] req10 = OfCodec.Encode(new DescRequest(), Of10, 5);
        Assert.Equal("0110000c00000005" + "00000000", Convert.ToHexString(req10).ToLowerInvariant());
    }

    [Fact]
    public void AShortReplyIsOneMessageWithoutTheMoreFlag()
    {
        var reply = new TableStatsReply([new TableStats(0, 5, 100, 50), new TableStats(1, 0, 7, 0)]);
        IReadOnlyList<byte[]> parts = OfCodec.EncodeAll(reply, Of13, 2);
        Assert.Single(parts);
        Assert.Equal(
            "OFPST_TABLE reply (OF1.3) (xid=0x2):\n  table 0:\n    active=5, lookup=100, matched=50\n\n  table 1:\n    active=0, lookup=7, matched=0",
            OfpPrint.Print(parts[0]));
        var back = (TableStatsReply)OfCodec.Decode(parts[0], Of13);
        Assert.False(back.More);
        Assert.Equal(reply.Tables, back.Tables);
    }

    [Fact]
    public void ALongReplyIsSplitBetweenEntriesWithReplyMore()
    {
        // 3000 entries of 24 bytes cannot fit in 65535 bytes: two messages, cut at an entry boundary.
        var tables = Enumerable.Range(0, 3000).Select(i => new TableStats((byte)i, (uint)i, (ulong)i * 3, (ulong)i)).ToArray();
        IReadOnlyList<byte[]> parts = OfCodec.EncodeAll(new TableStatsReply(tables), Of13, 77);
        Assert.Equal(2, parts.Count);
        Assert.All(parts, p => Assert.True(p.Length <= 65535));
        Assert.All(parts, p => Assert.Equal(77u, BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(4))));
        Assert.Equal(0, (parts[0].Length - 16) % 24);
        Assert.Equal(2729 * 24 + 16, parts[0].Length); // as many whole entries as fit
        Assert.Contains("flags=[more]", OfpPrint.Print(parts[0]).Split('\n')[0]);
        Assert.DoesNotContain("flags", OfpPrint.Print(parts[1]).Split('\n')[0]);

        var decoded = parts.Select(p => (MultipartReply)OfCodec.Decode(p, Of13)).ToList();
        Assert.True(decoded[0].More);
        Assert.False(decoded[1].More);
        var whole = (TableStatsReply)MultipartCodec.Join(decoded, Of13);
        Assert.Equal(tables, whole.Tables);
        Assert.Throws<ArgumentException>(() => OfCodec.Encode(new TableStatsReply(tables), Of13, 77));
    }

    [Fact]
    public void OpenFlow10TableStatsCarryNameWildcardsAndSize()
    {
        var t = new TableStats(0, 5, 100, 50, "classifier", 0x3fffff, 1000000);
        byte[] bytes = OfCodec.Encode(new TableStatsReply([t]), Of10, 1);
        Assert.Equal(
            "OFPST_TABLE reply (xid=0x1):\n  table 0 (\"classifier\"):\n    active=5, lookup=100, matched=50\n    max_entries=1000000\n    matching:\n      exact match or wildcard: in_port eth_{src,dst,type} vlan_{vid,pcp} ip_{src,dst} nw_{proto,tos} tcp_{src,dst}",
            OfpPrint.Print(bytes));
        Assert.Equal([t], ((TableStatsReply)OfCodec.Decode(bytes, Of10)).Tables);
    }

    [Theory]
    [InlineData("04120010 00000001 0063 0000 00000000", 1, 2)] // OFPMP type 99: OFPBRC_BAD_MULTIPART
    [InlineData("0110000c 00000001 0063 0000", 1, 2)] // 1.0 OFPST type 99: OFPBRC_BAD_STAT
    [InlineData("04120010 00000001 0011 0000 00000000", 1, 2)] // 1.5's OFPMP_FLOW_STATS number on 1.3
    [InlineData("0412000c 00000001 0000 0000", 1, 6)] // header cut short: OFPBRC_BAD_LEN
    [InlineData("04120018 00000001 0000 0000 00000000 0000000000000000", 1, 6)] // desc request with a body
    [InlineData("04120018 00000001 ffff 0000 00000000 deadbeef 00000000", 1, 3)] // unknown experimenter: OFPBRC_BAD_EXPERIMENTER
    [InlineData("04120014 00000001 ffff 0000 00000000 00002320", 1, 6)] // experimenter header cut short
    [InlineData("04120018 00000001 ffff 0000 00000000 00002320 00000063", 1, 4)] // NX, unknown subtype: OFPBRC_BAD_EXP_TYPE
    [InlineData("01100018 00000001 ffff 0000 00002320 00000063 00000000", 1, 4)] // 1.0 NXST unknown subtype: OFPBRC_BAD_SUBTYPE
    [InlineData("01100018 00000001 ffff 0000 4f4e4600 00000000 00000000", 1, 3)] // 1.0 vendor stats from ONF: OFPBRC_BAD_VENDOR
    public void BadMultipartHeadersGetOpenVSwitchsErrors(string hex, int type, int code)
    {
        byte[] bytes = Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
        OfSession s = bytes[0] == 1 ? Of10 : Of13;
        var ex = Assert.Throws<OfErrorException>(() => OfCodec.Decode(bytes, s));
        Assert.Equal(new OfError((OfErrorType)type, (ushort)code), ex.Error);
    }

    [Fact]
    public void TheReassemblerJoinsARequestSplitWithReqMore()
    {
        var r = new MultipartReassembler();
        byte[] part1 = OfCodec.Encode(new DescRequest { More = true }, Of13, 9);
        byte[] part2 = OfCodec.Encode(new DescRequest(), Of13, 9);
        Assert.Null(r.Add(part1, Of13, 0));
        Assert.Equal(1, r.Pending);
        Assert.Equal(new DescRequest(), r.Add(part2, Of13, 10));
        Assert.Equal(0, r.Pending);

        // Anything that is not a split request passes straight through.
        Assert.Equal(new BarrierMessage(false), r.Add(OfCodec.Encode(new BarrierMessage(false), Of13, 1), Of13, 0));
        Assert.Equal(new DescRequest(), r.Add(part2, Of13, 0));
    }

    [Fact]
    public void TheReassemblerRefusesAPartOfAnotherKindAndOverflow()
    {
        var r = new MultipartReassembler(maxBytes: 40);
        Assert.Null(r.Add(OfCodec.Encode(new DescRequest { More = true }, Of13, 9), Of13, 0));
        var ex = Assert.Throws<OfErrorException>(() => r.Add(OfCodec.Encode(new TableStatsRequest(), Of13, 9), Of13, 0));
        Assert.Equal(OfError.BadRequestBadMultipart, ex.Error);
        Assert.Equal(0, r.Pending);

        Assert.Null(r.Add(OfCodec.Encode(new DescRequest { More = true }, Of13, 3), Of13, 0));
        Assert.Null(r.Add(OfCodec.Encode(new DescRequest { More = true }, Of13, 3), Of13, 0));
        ex = Assert.Throws<OfErrorException>(() => r.Add(OfCodec.Encode(new DescRequest { More = true }, Of13, 3), Of13, 0));
        Assert.Equal(OfError.BadRequestMultipartBufferOverflow, ex.Error);
        Assert.Equal(0, r.Pending);
    }

    [Fact]
    public void AnUnfinishedRequestTimesOut()
    {
        var r = new MultipartReassembler(timeout: TimeSpan.FromSeconds(1));
        byte[] part = OfCodec.Encode(new DescRequest { More = true }, Of13, 4);
        Assert.Null(r.Add(part, Of13, 1000));
        Assert.Empty(r.Expire(1999));
        var expired = Assert.Single(r.Expire(2000));
        Assert.Equal(4u, expired.Xid);
        Assert.Equal(OfError.BadRequestMultipartRequestTimeout, expired.Error.Error);
        Assert.Equal(part, expired.Error.Data);
        Assert.Equal(0, r.Pending);
    }

    [Fact]
    public void OpenFlow10IgnoresTheMoreFlagOnRequests()
    {
        byte[] req = Convert.FromHexString("0110000C00000001" + "00000001");
        Assert.False(((DescRequest)OfCodec.Decode(req, Of10)).More);
        Assert.Equal(new DescRequest(), new MultipartReassembler().Add(req, Of10, 0));
    }
}

using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Tests.Wire;

public class OfCodecBasicsTests
{
    private static readonly OfSession Of13 = new(OpenFlowVersion.OF13);
    private static readonly OfSession Of10 = new(OpenFlowVersion.OF10);

    [Fact]
    public void HelloCarriesTheVersionBitmapAsOpenVSwitchReadsIt()
    {
        byte[] hello = OfCodec.EncodeHello(OfVersions.Supported, 7);
        Assert.Equal("OFPT_HELLO (OF1.5) (xid=0x7):\n version bitmap: 0x01, 0x04, 0x05, 0x06", OfpPrint.Print(hello));
        Assert.Equal(new Hello(OfVersions.Supported), OfCodec.Decode(hello, Of10));
    }

    [Theory]
    [InlineData(0x04, null, 0x04)] // ovs-ofctl -O OpenFlow13 without a bitmap
    [InlineData(0x01, null, 0x01)] // plain OpenFlow 1.0
    [InlineData(0x06, 0x12u, 0x04)] // bitmap {1.0, 1.3}: the highest common
    [InlineData(0x03, 0x0cu, null)] // only 1.1 and 1.2: nothing in common
    [InlineData(0x07, null, 0x06)] // a newer peer without a bitmap: our highest below its version
    public void NegotiationPicksTheHighestCommonVersion(byte header, uint? bitmap, int? expected)
    {
        OpenFlowVersion? v = OfVersions.Negotiate(OfVersions.Supported, header, bitmap);
        Assert.Equal(expected, (int?)v);
    }

    [Fact]
    public void EchoRoundTripsAndPrints()
    {
        byte[] echo = OfCodec.Encode(new Echo(false, [1, 2, 3]), Of13, 9);
        Assert.StartsWith("OFPT_ECHO_REQUEST (OF1.3) (xid=0x9): 3 bytes of payload", OfpPrint.Print(echo));
        var back = (Echo)OfCodec.Decode(echo, Of13);
        Assert.False(back.IsReply);
        Assert.Equal(new byte[] { 1, 2, 3 }, back.Data);
    }

    [Fact]
    public void ALengthThatDisagreesWithTheBytesIsBadLen()
    {
        byte[] barrier = OfCodec.Encode(new BarrierMessage(false), Of13, 1);
        var ex = Assert.Throws<OfErrorException>(() => OfCodec.Decode(barrier.AsSpan(0, 6), Of13));
        Assert.Equal(OfError.BadRequestBadLen, ex.Error);
        byte[] longer = [.. barrier, 0];
        Assert.Equal(OfError.BadRequestBadLen, Assert.Throws<OfErrorException>(() => OfCodec.Decode(longer, Of13)).Error);
    }

    [Fact]
    public void AnUnknownTypeIsBadTypeAndAWrongVersionBadVersion()
    {
        byte[] unknown = [0x04, 200, 0, 8, 0, 0, 0, 1];
        Assert.Equal(OfError.BadRequestBadType, Assert.Throws<OfErrorException>(() => OfCodec.Decode(unknown, Of13)).Error);
        byte[] barrier10 = OfCodec.Encode(new BarrierMessage(false), Of10, 1);
        Assert.Equal(OfError.BadRequestBadVersion, Assert.Throws<OfErrorException>(() => OfCodec.Decode(barrier10, Of13)).Error);
    }

    [Fact]
    public void ErrorsPrintWithTheirOpenFlowNames()
    {
        byte[] request = OfCodec.Encode(new BarrierMessage(false), Of13, 3);
        byte[] error = OfCodec.Encode(new ErrorMessage(OfError.BadRequestBadType, request), Of13, 3);
        Assert.StartsWith("OFPT_ERROR (OF1.3) (xid=0x3): OFPBRC_BAD_TYPE", OfpPrint.Print(error));
    }
}

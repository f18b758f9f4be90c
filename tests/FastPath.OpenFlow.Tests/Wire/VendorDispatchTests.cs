using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Tests.Wire;

public class VendorDispatchTests
{
    private static readonly OfSession Of10 = new(OpenFlowVersion.OF10);
    private static readonly OfSession Of13 = new(OpenFlowVersion.OF13);

    [Fact]
    public void SetControllerIdTravelsAsANiciraMessageOnEveryVersion()
    {
        byte[] b10 = OfCodec.Encode(new SetControllerId(123), Of10, 1);
        Assert.Equal("01040018000000010000232000000014000000000000007B", Convert.ToHexString(b10));
        Assert.Equal("NXT_SET_CONTROLLER_ID (xid=0x1): id=123", OfpPrint.Print(b10));
        Assert.Equal(new SetControllerId(123), OfCodec.Decode(b10, Of10));
        byte[] b13 = OfCodec.Encode(new SetControllerId(123), Of13, 1);
        Assert.Equal("NXT_SET_CONTROLLER_ID (OF1.3) (xid=0x1): id=123", OfpPrint.Print(b13));
        Assert.Equal(new SetControllerId(123), OfCodec.Decode(b13, Of13));
    }

    [Theory]
    [InlineData("0104000c 00000001 00002320", 1, 6)] // no subtype: OFPBRC_BAD_LEN
    [InlineData("01040010 00000001 00001234 00000014", 1, 3)] // unknown vendor: OFPBRC_BAD_VENDOR
    [InlineData("04040010 00000001 00001234 00000014", 1, 3)] // OFPBRC_BAD_EXPERIMENTER
    [InlineData("01040010 00000001 00002320 000000ff", 1, 4)] // unknown NX subtype: OFPBRC_BAD_SUBTYPE
    [InlineData("04040010 00000001 00002320 000000ff", 1, 4)] // OFPBRC_BAD_EXP_TYPE
    [InlineData("04040010 00000001 4f4e4600 00000001", 1, 4)] // ONF id known, subtype not
    [InlineData("01040016 00000001 00002320 00000014 000000000000", 1, 6)] // controller id cut short
    [InlineData("0104001a 00000001 00002320 00000014 000000000000007b 0000", 1, 6)] // and too long
    public void BadVendorMessagesGetOpenVSwitchsErrors(string hex, int type, int code)
    {
        byte[] bytes = Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
        OfSession s = bytes[0] == 1 ? Of10 : Of13;
        var ex = Assert.Throws<OfErrorException>(() => OfCodec.Decode(bytes, s));
        Assert.Equal(new OfError((OfErrorType)type, (ushort)code), ex.Error);
    }
}

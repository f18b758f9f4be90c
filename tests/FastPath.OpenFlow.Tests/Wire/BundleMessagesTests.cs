using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Tests.Wire;

public class BundleMessagesTests
{
    private static readonly OfSession Of13 = new(OpenFlowVersion.OF13);
    private static readonly OfSession Of14 = new(OpenFlowVersion.OF14);

    [Fact]
    public void BundleControlIsStandardIn14AndAnOnfExperimenterIn13()
    {
        var open = new BundleControl(7, 0, 1);
        byte[] b14 = OfCodec.Encode(open, Of14, 1);
        Assert.Equal("OFPT_BUNDLE_CONTROL (OF1.4) (xid=0x1):\n bundle_id=0x7 type=OPEN_REQUEST flags=atomic", OfpPrint.Print(b14));
        var back14 = (BundleControl)OfCodec.Decode(b14, Of14);
        Assert.Equal((7u, (ushort)0, (ushort)1, 0), (back14.BundleId, back14.Type, back14.Flags, back14.Properties.Length));
        byte[] b13 = OfCodec.Encode(open, Of13, 1);
        Assert.Equal("ONFT_BUNDLE_CONTROL (OF1.3) (xid=0x1):\n bundle_id=0x7 type=OPEN_REQUEST flags=atomic", OfpPrint.Print(b13));
        var back = (BundleControl)OfCodec.Decode(b13, Of13);
        Assert.Equal((7u, (ushort)0, (ushort)1), (back.BundleId, back.Type, back.Flags));
    }

    [Fact]
    public void BundleAddCarriesTheInnerMessageWhole()
    {
        byte[] inner = OfCodec.Encode(new PortMod(1, 0xaa55aa55000f, 1, 1, 0), Of14, 9);
        byte[] add = OfCodec.Encode(new BundleAddMessage(7, 1, inner), Of14, 9);
        Assert.StartsWith("OFPT_BUNDLE_ADD_MESSAGE (OF1.4) (xid=0x9):\n bundle_id=0x7 flags=atomic\nOFPT_PORT_MOD (OF1.4) (xid=0x9): port: 1: addr:aa:55:aa:55:00:0f", OfpPrint.Print(add));
        var back = (BundleAddMessage)OfCodec.Decode(add, Of14);
        Assert.Equal(inner, back.Message.ToArray());
        Assert.Equal(new PortMod(1, 0xaa55aa55000f, 1, 1, 0), OfCodec.Decode(back.Message.Span, Of14));
        byte[] otherXid = OfCodec.Encode(new BundleAddMessage(7, 1, inner), Of14, 10);
        Assert.Equal(OfError.BundleFailedMsgBadXid, Assert.Throws<OfErrorException>(() => OfCodec.Decode(otherXid, Of14)).Error);
    }

    [Fact]
    public void ABundledMessageThatDoesNotFitOrHasAnotherVersionIsRefused()
    {
        byte[] tooLong = Convert.FromHexString("0522002000000001" + "0000000700000001" + "0514001000000009" + "0000000000000000".Substring(0, 16));
        tooLong[18] = 0x00;
        tooLong[19] = 0x40; // inner length 64 in 16 bytes
        Assert.Equal(OfError.BundleFailedMsgBadLen, Assert.Throws<OfErrorException>(() => OfCodec.Decode(tooLong, Of14)).Error);
        byte[] otherVersion = Convert.FromHexString("0522001800000009" + "0000000700000001" + "0414000800000009");
        Assert.Equal(OfError.BundleFailedBadVersion, Assert.Throws<OfErrorException>(() => OfCodec.Decode(otherVersion, Of14)).Error);
        byte[] cut = Convert.FromHexString("0521000c00000001" + "00000007");
        Assert.Equal(OfError.BadRequestBadLen, Assert.Throws<OfErrorException>(() => OfCodec.Decode(cut, Of14)).Error);
    }
}

using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Tests.Wire;

/// <summary>
/// NXT_PACKET_IN2, the packet-in <c>ovs-ofctl monitor</c> asks for on every version: the bytes Open vSwitch sends
/// (tests/data/openflow/packet-in2.txt) decode, and FastPath's encoding of the same packet-ins is those bytes.
/// </summary>
public class PacketIn2Tests
{
    private static readonly OfSession Of10In2 = new(OpenFlowVersion.OF10) { PacketInFormat = NxPacketInFormat.NxtPacketIn2 };
    private static readonly OfSession Of13In2 = new(OpenFlowVersion.OF13) { PacketInFormat = NxPacketInFormat.NxtPacketIn2 };

    private static List<byte[]> Captured() =>
        [.. File.ReadLines(TestData.Path("openflow", "packet-in2.txt")).Where(l => l.Length > 0 && l[0] != '#').Select(Convert.FromHexString)];

    private static byte[] Packet => Convert.FromHexString("000000000002000000000001080045000020000000004011669a0a0000010a00000204d2162e000c0000deadbeef");

    private static PacketInMessage Expected(uint inPort, OfPacketInReason reason, ulong cookie, byte[]? userdata = null)
    {
        PipelineMatch m = default;
        OfFields.InPort.Set(ref m, inPort, OfFields.InPort.FullMask);
        return new PacketInMessage(FlowMod.NoBuffer, 46, reason, 0, cookie, m, Packet) { Userdata = userdata };
    }

    private static readonly PacketInMessage[] Messages =
    [
        Expected(1, OfPacketInReason.Action, ulong.MaxValue),
        Expected(2, OfPacketInReason.Action, 0x42, [1, 2, 3]),
        Expected(1, OfPacketInReason.NoMatch, 0),
    ];

    [Fact]
    public void OpenVSwitchsPacketIn2sDecodeAndOursAreTheSameBytes()
    {
        List<byte[]> captured = Captured();
        Assert.Equal(3, captured.Count);
        for (int i = 0; i < captured.Count; i++)
        {
            Assert.Equal(Messages[i], Assert.IsType<PacketInMessage>(OfCodec.Decode(captured[i], Of10In2)));
            Assert.Equal(Convert.ToHexString(captured[i]), Convert.ToHexString(OfCodec.Encode(Messages[i], Of10In2, 0)));
        }
    }

    [Fact]
    public void OnOpenFlow13ItIsAnExperimenterMessageOvsPrintsAlike()
    {
        byte[] bytes = OfCodec.Encode(Messages[1], Of13In2, 0);
        Assert.Equal(4, bytes[0]);
        Assert.Equal(4, bytes[1]); // OFPT_EXPERIMENTER
        string printed = OfpPrint.Print(bytes);
        Assert.StartsWith("NXT_PACKET_IN2 (OF1.3) (xid=0x0): cookie=0x42 total_len=46 in_port=2 (via action) data_len=46 (unbuffered)\n userdata=01.02.03\n", printed, StringComparison.Ordinal);
        Assert.Equal(Messages[1], OfCodec.Decode(bytes, Of13In2));
    }

    [Fact]
    public void ACutPacketCarriesItsFullLengthAndPipelineFields()
    {
        PipelineMatch m = default;
        OfFields.InPort.Set(ref m, 3, OfFields.InPort.FullMask);
        OfFields.Metadata.Set(ref m, 0x99, OfFields.Metadata.FullMask);
        var cut = new PacketInMessage(FlowMod.NoBuffer, 46, OfPacketInReason.NoMatch, 7, 5, m, Packet[..20]);
        byte[] bytes = OfCodec.Encode(cut, Of13In2, 9);
        Assert.StartsWith(
            "NXT_PACKET_IN2 (OF1.3) (xid=0x9): table_id=7 cookie=0x5 total_len=46 metadata=0x99,in_port=3 (via no_match) data_len=20 (unbuffered)",
            OfpPrint.Print(bytes),
            StringComparison.Ordinal);
        Assert.Equal(cut, OfCodec.Decode(bytes, Of13In2));
    }

    [Theory]
    [InlineData("0003000500000000", "BadRequestBadLen")] // no packet property
    [InlineData("00000032", "BadPropertyBadLen")] // the packet property runs past the message
    [InlineData("0008000800000000", "BadPropertyBadType")] // a continuation: never accepted
    [InlineData("0063000800000000", "BadPropertyBadType")] // an unknown property
    [InlineData("0001000600000000", "BadPropertyBadLen")] // full_len of 2 bytes
    [InlineData("0002000300000000", "BadPropertyBadLen")] // shorter than its own header
    public void AMalformedPacketIn2IsRefusedWithItsError(string properties, string error)
    {
        byte[] body = Convert.FromHexString("000023200000001e" + properties);
        byte[] frame = [1, 4, 0, (byte)(8 + body.Length), 0, 0, 0, 1, .. body];
        var e = Assert.Throws<OfErrorException>(() => OfCodec.Decode(frame, Of10In2));
        Assert.Equal(typeof(OfError).GetField(error)!.GetValue(null), e.Error);
    }
}

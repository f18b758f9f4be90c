using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Tests.Wire;

public class OfErrorEncodingTests
{
    private static readonly OpenFlowVersion[] Versions = [OpenFlowVersion.OF10, OpenFlowVersion.OF13, OpenFlowVersion.OF14, OpenFlowVersion.OF15];

    [Fact]
    public void EveryErrorPrintsWithItsNameOnEveryVersionOrAsUnencodable()
    {
        // Open vSwitch's own decoder reads each of our encodings back to the same name; where a version has no form
        // for an error, Open vSwitch would send NXBRC_UNENCODABLE_ERROR, and so do we.
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var cases = OfErrorEncoding.All.SelectMany(e => Versions.Select(v => (e, v))).ToArray();
        Assert.True(cases.Length > 190 * 4);
        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, c =>
        {
            var session = new OfSession(c.v);
            byte[] bytes = OfCodec.Encode(new ErrorMessage(c.e, [1, 2, 3, 4]), session, 1);
            string expected = !OfErrorEncoding.IsEncodable(c.e, c.v) ? "NXBRC_UNENCODABLE_ERROR"
                : c.e == OfError.BadRequestIsSlave && c.v == OpenFlowVersion.OF10 ? "OFPBRC_EPERM" // (1,5) names both; OVS reads the first
                : c.e.Name!;
            string first = OfpPrint.Print(bytes).Split('\n')[0];
            if (!first.EndsWith("): " + expected, StringComparison.Ordinal))
            {
                failures.Add($"{c.e.Name} on {c.v}: {first}");
            }

            var back = (ErrorMessage)OfCodec.Decode(bytes, session);
            OfError expectBack = OfErrorEncoding.IsEncodable(c.e, c.v) ? c.e : OfError.NxBadRequestUnencodableError;
            if (!DecodesTo(c.e, c.v, back.Error, expectBack) || !back.Data.SequenceEqual(new byte[] { 1, 2, 3, 4 }))
            {
                failures.Add($"{c.e.Name} on {c.v}: decoded {back.Error}");
            }
        });
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData(OpenFlowVersion.OF10, "0001", "0005")] // OFPBRC_EPERM and IS_SLAVE share (1,5) in 1.0 ...
    [InlineData(OpenFlowVersion.OF13, "0001", "000A")] // ... not in 1.3
    public void IsSlaveFollowsEachVersionsNumbering(OpenFlowVersion v, string type, string code)
    {
        byte[] bytes = OfCodec.Encode(new ErrorMessage(OfError.BadRequestIsSlave, []), new OfSession(v), 1);
        Assert.Equal(type + code, Convert.ToHexString(bytes, 8, 4));
    }

    [Fact]
    public void OpenFlow10SendsNiciraVendorErrorsForWhatItLacks()
    {
        byte[] bytes = OfCodec.Encode(new ErrorMessage(OfError.BadRequestBadTableId, [0xaa]), new OfSession(OpenFlowVersion.OF10), 7);
        Assert.Equal("01010015" + "00000007" + "B0C2" + "0000" + "00002320" + "0001" + "0200" + "AA", Convert.ToHexString(bytes));
        Assert.StartsWith("OFPT_ERROR (xid=0x7): OFPBRC_BAD_TABLE_ID", OfpPrint.Print(bytes));
        byte[] nx13 = OfCodec.Encode(new ErrorMessage(OfError.NxBadRequestNxmInvalid, []), new OfSession(OpenFlowVersion.OF13), 7);
        Assert.Equal("04010010" + "00000007" + "FFFF" + "0002" + "00002320", Convert.ToHexString(nx13));
        byte[] onf13 = OfCodec.Encode(new ErrorMessage(OfError.BundleFailedBadId, []), new OfSession(OpenFlowVersion.OF13), 7);
        Assert.Equal("04010010" + "00000007" + "FFFF" + "08FE" + "4F4E4600", Convert.ToHexString(onf13));
        byte[] std14 = OfCodec.Encode(new ErrorMessage(OfError.BundleFailedBadId, []), new OfSession(OpenFlowVersion.OF14), 7);
        Assert.Equal("0501000C" + "00000007" + "0011" + "0002", Convert.ToHexString(std14));
    }

    [Theory]
    [InlineData("bad-multipart-96-of13")]
    [InlineData("bad-nx-subtype-of10")]
    public void ErrorsCarryTheWholeRequestAsOpenVSwitchSends(string conversation)
    {
        // Recorded: Open vSwitch 3.1 answers a 96-byte bad request with all 96 bytes (not only the spec's 64).
        var messages = OvsVectors.Load(conversation);
        byte[] request = messages.First(m => m.Direction == '>' && m.Bytes[1] != 0).Bytes;
        byte[] ovsError = messages.First(m => m.Direction == '<' && m.Bytes[1] == 1).Bytes;
        var session = new OfSession((OpenFlowVersion)request[0]);
        var ex = Assert.Throws<OfErrorException>(() => OfCodec.Decode(request, session));
        byte[] ours = OfCodec.Encode(ErrorMessage.ForRequest(ex.Error, request), session, 7);
        Assert.Equal(Convert.ToHexString(ovsError), Convert.ToHexString(ours));
    }

    [Fact]
    public void AnErrorIsCutOnlyToFitOneMessageAndHelloFailuresCarryText()
    {
        byte[] huge = new byte[65535];
        ErrorMessage e = ErrorMessage.ForRequest(OfError.BadRequestBadLen, huge);
        Assert.Equal(ErrorMessage.MaxData, e.Data.Length);
        Assert.Equal(65535, OfCodec.Encode(e with { Error = OfError.BadRequestBadTableId }, new OfSession(OpenFlowVersion.OF10), 1).Length);

        ErrorMessage hello = ErrorMessage.HelloFailed(OfError.HelloIncompatible, "We support versions 0x01, 0x04 to 0x06, you support 0x02.");
        byte[] bytes = OfCodec.Encode(hello, new OfSession(OpenFlowVersion.OF10), 1);
        Assert.Equal("OFPT_ERROR (xid=0x1): OFPHFC_INCOMPATIBLE\nWe support versions 0x01, 0x04 to 0x06, you support 0x02.", OfpPrint.Print(bytes));
    }

    [Theory]
    [InlineData("0101000a 00000001 0001", 1, 6)] // no code
    [InlineData("01010010 00000001 b0c2 0000 00002320", 1, 6)] // vendor error without NX type/code
    [InlineData("04010010 00000001 ffff 0002 0000", 1, 6)] // experimenter error without the full id
    public void TruncatedErrorsAreBadLen(string hex, int type, int code)
    {
        byte[] bytes = Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
        var ex = Assert.Throws<OfErrorException>(() => OfCodec.Decode(bytes, new OfSession((OpenFlowVersion)bytes[0])));
        Assert.Equal(new OfError((OfErrorType)type, (ushort)code), ex.Error);
    }

    [Fact]
    public void UnknownPairsComeBackAsTheyAre()
    {
        byte[] bytes = Convert.FromHexString("0401000C00000001" + "00630007");
        Assert.Equal(new OfError((OfErrorType)0x63, 7), ((ErrorMessage)OfCodec.Decode(bytes, new OfSession(OpenFlowVersion.OF13))).Error);
    }

    private static bool DecodesTo(OfError sent, OpenFlowVersion v, OfError got, OfError expected)
    {
        // Forms two errors share in one version (1.0's (1,5): OFPBRC_EPERM and OFPBRC_IS_SLAVE) decode to the first.
        return got == expected || (v == OpenFlowVersion.OF10 && sent == OfError.BadRequestIsSlave && got == OfError.BadRequestPermission);
    }
}

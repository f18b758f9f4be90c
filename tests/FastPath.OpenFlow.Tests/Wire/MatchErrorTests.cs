using System.Buffers.Binary;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Tests.Wire;

/// <summary>
/// Malformed matches get the error Open vSwitch 3.1 answered for the same bytes: each case below was sent to a
/// private ovs-vswitchd (capture-ofctl.py --send) inside an OpenFlow 1.3 flow-mod or an NXT_FLOW_MOD, and the
/// OFPT_ERROR it returned is the expected error.
/// </summary>
public class MatchErrorTests
{
    private const ushort B = 0x8000;

    public static TheoryData<string, byte[], string> Of13Cases => new()
    {
        { "match type 2", Fm13(Match13([], type: 2)), "BadMatchBadType" },
        { "OFPMT_STANDARD of 4 bytes", Fm13(Match13([], type: 0)), "BadMatchBadLen" },
        { "match length 3", Fm13(Match13([], lengthAdjust: -1)), "BadMatchBadLen" },
        { "unknown basic field 99", Fm13(Match13([Oxm(B, 99, [0])])), "BadMatchBadField" },
        { "unknown class 5", Fm13(Match13([Oxm(5, 1, [0])])), "BadMatchBadField" },
        { "unknown experimenter", Fm13(Match13([Oxm(0xffff, 42, [0, 2], exp: 0x12345678)])), "BadMatchBadField" },
        { "eth_type of 3 bytes", Fm13(Match13([[0x80, 0x00, 10, 3, 8, 0, 0]])), "BadMatchBadField" },
        { "zero-length header", Fm13(Match13([[0x80, 0x00, 20, 0]])), "BadMatchBadField" },
        { "eth_type twice", Fm13(Match13([Oxm(B, 5, [8, 0]), Oxm(B, 5, [8, 0])])), "BadMatchDupField" },
        { "partial mask on eth_type", Fm13(Match13([Oxm(B, 5, [8, 0], [0xff, 0])])), "BadMatchBadMask" },
        { "partial mask on ip_proto", Fm13(Match13([Oxm(B, 5, [8, 0]), Oxm(B, 10, [6], [0x0f])])), "BadMatchBadMask" },
        { "eth_dst value outside its mask", Fm13(Match13([Oxm(B, 3, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0xff, 0xff, 0xff, 0, 0, 0])])), "BadMatchBadWildcards" },
        { "ipv4_src value outside its mask", Fm13(Match13([Oxm(B, 5, [8, 0]), Oxm(B, 11, [10, 0, 0, 1], [0xff, 0, 0xff, 0])])), "BadMatchBadWildcards" },
        { "tcp_dst without ip", Fm13(Match13([Oxm(B, 14, [0, 80])])), "BadMatchBadPrereq" },
        { "tcp_dst without ip_proto", Fm13(Match13([Oxm(B, 5, [8, 0]), Oxm(B, 14, [0, 80])])), "BadMatchBadPrereq" },
        { "ip_proto before eth_type", Fm13(Match13([Oxm(B, 10, [6]), Oxm(B, 5, [8, 0]), Oxm(B, 14, [0, 80])])), "BadMatchBadPrereq" },
        { "vlan_pcp without vlan_vid", Fm13(Match13([Oxm(B, 7, [3])])), "BadMatchBadPrereq" },
        { "vlan_pcp after 'no tag'", Fm13(Match13([Oxm(B, 6, [0, 0]), Oxm(B, 7, [1])])), "BadMatchBadPrereq" },
        { "icmpv6_type on IPv6 without proto", Fm13(Match13([Oxm(B, 5, [0x86, 0xdd]), Oxm(B, 29, [0x87])])), "BadMatchBadPrereq" },
        { "nd_target under icmpv6 type 128", Fm13(Match13([Oxm(B, 5, [0x86, 0xdd]), Oxm(B, 10, [58]), Oxm(B, 29, [128]), Oxm(B, 31, new byte[16])])), "BadMatchBadPrereq" },
        { "vlan_vid 0x2005", Fm13(Match13([Oxm(B, 6, [0x20, 0x05])])), "BadMatchBadValue" },
        { "vlan_pcp 8", Fm13(Match13([Oxm(B, 6, [0x10, 0x05]), Oxm(B, 7, [8])])), "BadMatchBadValue" },
        { "ip_dscp 64", Fm13(Match13([Oxm(B, 5, [8, 0]), Oxm(B, 8, [64])])), "BadMatchBadValue" },
        { "ip_ecn 4", Fm13(Match13([Oxm(B, 5, [8, 0]), Oxm(B, 9, [4])])), "BadMatchBadValue" },
        { "in_port 0x10000", Fm13(Match13([Oxm(B, 0, [0, 1, 0, 0])])), "BadMatchBadValue" },
        { "arp_op 300", Fm13(Match13([Oxm(B, 5, [8, 6]), Oxm(B, 21, [1, 44])])), "BadMatchBadValue" },
        { "mpls_label 2^20", Fm13(Match13([Oxm(B, 5, [0x88, 0x47]), Oxm(B, 34, [0, 0x10, 0, 0])])), "BadMatchBadValue" },
        { "mpls_bos 2", Fm13(Match13([Oxm(B, 5, [0x88, 0x47]), Oxm(B, 36, [2])])), "BadMatchBadValue" },
        { "ipv6_flabel 2^20", Fm13(Match13([Oxm(B, 5, [0x86, 0xdd]), Oxm(B, 28, [0, 0x10, 0, 0])])), "BadMatchBadValue" },
        { "OXM header cut short", Fm13(Match13([[0x80, 0x00]])), "BadMatchBadLen" },
        { "OXM length past the match", Fm13(Match13([[0x80, 0x00, 20, 30, 8, 0]])), "BadMatchBadLen" },
        { "experimenter header without its id", Fm13(Match13([[0xff, 0xff, 84, 2, 0x4f, 0x4e]])), "BadMatchBadLen" },
        { "add to OFPTT_ALL", Fm13(Match13([]), table: 0xff), "FlowModFailedBadTableId" },
        { "command 9", Fm13(Match13([]), command: 9), "FlowModFailedBadCommand" },
    };

    public static TheoryData<string, byte[], string> NxCases => new()
    {
        { "NXM_NX_COOKIE in an add", NxFm([Oxm(1, 30, [0, 0, 0, 0, 0, 0, 0, 5])], command: 0), "NxBadRequestNxmInvalid" },
        { "nw_tos with ECN bits", NxFm([Oxm(0, 3, [8, 0]), Oxm(0, 5, [3])]), "BadMatchBadValue" },
        { "unknown NXM_NX field", NxFm([Oxm(1, 120, [0])]), "BadMatchBadField" },
        { "match_len past the message", NxFm([Oxm(0, 3, [8, 0])], lengthAdjust: 8), "BadMatchBadLen" },
        { "tcp_dst without ip", NxFm([Oxm(0, 10, [0, 80])]), "BadMatchBadPrereq" },
        { "eth_type twice", NxFm([Oxm(0, 3, [8, 0]), Oxm(0, 3, [8, 0])]), "BadMatchDupField" },
        { "eth_dst value outside its mask", NxFm([Oxm(0, 1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0xff, 0, 0, 0, 0, 0])]), "BadMatchBadWildcards" },
        { "partial mask on eth_type", NxFm([Oxm(0, 3, [8, 0], [0xff, 0])]), "BadMatchBadMask" },
        { "command 9", NxFm([], command: 9), "FlowModFailedBadCommand" },
    };

    [Theory]
    [MemberData(nameof(Of13Cases))]
    public void OpenFlow13MatchesFailAsOvsFails(string name, byte[] message, string error)
    {
        var e = Assert.Throws<OfErrorException>(() => OfCodec.Decode(message, new OfSession(OpenFlowVersion.OF13)));
        Assert.True(Named(error) == e.Error, $"{name}: {e.Error} ({e.Message}), expected {error}");
    }

    [Theory]
    [MemberData(nameof(NxCases))]
    public void NxmMatchesFailAsOvsFails(string name, byte[] message, string error)
    {
        var e = Assert.Throws<OfErrorException>(() => OfCodec.Decode(message, new OfSession(OpenFlowVersion.OF10)));
        Assert.True(Named(error) == e.Error, $"{name}: {e.Error} ({e.Message}), expected {error}");
    }

    [Fact]
    public void WhatOvsAcceptsIsAccepted()
    {
        // Each of these Open vSwitch 3.1 took (the full-mask and zero-mask forms on unmaskable fields, masks wider
        // than the field, NXM headers inside an OXM match, ONF's tcp_flags, 1.5's packet registers, non-zero padding).
        byte[][] ok =
        [
            Fm13(Match13([Oxm(B, 5, [8, 0], [0xff, 0xff])])),
            Fm13(Match13([Oxm(B, 5, [0, 0], [0, 0])])),
            Fm13(Match13([Oxm(B, 0, [0, 0, 0, 1], [0xff, 0xff, 0xff, 0xff])])),
            Fm13(Match13([Oxm(B, 6, [0x10, 0x05], [0xff, 0xff])])),
            Fm13(Match13([Oxm(B, 6, [0x10, 0x00], [0x10, 0x00]), Oxm(B, 7, [1])])),
            Fm13(Match13([Oxm(B, 5, [8, 0]), Oxm(B, 10, [6]), Oxm(0xffff, 42, [0, 2], exp: 0x4f4e4600)])),
            Fm13(Match13([Oxm(0x8001, 0, [0, 0, 0, 5, 0, 0, 0, 0], [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])])),
            Fm13(Match13([Oxm(1, 0, [0, 0, 0, 5])])),
            Fm13(Match13([Oxm(B, 38, [0, 0, 0, 0, 0, 0, 0, 5])])),
        ];
        foreach (byte[] m in ok)
        {
            Assert.IsType<FlowModMessage>(OfCodec.Decode(m, new OfSession(OpenFlowVersion.OF13)));
        }

        var nx = (FlowModMessage)OfCodec.Decode(NxFm([Oxm(1, 30, [0, 0, 0, 0, 0, 0, 0, 5], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])], command: 3), new OfSession(OpenFlowVersion.OF10));
        Assert.Equal((5ul, ulong.MaxValue), (nx.Mod.Rule.Cookie, nx.Mod.Rule.CookieMask));
        var mplsTtl = (FlowModMessage)OfCodec.Decode(NxFm([Oxm(0, 3, [0x88, 0x47]), Oxm(1, 30, [5])]), new OfSession(OpenFlowVersion.OF10));
        Assert.Equal((UInt128)5, OfFields.MplsTtl.Read(mplsTtl.Mod.Rule.Match.Key));
    }

    private static OfError Named(string name) =>
        (OfError)typeof(OfError).GetField(name)!.GetValue(null)!;

    private static byte[] Oxm(ushort cls, byte field, byte[] value, byte[]? mask = null, uint? exp = null)
    {
        byte[] e = exp is uint x ? [(byte)(x >> 24), (byte)(x >> 16), (byte)(x >> 8), (byte)x] : [];
        byte[] body = [.. e, .. value, .. mask ?? []];
        return [(byte)(cls >> 8), (byte)cls, (byte)((field << 1) | (mask is null ? 0 : 1)), (byte)body.Length, .. body];
    }

    private static byte[] Match13(byte[][] oxms, ushort type = 1, int lengthAdjust = 0)
    {
        byte[] tlvs = oxms.SelectMany(o => o).ToArray();
        int length = 4 + tlvs.Length + lengthAdjust;
        byte[] m = [(byte)(type >> 8), (byte)type, (byte)(length >> 8), (byte)length, .. tlvs];
        return [.. m, .. new byte[(8 - (m.Length % 8)) % 8]];
    }

    private static byte[] Fm13(byte[] match, byte table = 0, byte command = 0)
    {
        var b = new byte[48];
        b[0] = 4;
        b[1] = 14;
        b[24] = table;
        b[25] = command;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(30), 0x8000);
        b.AsSpan(32, 12).Fill(0xff); // buffer_id, out_port, out_group
        byte[] m = [.. b, .. match];
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), (ushort)m.Length);
        return m;
    }

    private static byte[] NxFm(byte[][] nxm, ushort command = 0, int lengthAdjust = 0)
    {
        byte[] tlvs = nxm.SelectMany(o => o).ToArray();
        var b = new byte[48];
        b[0] = 1;
        b[1] = 4;
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(8), 0x2320);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(12), 13);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(24), command);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(30), 0x8000);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(32), 0xffffffff);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(36), 0xffff);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(40), (ushort)(tlvs.Length + lengthAdjust));
        byte[] m = [.. b, .. tlvs, .. new byte[(8 - (tlvs.Length % 8)) % 8]];
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), (ushort)m.Length);
        return m;
    }
}

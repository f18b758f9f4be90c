using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Actions;

namespace FastPath.OpenFlow.Tests.Wire;

public class ActionCodecTests
{
    public static TheoryData<int> CapturedIndexes()
    {
        var d = new TheoryData<int>();
        for (int i = 0; i < CapturedFlows.All().Count(); i++)
        {
            d.Add(i);
        }

        return d;
    }

    /// <summary>Our encoding of the parsed flow is byte for byte what ovs-ofctl sent, and decoding those bytes encodes back to them.</summary>
    [Theory]
    [MemberData(nameof(CapturedIndexes))]
    public void CapturedOvsFlowModsEncodeAndDecodeByteForByte(int index)
    {
        var (v, flow, message) = CapturedFlows.All().ElementAt(index);
        FlowRule rule = FlowText.Parse(flow);
        byte[] ovs = message[CapturedFlows.InstructionsOffset(message)..];

        var w = new WireWriter();
        OfInstructionCodec.Encode(w, rule.Instructions, v, rule.Match);
        Assert.Equal(Convert.ToHexString(ovs), Convert.ToHexString(w.ToArray()));

        var r = new WireReader(ovs);
        OfInstructionSet decoded = OfInstructionCodec.Decode(ref r, ovs.Length, v);
        Assert.True(r.AtEnd);
        var again = new WireWriter();
        OfInstructionCodec.Encode(again, decoded, v, rule.Match);
        Assert.Equal(Convert.ToHexString(ovs), Convert.ToHexString(again.ToArray()));

        // What we decoded prints as Open vSwitch prints the same bytes (ActionText prints OpenFlow 1.0 and 1.3 spellings only).
        if (v == OpenFlowVersion.OF15)
        {
            return;
        }

        string printed = OfpPrint.Print(message);
        string actions = printed[(printed.IndexOf(" actions=", StringComparison.Ordinal) + 9)..].Split('\n')[0].Trim();
        Assert.Equal(actions, ActionText.Format(decoded, rule.Match, v == OpenFlowVersion.OF10 ? OpenFlowVersion.OF10 : OpenFlowVersion.OF13));
    }

    public static TheoryData<string, string> EveryAction() => new()
    {
        { "ip", "output:3" },
        { "ip", "CONTROLLER:77" },
        { "ip", "IN_PORT,LOCAL,ALL,FLOOD,NORMAL" },
        { "tcp", "mod_dl_src:01:02:03:04:05:06,mod_dl_dst:0a:0b:0c:0d:0e:0f,mod_nw_src:1.2.3.4,mod_nw_dst:5.6.7.8,mod_nw_tos:8,mod_tp_src:1,mod_tp_dst:2" },
        { "udp", "mod_tp_src:1,mod_tp_dst:2,mod_nw_ecn:2" },
        { "ip", "mod_vlan_vid:7,mod_vlan_pcp:5,strip_vlan" },
        { "dl_vlan=3", "mod_vlan_vid:7,mod_vlan_pcp:5,pop_vlan" },
        { "ip", "dec_ttl,mod_nw_ttl:9" },
        { "ip", "push_mpls:0x8847,set_mpls_ttl(4),dec_mpls_ttl,set_mpls_label(77),set_mpls_tc(3),pop_mpls:0x0800" },
        { "ip", "group:9,set_queue:4" },
        { "ip", "move:NXM_NX_REG0[0..3]->NXM_NX_REG1[4..7],move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]" },
        { "ip", "load:0x5->NXM_NX_REG0[3..9],set_field:0x1234->tun_id,set_field:0x12/0xff->reg3,load:1->OXM_OF_METADATA[3..10]" },
        { "ipv6", "set_field:::1->ipv6_src,set_field:0x12->ipv6_label,load:5->NXM_NX_IPV6_DST[0..63]" },
        { "arp", "set_field:2->arp_op,set_field:1.2.3.4->arp_spa,set_field:01:02:03:04:05:06->arp_tha" },
        { "icmp", "set_field:3->icmp_type,set_field:4->icmp_code" },
        { "sctp", "set_field:5->sctp_dst" },
        { "ip", "write_metadata:0x5/0xff" },
        { "ip", "output:1,goto_table:3" },
        { "ip", "set_field:5->in_port,load:7->NXM_OF_IN_PORT[0..7],set_field:LOCAL->in_port" },
    };

    /// <summary>Every action round-trips in every version, and our bytes print as ovs-ofctl parse-flow prints the same flow.</summary>
    [Theory]
    [MemberData(nameof(EveryAction))]
    public void EveryActionRoundTripsInEveryVersionAndPrintsAsOpenVSwitch(string match, string actions)
    {
        FlowRule rule = FlowText.Parse($"{match},actions={actions}");
        foreach (OpenFlowVersion v in new[] { OpenFlowVersion.OF10, OpenFlowVersion.OF13, OpenFlowVersion.OF14, OpenFlowVersion.OF15 })
        {
            var w = new WireWriter();
            OfInstructionCodec.Encode(w, rule.Instructions, v, rule.Match);
            byte[] bytes = w.ToArray();
            var r = new WireReader(bytes);
            OfInstructionSet decoded = OfInstructionCodec.Decode(ref r, bytes.Length, v);
            var again = new WireWriter();
            OfInstructionCodec.Encode(again, decoded, v, rule.Match);
            Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(again.ToArray()));

            // Open vSwitch's decoder reads our bytes as the same flow its own parser makes of the text.
            byte[] flowMod = FlowModBytes.Wrap(v, bytes, match);
            string ours = OfpPrint.Print(flowMod);
            string expected = ParseFlowActions($"{match},actions={actions}", v);
            if (expected.StartsWith("error", StringComparison.Ordinal))
            {
                continue; // the version cannot say it (and Open vSwitch's match differs): covered by the capture tests
            }

            Assert.Equal(expected, ours[(ours.IndexOf(" actions=", StringComparison.Ordinal) + 9)..].Split('\n')[0].Trim());
        }
    }

    private static string ParseFlowActions(string flow, OpenFlowVersion v)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("ovs-ofctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-O");
        psi.ArgumentList.Add(v switch { OpenFlowVersion.OF10 => "OpenFlow10", OpenFlowVersion.OF13 => "OpenFlow13", OpenFlowVersion.OF14 => "OpenFlow14", _ => "OpenFlow15" });
        psi.ArgumentList.Add("parse-flow");
        psi.ArgumentList.Add(flow);
        using var p = System.Diagnostics.Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string? line = output.Split('\n').FirstOrDefault(l => l.Contains(" actions=", StringComparison.Ordinal) && l.Contains("FLOW_MOD", StringComparison.Ordinal));
        if (p.ExitCode != 0 || line is null || output.Contains("NXT_FLOW_MOD", StringComparison.Ordinal))
        {
            return "error: " + err;
        }

        return line[(line.IndexOf(" actions=", StringComparison.Ordinal) + 9)..].Trim();
    }

    [Fact]
    public void InstructionsOpenFlowOneZeroCannotSayThrow()
    {
        var w = new WireWriter();
        Assert.Throws<NotSupportedException>(() => OfInstructionCodec.Encode(w, new OfInstructionSet { ClearActions = true }, OpenFlowVersion.OF10));
        Assert.Throws<NotSupportedException>(() => OfInstructionCodec.Encode(w, new OfInstructionSet { WriteActions = [new OutputAction(1)] }, OpenFlowVersion.OF10));
        Assert.Throws<NotSupportedException>(() => OfActionCodec.Encode(w, [new PushVlanAction(0x88a8)], OpenFlowVersion.OF10));
    }

    [Fact]
    public void OpenFlowOneZeroLeavesTheMeterOutAsOpenVSwitchDoes()
    {
        // Open vSwitch 3.1's plain dump-flows of "in_port=1,actions=meter:1,output:2" prints "actions=output:2".
        var metered = new WireWriter();
        OfInstructionCodec.Encode(metered, new OfInstructionSet { Meter = 1, ApplyActions = [new OutputAction(2)] }, OpenFlowVersion.OF10);
        var plain = new WireWriter();
        OfInstructionCodec.Encode(plain, new OfInstructionSet { ApplyActions = [new OutputAction(2)] }, OpenFlowVersion.OF10);
        Assert.Equal(plain.ToArray(), metered.ToArray());
        Assert.Equal(8, metered.Length);
    }

    [Fact]
    public void OpenFlowOneFiveCarriesTheMeterAsTheFirstAction()
    {
        var set = new OfInstructionSet { Meter = 4, ApplyActions = [new OutputAction(2)] };
        var w = new WireWriter();
        OfInstructionCodec.Encode(w, set, OpenFlowVersion.OF15);
        Assert.Equal("0004002000000000" + "001D000800000004" + "0000001000000002" + "0000000000000000", Convert.ToHexString(w.ToArray()));
        var r = new WireReader(w.ToArray());
        Assert.Equal(set, OfInstructionCodec.Decode(ref r, w.Length, OpenFlowVersion.OF15));

        // A meter after another action cannot be said in FastPath's model.
        byte[] late = Convert.FromHexString("0004002000000000" + "0000001000000002" + "0000000000000000" + "001D000800000004");
        AssertError(OfError.BadActionUnsupportedOrder, late, OpenFlowVersion.OF15, instructions: true);
    }

    [Theory]
    // Action list lengths (the message's own field): not a multiple of 8, or beyond the message.
    [InlineData("01", "0000000800010000", 4, "BadRequest", 6)]
    [InlineData("01", "0000000800010000", 16, "BadRequest", 6)]
    // Unknown type, length past the list, length too small or not the action's size, not a multiple of 8.
    [InlineData("01", "000C000800000000", -1, "BadAction", 0)]
    [InlineData("01", "000B001000010000" + "0000000000000000", -1, "BadAction", 0)] // enqueue: FastPath lacks it (Open vSwitch accepts it)
    [InlineData("01", "0000001000010000", -1, "BadAction", 1)]
    [InlineData("01", "0004000800000000", -1, "BadAction", 1)]
    [InlineData("04", "0000000C00000001" + "0000000000000000", -1, "BadAction", 1)]
    [InlineData("04", "0019000C80001604" + "0102030400000000", -1, "BadAction", 1)]
    // Output ports that cannot be: OpenFlow 1.0's 0xff00 and NONE; 1.3's ANY and the gap below the reserved ports.
    [InlineData("01", "00000008FF000000", -1, "BadAction", 4)]
    [InlineData("01", "00000008FFFF0000", -1, "BadAction", 4)]
    [InlineData("04", "00000010FFFFFFFF" + "0000000000000000", -1, "BadAction", 4)]
    [InlineData("04", "00000010FFFFFF00" + "0000000000000000", -1, "BadAction", 4)]
    // Arguments: mod_vlan_vid over 12 bits, mod_vlan_pcp over 3, mod_nw_tos with ECN bits, push_vlan/push_mpls types.
    [InlineData("01", "0001000810000000", -1, "BadAction", 5)]
    [InlineData("01", "0002000808000000", -1, "BadAction", 5)]
    [InlineData("01", "0008000801000000", -1, "BadAction", 5)]
    [InlineData("04", "0011000808000000", -1, "BadAction", 5)]
    [InlineData("04", "0013000808000000", -1, "BadAction", 5)]
    // Types Open vSwitch does not implement: copy_ttl_out/in, push/pop_pbb; 1.5's copy_field and meter on 1.3.
    [InlineData("04", "000B000800000000", -1, "BadAction", 0)]
    [InlineData("04", "001A000888E70000", -1, "BadAction", 0)]
    [InlineData("04", "001D000800000001", -1, "BadAction", 0)]
    // Experimenters: unknown id, unknown Nicira subtype, too short for the subtype.
    [InlineData("04", "FFFF001000001234" + "0000000000000000", -1, "BadAction", 2)]
    [InlineData("04", "FFFF001000002320" + "00FA000000000000", -1, "BadAction", 3)]
    [InlineData("01", "FFFF000800002320", -1, "BadAction", 1)]
    // set_field (errors as ovs-vswitchd 3.1 answered them): unknown OXM, wrong OXM length, the value cut short, an
    // unmapped tun_metadata, a mask before 1.5, in_port, a read-only field, vlan_vid without OFPVID_PRESENT, non-zero padding.
    [InlineData("04", "0019001080007E04" + "0102030400000000", -1, "BadAction", 14)]
    [InlineData("04", "0019001080001603" + "0102030400000000", -1, "BadAction", 14)]
    [InlineData("04", "0019000880001604", -1, "BadMatch", 1)]
    [InlineData("04", "0019001000015004" + "0102030400000000", -1, "Experimenter", 37)]
    [InlineData("04", "0019001880001708" + "01020304FFFFFF00" + "0000000000000000", -1, "BadMatch", 5)]
    [InlineData("04", "0019001080000004" + "0000000100000000", -1, "BadAction", 15)]
    [InlineData("04", "0019001080000A02" + "0800000000000000", -1, "BadAction", 15)]
    [InlineData("04", "0019001080000C02" + "0005000000000000", -1, "BadAction", 15)]
    [InlineData("04", "0019001080001604" + "0102030400000001", -1, "BadAction", 15)]
    // reg_load: unknown destination, an unmapped tun_metadata, bits beyond the field, a value wider than the bits, a read-only field.
    [InlineData("04", "FFFF001800002320" + "000700070001FE04" + "0000000000000001", -1, "BadAction", 13)]
    [InlineData("04", "FFFF001800002320" + "0007000700017E04" + "0000000000000001", -1, "Experimenter", 37)]
    [InlineData("04", "FFFF001800002320" + "0007078700010004" + "0000000000000001", -1, "BadAction", 14)]
    [InlineData("04", "FFFF001800002320" + "0007000000010004" + "0000000000000002", -1, "BadAction", 5)]
    [InlineData("04", "FFFF001800002320" + "0007000700000C01" + "0000000000000001", -1, "BadAction", 15)]
    // reg_move: unknown field, a header of the wrong length, a masked header, zero bits, source bits beyond the field, a read-only destination.
    [InlineData("04", "FFFF001800002320" + "0006000400000000" + "0001FE0400010204", -1, "BadMatch", 6)]
    [InlineData("04", "FFFF001800002320" + "0006000400000000" + "0001000500010204", -1, "BadMatch", 6)]
    [InlineData("04", "FFFF001800002320" + "0006000400000000" + "0001010800010204", -1, "BadMatch", 8)]
    [InlineData("04", "FFFF001800002320" + "0006000000000000" + "0001000400010204", -1, "BadAction", 14)]
    [InlineData("04", "FFFF001800002320" + "0006000400200000" + "0001000400010204", -1, "BadAction", 14)]
    [InlineData("04", "FFFF001800002320" + "0006000400000000" + "0001000400000C01", -1, "BadAction", 15)]
    // Nicira write_metadata is an instruction: never in a plain action list (a packet-out's, a bucket's).
    [InlineData("04", "FFFF002000002320" + "0016000000000000" + "0000000000000005" + "00000000000000FF", -1, "BadAction", 11)]
    public void MalformedActionsGetOpenVSwitchsError(string version, string hex, int length, string type, int code)
    {
        byte[] bytes = Convert.FromHexString(hex);
        var v = (OpenFlowVersion)Convert.ToByte(version, 16);
        OfErrorType errorType = Enum.Parse<OfErrorType>(type);
        var error = new OfError(errorType, (ushort)code, errorType == OfErrorType.Experimenter ? OfError.NiciraVendor : 0);
        var e = Assert.Throws<OfErrorException>(() =>
        {
            var r = new WireReader(bytes);
            OfActionCodec.Decode(ref r, length < 0 ? bytes.Length : length, v);
        });
        Assert.Equal(error, e.Error);
    }

    [Theory]
    // Length not a multiple of 8; an instruction running past the list; unknown; experimenter; wrong sizes; duplicates
    // (checked against ovs-vswitchd 3.1, which sends OFPBIC_DUP_INST on 1.3 as ONF's experimenter error 2600).
    [InlineData("0001000803000000", 4, "BadInstruction", 7)]
    [InlineData("0001001003000000", -1, "BadInstruction", 7)]
    [InlineData("0009000800000000", -1, "BadInstruction", 0)]
    [InlineData("FFFF001000002320" + "0000000000000000", -1, "BadInstruction", 5)]
    [InlineData("0001001003000000" + "0000000000000000", -1, "BadInstruction", 7)]
    [InlineData("0002001000000000" + "0000000000000005", -1, "BadInstruction", 7)]
    [InlineData("0005001000000000" + "0000000000000000", -1, "BadInstruction", 7)]
    [InlineData("0001000803000000" + "0001000804000000", -1, "BadInstruction", 9)]
    [InlineData("0001000803000000" + "0000", -1, "BadInstruction", 7)]
    // A bad action inside apply-actions is the action's error.
    [InlineData("0004001000000000" + "000C000800000000", -1, "BadAction", 0)]
    public void MalformedInstructionsGetOpenVSwitchsError(string hex, int length, string type, int code)
    {
        byte[] bytes = Convert.FromHexString(hex);
        var error = new OfError(Enum.Parse<OfErrorType>(type), (ushort)code);
        var e = Assert.Throws<OfErrorException>(() =>
        {
            var r = new WireReader(bytes);
            OfInstructionCodec.Decode(ref r, length < 0 ? bytes.Length : length, OpenFlowVersion.OF13);
        });
        Assert.Equal(error, e.Error);
    }

    [Fact]
    public void OpenFlowOneZeroWriteMetadataIsTheInstructionAndResubmitStaysAnAction()
    {
        const string writeMetadata = "FFFF002000002320" + "0016000000000000" + "0000000000000005" + "00000000000000FF";
        const string gotoThree = "FFFF001000002320" + "000EFFF803000000";
        const string output1 = "0000000800010000";

        var set = Decode10(output1 + writeMetadata);
        Assert.Equal(new OfInstructionSet { ApplyActions = [new OutputAction(1)], WriteMetadata = (5, 0xff) }, set);

        // Open vSwitch sends goto_table as resubmit(,T) on OpenFlow 1.0 and keeps what it decodes as a resubmit
        // (dump-flows -O OpenFlow13 of such a flow prints resubmit(,3)), wherever it stands.
        Assert.Equal(new OfInstructionSet { ApplyActions = [new OutputAction(1), new ResubmitAction(OfPorts.InPort, 3)] }, Decode10(output1 + gotoThree));
        Assert.Equal(new OfInstructionSet { ApplyActions = [new ResubmitAction(OfPorts.InPort, 3), new OutputAction(1)] }, Decode10(gotoThree + output1));

        // Open vSwitch decodes both as actions, so write_metadata before anything is out of order (even its own goto).
        AssertError(OfError.BadActionUnsupportedOrder, Convert.FromHexString(writeMetadata + output1), OpenFlowVersion.OF10, instructions: true);
        AssertError(OfError.BadActionUnsupportedOrder, Convert.FromHexString(writeMetadata + gotoThree), OpenFlowVersion.OF10, instructions: true);

        // In a plain action list (packet-out, bucket) write_metadata is not allowed; resubmit is.
        AssertError(OfError.BadActionUnsupportedOrder, Convert.FromHexString(output1 + writeMetadata), OpenFlowVersion.OF10, instructions: false);
        var r = new WireReader(Convert.FromHexString(output1 + gotoThree));
        Assert.Equal([new OutputAction(1), new ResubmitAction(OfPorts.InPort, 3)], OfActionCodec.Decode(ref r, 24, OpenFlowVersion.OF10));
    }

    [Fact]
    public void TruncationsNeverReadPastTheList()
    {
        // Every prefix of every captured list fails with an error or decodes; none reads beyond its bytes.
        foreach (var (v, _, message) in CapturedFlows.All())
        {
            byte[] list = message[CapturedFlows.InstructionsOffset(message)..];
            for (int n = 0; n < list.Length; n++)
            {
                byte[] cut = list[..n];
                try
                {
                    var r = new WireReader(cut);
                    OfInstructionCodec.Decode(ref r, n, v);
                }
                catch (OfErrorException)
                {
                }
            }
        }
    }

    [Fact]
    public void NiciraWriteMetadataEndingApplyActionsIsTheInstructionAsInOpenVSwitch()
    {
        const string writeMetadata = "FFFF002000002320" + "0016000000000000" + "0000000000000005" + "00000000000000FF";
        byte[] bytes = Convert.FromHexString("0004003800000000" + "0000001000000001" + "0000000000000000" + writeMetadata);
        var r = new WireReader(bytes);
        Assert.Equal(new OfInstructionSet { ApplyActions = [new OutputAction(1)], WriteMetadata = (5, 0xff) }, OfInstructionCodec.Decode(ref r, bytes.Length, OpenFlowVersion.OF13));

        // With a write_metadata instruction too, it is out of order.
        byte[] twice = [.. bytes, .. Convert.FromHexString("0002001800000000" + "0000000000000001" + "FFFFFFFFFFFFFFFF")];
        AssertError(OfError.BadActionUnsupportedOrder, twice, OpenFlowVersion.OF13, instructions: true);
    }

    private static OfInstructionSet Decode10(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);
        var r = new WireReader(bytes);
        return OfInstructionCodec.DecodeActionList10(ref r, bytes.Length);
    }

    private static void AssertError(OfError error, byte[] bytes, OpenFlowVersion v, bool instructions)
    {
        var e = Assert.Throws<OfErrorException>(() =>
        {
            var r = new WireReader(bytes);
            if (instructions)
            {
                OfInstructionCodec.Decode(ref r, bytes.Length, v);
            }
            else
            {
                OfActionCodec.Decode(ref r, bytes.Length, v);
            }
        });
        Assert.Equal(error, e.Error);
    }
}

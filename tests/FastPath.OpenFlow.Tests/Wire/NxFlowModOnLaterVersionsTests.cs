using System.Buffers.Binary;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Tests.Wire;

/// <summary>
/// NXT_FLOW_MOD on an OpenFlow 1.1+ connection, and the order in which a flow-mod's errors are found. Every expected
/// answer is what Open vSwitch 3.1 (Debian's ovs-vswitchd, dummy datapath) sent over a real unix socket after a hello of
/// the same version: it reads the tail of an NXT_FLOW_MOD as that version reads a flow-mod's tail (instructions from
/// 1.1, so a 1.0 action list is OFPBIC_UNKNOWN_INST), its flags by that version's bits, and the command's high byte as
/// the table (every protocol after 1.0 has the table id); and it checks the match, then the command and table, then the
/// actions or instructions, then the flags.
/// </summary>
public class NxFlowModOnLaterVersionsTests
{
    private static readonly OfSession Of13 = new(OpenFlowVersion.OF13);

    /// <summary>NXM_OF_ETH_TYPE=0x0800.</summary>
    private static readonly byte[] Ip = [0, 0, 6, 2, 8, 0];

    /// <summary>OFPAT_OUTPUT:2 in OpenFlow 1.0's layout (8 bytes).</summary>
    private static readonly byte[] Output10 = [0, 0, 0, 8, 0, 2, 0, 0];

    /// <summary>An action type no version defines.</summary>
    private static readonly byte[] BadAction = [0, 0xee, 0, 8, 0, 0, 0, 0];

    /// <summary>OFPIT_APPLY_ACTIONS with OpenFlow 1.3's OFPAT_OUTPUT:2.</summary>
    private static readonly byte[] ApplyOutput2 = [0, 4, 0, 24, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 2, 0xff, 0xff, 0, 0, 0, 0, 0, 0];

    /// <summary>NXM_NX_COOKIE_W=1/1.</summary>
    private static readonly byte[] CookieMasked = [0, 1, 0x3d, 0x10, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1];

    // The fuzzer's NXT_FLOW_MOD seeds (tests/data/openflow vectors) in an OpenFlow 1.3 header, and what Open vSwitch answered.
    [Theory]
    [InlineData("0404004800000008000023200000000dffffffffffffffff0001000000008000ffffffffffff0000000c00000000000000013c080000000000000123000000000000000800020000", "BadInstructionUnknownInst", "OFPBIC_UNKNOWN_INST")]
    [InlineData("0404008000000008000023200000000d0000000000000000000000000000005affffffffffff000000460000000000000000060286dd0001261020010db80000000000000000000000010001292020010db8000000000000000000000000ffffffff000000000000000000000000000136040001234500000000000800040000", "BadInstructionUnknownInst", "OFPBIC_UNKNOWN_INST")]
    [InlineData("0404006000000008000023200000000d00000000000000000000000000000046ffffffffffff00000027000000000000000006020800000011080a000000ff00000000000c0106000015041000f0000001450400020012000000000800030000", "BadInstructionUnknownInst", "OFPBIC_UNKNOWN_INST")]
    [InlineData("0404005800000008000023200000000d00000000000000000000000000000009ffffffffffff0000001400000000000000010004000000050001030800000010000000f00000000000000008fffd006400000008fff80000", "BadInstructionUnknownInst", "OFPBIC_UNKNOWN_INST")]
    [InlineData("0404005800000008000023200000000d00000000000000000000000000000005ffffffffffff0000000e00000000000000000602884780004404000000640000ffff00100000232000180800000000000000000800010000", "BadInstructionBadExperimenter", "OFPBIC_BAD_EXPERIMENTER")] // NXAST_REG_LOAD read as OFPIT_EXPERIMENTER
    public void AnOpenFlow10ActionListInAnNxFlowModOnOpenFlow13IsReadAsInstructionsAsOpenVSwitchDoes(string hex, string error, string ovsName)
    {
        byte[] wire = Convert.FromHexString(hex);
        var e = Assert.Throws<OfErrorException>(() => OfCodec.Decode(wire, Of13));
        Assert.Equal(Named(error), e.Error);
        Assert.Contains($"***decode error: {ovsName}***", OfpPrint.Print(wire), StringComparison.Ordinal);

        // The same bytes on 1.0 are a list of actions, as before.
        wire[0] = 0x01;
        Assert.IsType<FlowModMessage>(OfCodec.Decode(wire, new OfSession(OpenFlowVersion.OF10, NxFlowFormat.Nxm)));
    }

    [Fact]
    public void AnNxFlowModWithoutActionsOnOpenFlow13IsTheFlowOpenVSwitchAdds()
    {
        // The sixth seed: udp,reg0=0x5,tp_src=53 with flags 0x0003 and no actions. ovs-vswitchd added
        // "send_flow_rem check_overlap udp,reg0=0x5,tp_src=53 actions=drop" to table 0.
        byte[] wire = Convert.FromHexString("0404005000000008000023200000000d00000000000000000000000000008000ffffffffffff0003001900000000000000000602080000000c0111000016020035000100040000000500000000000000");
        var mod = Assert.IsType<FlowModMessage>(OfCodec.Decode(wire, Of13)).Mod;
        Assert.Equal(FlowModCommand.Add, mod.Command);
        Assert.Equal(FlowModFlags.SendFlowRem | FlowModFlags.CheckOverlap, mod.Rule.Flags);
        Assert.True(mod.Rule.Instructions.IsDrop);
        Assert.Equal(SamePrint(OfpPrint.Print(wire)), SamePrint(OfpPrint.Print(OfCodec.Encode(new FlowModMessage(mod), Of13, 8))));
    }

    [Theory]
    [InlineData((ushort)0x0100, (ushort)4, "ADD table:1 priority=8 reset_counts actions=output:2")] // the high byte is the table; 4 is 1.3's reset_counts, not 1.0's emerg
    [InlineData((ushort)0xff00, (ushort)0, "ADD table:255 priority=8 actions=output:2")] // ovs-vswitchd added this one to table 0, as from 1.0
    [InlineData((ushort)0x0301, (ushort)0, "MOD table:3 priority=8 actions=output:2")]
    public void AnNxFlowModOnOpenFlow13ReadsItsTailAsInstructionsItsFlagsAndTableAsOpenVSwitchDoes(ushort command, ushort flags, string ovsPrint)
    {
        byte[] wire = NxFlowMod(0x04, command, flags, [], ApplyOutput2, priority: 8);
        Assert.Contains($"NXT_FLOW_MOD (OF1.3) (xid=0x8): {ovsPrint}", OfpPrint.Print(wire), StringComparison.Ordinal);
        FlowMod mod = Assert.IsType<FlowModMessage>(OfCodec.Decode(wire, Of13)).Mod;
        Assert.Equal(new OutputAction(2), Assert.Single(mod.Rule.Instructions.ApplyActions));
        Assert.Equal((byte)(command >> 8) is 0xff ? 0 : command >> 8, mod.Rule.TableId);
        if (command >> 8 != 0xff)
        {
            Assert.Equal(SamePrint(OfpPrint.Print(wire)), SamePrint(OfpPrint.Print(OfCodec.Encode(new FlowModMessage(mod), Of13, 8))));
        }
        if (mod.Command == FlowModCommand.Modify)
        {
            // Open vSwitch added table=3,priority=8 when this modify matched nothing: an NX flow-mod keeps 1.0's meaning.
            Assert.True(mod.ModifyAddsIfNone);
        }
    }

    public static TheoryData<string, byte[], byte, string> OrderCases => new()
    {
        // name, message, version of the connection, error Open vSwitch 3.1 sent
        { "NX 1.3: bad command before a 1.0 action list", NxFlowMod(4, 6, 0, [], Output10), 4, "FlowModFailedBadCommand" },
        { "NX 1.3: bad command before bad flags", NxFlowMod(4, 6, 0x20, [], []), 4, "FlowModFailedBadCommand" },
        { "NX 1.3: command 7 with flags 4", NxFlowMod(4, 7, 4, [], []), 4, "FlowModFailedBadCommand" },
        { "NX 1.3: instructions before bad flags", NxFlowMod(4, 0, 0x20, [], Output10), 4, "BadInstructionUnknownInst" },
        { "NX 1.3: 1.0 action list with flags 4", NxFlowMod(4, 0, 4, [], Output10), 4, "BadInstructionUnknownInst" },
        { "NX 1.3: flags 0x20", NxFlowMod(4, 0, 0x20, [], []), 4, "FlowModFailedBadFlags" },
        { "NX 1.3: cookie in an add before instructions", NxFlowMod(4, 0, 0, CookieMasked, Output10), 4, "NxBadRequestNxmInvalid" },
        { "NX 1.3: cookie in an add to table 1", NxFlowMod(4, 0x100, 0, CookieMasked, []), 4, "NxBadRequestNxmInvalid" },
        { "NX 1.3: command 6 with a cookie mask", NxFlowMod(4, 6, 0, CookieMasked, []), 4, "FlowModFailedBadCommand" },
        { "NX 1.5: 1.0 action list", NxFlowMod(6, 0, 0, [], Output10), 6, "BadInstructionUnknownInst" },
        { "NX 1.5: flags 0x20", NxFlowMod(6, 0, 0x20, [], []), 6, "FlowModFailedBadFlags" },
        { "NX 1.0: bad command before a bad action", NxFlowMod(1, 6, 0, [], BadAction), 1, "FlowModFailedBadCommand" },
        { "NX 1.0: bad action before bad flags", NxFlowMod(1, 0, 0x20, [], BadAction), 1, "BadActionBadType" },
        { "NX 1.0: bad action before emerg", NxFlowMod(1, 0, 4, [], BadAction), 1, "BadActionBadType" },
        { "NX 1.0: cookie in an add before a bad action", NxFlowMod(1, 0, 0, CookieMasked, BadAction), 1, "NxBadRequestNxmInvalid" },
        { "NX 1.0: bad command with cookie mask and bad action", NxFlowMod(1, 6, 0, CookieMasked, BadAction), 1, "FlowModFailedBadCommand" },
        { "1.3: bad command before a bad instruction", FlowMod13(6, 0, 0, BadAction), 4, "FlowModFailedBadCommand" },
        { "1.3: add to OFPTT_ALL before a bad instruction", FlowMod13(0, 0, 0xff, BadAction), 4, "FlowModFailedBadTableId" },
        { "1.3: bad instruction before bad flags", FlowMod13(0, 0x20, 0, BadAction), 4, "BadInstructionUnknownInst" },
        { "1.3: bad command before bad flags", FlowMod13(6, 0x20, 0, []), 4, "FlowModFailedBadCommand" },
        { "1.0: bad command before a bad action", FlowMod10(6, 0, BadAction), 1, "FlowModFailedBadCommand" },
        { "1.0: bad action before bad flags", FlowMod10(0, 0x20, BadAction), 1, "BadActionBadType" },
        { "1.0: bad action before emerg", FlowMod10(0, 4, BadAction), 1, "BadActionBadType" },
    };

    [Theory]
    [MemberData(nameof(OrderCases))]
    public void AFlowModWrongInTwoPlacesGetsTheErrorOpenVSwitchFindsFirst(string name, byte[] message, byte version, string error)
    {
        var session = new OfSession((OpenFlowVersion)version, NxFlowFormat.Nxm);
        var e = Assert.Throws<OfErrorException>(() => OfCodec.Decode(message, session));
        Assert.True(Named(error) == e.Error, $"{name}: {e.Error} ({e.Message}), expected {error}");
    }

    /// <summary>An NXT_FLOW_MOD (xid 8, priority 0x8000 unless given, no buffer, out_port OFPP_NONE).</summary>
    internal static byte[] NxFlowMod(byte version, ushort command, ushort flags, byte[] match, byte[] tail, ushort priority = 0x8000)
    {
        var b = new byte[48];
        b[0] = version;
        b[1] = 4;
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(8), 0x2320);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(12), 13);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(24), command);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(30), priority);
        b.AsSpan(32, 6).Fill(0xff); // buffer_id, out_port
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(38), flags);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(40), (ushort)match.Length);
        return WithLength([.. b, .. match, .. new byte[(8 - (match.Length % 8)) % 8], .. tail]);
    }

    private static byte[] FlowMod13(byte command, ushort flags, byte table, byte[] instructions)
    {
        var b = new byte[56];
        b[0] = 4;
        b[1] = 14;
        b[4 + 3] = 9;
        b[24] = table;
        b[25] = command;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(30), 0x8000);
        b.AsSpan(32, 12).Fill(0xff); // buffer_id, out_port, out_group
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(44), flags);
        b[49] = 1; // OFPMT_OXM of 4 bytes, padded to 8
        b[51] = 4;
        return WithLength([.. b, .. instructions]);
    }

    private static byte[] FlowMod10(ushort command, ushort flags, byte[] actions)
    {
        var b = new byte[72];
        b[0] = 1;
        b[1] = 14;
        b[4 + 3] = 9;
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(8), 0x3fffff); // every field wildcarded
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(56), command);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(62), 0x8000);
        b.AsSpan(64, 6).Fill(0xff); // buffer_id, out_port
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(70), flags);
        return WithLength([.. b, .. actions]);
    }

    private static byte[] WithLength(byte[] m)
    {
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), (ushort)m.Length);
        return m;
    }

    /// <summary>ofp-print's description of a flow-mod without its message name, so an NXT_FLOW_MOD and an OFPT_FLOW_MOD compare.</summary>
    private static string SamePrint(string print) => print[(print.IndexOf("):", StringComparison.Ordinal) + 2)..].Trim();

    private static OfError Named(string name) =>
        (OfError)typeof(OfError).GetField(name)!.GetValue(null)!;
}

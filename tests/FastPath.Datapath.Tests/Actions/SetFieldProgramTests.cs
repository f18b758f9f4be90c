using System.Buffers.Binary;
using System.Net;
using FastPath.Datapath.Actions;

namespace FastPath.Datapath.Tests.Actions;

/// <summary>Encoding, validation and formatting of the ARP, ICMP and ND set-field actions.</summary>
public sealed class SetFieldProgramTests
{
    public static TheoryData<ActionField, int> NewFields() => new()
    {
        { ActionField.ArpOp, 2 },
        { ActionField.ArpSpa, 4 },
        { ActionField.ArpTpa, 4 },
        { ActionField.ArpSha, 6 },
        { ActionField.ArpTha, 6 },
        { ActionField.IcmpType, 1 },
        { ActionField.IcmpCode, 1 },
        { ActionField.Icmpv6Type, 1 },
        { ActionField.Icmpv6Code, 1 },
        { ActionField.NdTarget, 16 },
        { ActionField.NdSll, 6 },
        { ActionField.NdTll, 6 },
    };

    [Theory]
    [MemberData(nameof(NewFields))]
    public void EachNewFieldHasItsSizeAndValidatesOnlyWithIt(ActionField field, int size)
    {
        Assert.Equal(size, ActionProgram.FieldSize(field));
        byte[] value = Enumerable.Repeat((byte)0x11, size).ToArray();
        byte[] program = new ActionProgramBuilder().Set(field, value).ToArray();
        Assert.Equal(ActionProgram.SetMaskedLength(size), program.Length);
        Assert.True(ActionProgram.Validate(program).IsValid);

        // A size byte that disagrees with the field, and a value bit outside the mask, are refused.
        byte[] wrongSize = (byte[])program.Clone();
        wrongSize[5] = (byte)(size + 1);
        Assert.Contains("has size", ActionProgram.Validate(wrongSize).Error);
        byte[] outside = new ActionProgramBuilder().SetMasked(field, value, new byte[size]).ToArray();
        outside[ActionProgram.SetValueOffset] = 1;
        Assert.Contains("outside its mask", ActionProgram.Validate(outside).Error);
        Assert.Throws<ArgumentException>(() => new ActionProgramBuilder().Set(field, new byte[size + 1]));
    }

    [Fact]
    public void AFieldPastTheLastOneIsUnknown()
    {
        byte[] program = new ActionProgramBuilder().Set(ActionField.NdTll, new byte[6]).ToArray();
        program[4] = (byte)ActionField.NdTll + 1;
        Assert.Equal(0, ActionProgram.FieldSize((ActionField)program[4]));
        Assert.Contains("unknown set field", ActionProgram.Validate(program).Error);
    }

    [Fact]
    public void FormatUsesOpenVSwitchDatapathSyntax()
    {
        var b = new ActionProgramBuilder()
            .SetArpOp(2)
            .SetArpSpa(IPAddress.Parse("10.0.0.1"))
            .SetArpTpa(IPAddress.Parse("10.0.0.0"), IPAddress.Parse("255.255.0.0"))
            .SetArpSha([2, 0, 0, 0, 0, 1])
            .SetArpTha([2, 0, 0, 0, 0, 2], [0xff, 0xff, 0xff, 0, 0, 0])
            .SetIcmpType(3)
            .SetIcmpCode(1, 0x0f)
            .SetIcmpv6Type(136)
            .SetIcmpv6Code(0)
            .SetNdTarget(IPAddress.Parse("2001:db8::2"))
            .SetNdSll([2, 0, 0, 0, 0, 3])
            .SetNdTll([2, 0, 0, 0, 0, 4])
            .Meter(12)
            .Output(2);
        Assert.Equal(
            "set(arp(op=2)),set(arp(sip=10.0.0.1)),set(arp(tip=10.0.0.0/255.255.0.0)),set(arp(sha=02:00:00:00:00:01)),"
            + "set(arp(tha=02:00:00:00:00:00/ff:ff:ff:00:00:00)),set(icmp(type=3)),set(icmp(code=1/0x0f)),"
            + "set(icmpv6(type=136)),set(icmpv6(code=0)),set(nd(target=2001:db8::2)),set(nd(sll=02:00:00:00:00:03)),"
            + "set(nd(tll=02:00:00:00:00:04)),meter(12),2",
            b.ToString());
    }

    [Fact]
    public void TheMeterActionIsEightBytesLikeTheOtherFixedOnes()
    {
        Assert.Equal(8, ActionProgram.FixedLength(ActionType.Meter));
        byte[] program = new ActionProgramBuilder().Meter(0).ToArray();
        Assert.Equal((ushort)ActionType.Meter, BinaryPrimitives.ReadUInt16LittleEndian(program));
        Assert.True(ActionProgram.Validate(program).IsValid);
    }
}

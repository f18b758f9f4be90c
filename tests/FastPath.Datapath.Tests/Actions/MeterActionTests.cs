using System.Buffers.Binary;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Meters;
using FastPath.Packets;
using Packet = FastPath.Packets.Packet;

namespace FastPath.Datapath.Tests.Actions;

/// <summary>The meter action: encoding, validation, formatting, and what the executor does with it.</summary>
public sealed class MeterActionTests : IDisposable
{
    private const ulong Hz = 1_000_000;
    private readonly ActionHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public void BuilderEncodesTheMeterIdAndValidationChecksIt()
    {
        byte[] program = new ActionProgramBuilder().Meter(7).Output(2).ToArray();
        Assert.Equal(16, program.Length);
        Assert.Equal((ushort)ActionType.Meter, BinaryPrimitives.ReadUInt16LittleEndian(program));
        Assert.Equal(8, BinaryPrimitives.ReadUInt16LittleEndian(program.AsSpan(2)));
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32LittleEndian(program.AsSpan(4)));
        Assert.True(ActionProgram.Validate(program).IsValid);
        Assert.Equal("meter(7),2", ActionFormatter.Format(program));

        Assert.Throws<ArgumentOutOfRangeException>(() => new ActionProgramBuilder().Meter(MeterTable.MaxMeters));

        byte[] tooBig = (byte[])program.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(tooBig.AsSpan(4), MeterTable.MaxMeters);
        ProgramValidation v = ActionProgram.Validate(tooBig);
        Assert.False(v.IsValid);
        Assert.Equal(0, v.Offset);
        Assert.Contains("meter id", v.Error);

        byte[] wrongLength = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(wrongLength, (ushort)ActionType.Meter);
        BinaryPrimitives.WriteUInt16LittleEndian(wrongLength.AsSpan(2), 16);
        Assert.Contains("Meter must be 8 bytes", ActionProgram.Validate(wrongLength).Error);
    }

    [Fact]
    public void OverTheRateTheMeterStopsThePacketAndWithinItTheProgramGoesOn()
    {
        ulong now = 0;
        var table = new MeterTable(Hz, () => now);
        table.Set(3, new MeterConfig(MeterFlags.Pktps | MeterFlags.Burst, [new MeterBand(MeterBandType.Drop, 1, 2)]));
        byte[] program = new ActionProgramBuilder().Output(5).Meter(3).Output(6).ToArray();
        byte[] frame = ActionTestPackets.Ipv4Udp();

        var statuses = new List<ExecStatus>();
        var sent = new List<uint>();
        for (int i = 0; i < 4; i++)
        {
            Packet p = h.Load(frame);
            var sink = new RecordingSink(h.Pool);
            ExecResult r = ActionExecutor.Execute(h.Pool, ref p, program, ref sink, table, now);
            statuses.Add(r.Status);
            sent.AddRange(sink.Deliveries.Select(d => d.Port));
            if (!r.Consumed)
            {
                Assert.Equal(ExecStatus.MeterDropped, r.Status);
                Assert.Equal(1, r.Outputs); // the output before the meter happened, as in Open vSwitch
                h.Pool.Free(p);
            }
        }

        Assert.Equal([ExecStatus.Completed, ExecStatus.Completed, ExecStatus.MeterDropped, ExecStatus.MeterDropped], statuses);
        Assert.Equal([5u, 6u, 5u, 6u, 5u, 5u], sent);
    }

    [Fact]
    public void AMissingMeterOrNoTableLetsEveryPacketThrough()
    {
        var table = new MeterTable(Hz, () => 0);
        byte[] program = new ActionProgramBuilder().Meter(9).Output(2).ToArray();
        for (int i = 0; i < 3; i++)
        {
            Packet p = h.Load(ActionTestPackets.Ipv4Udp());
            var sink = new RecordingSink(h.Pool);
            Assert.True(ActionExecutor.Execute(h.Pool, ref p, program, ref sink, table, 0).Consumed);

            p = h.Load(ActionTestPackets.Ipv4Udp());
            sink = new RecordingSink(h.Pool);
            Assert.True(ActionExecutor.Execute(h.Pool, ref p, program, ref sink).Consumed);
        }
    }

    [Fact]
    public void KbpsMetersChargeTheFrameAsItIsAtTheMeterActionPushedTagsIncluded()
    {
        // A burst of 1 kbit holds 1000 bits: the first frame fits (968 bits, or exactly 1000 with the pushed
        // tag), the second does not, and the meter counts the bytes the frame has at the meter action.
        byte[] frame = ActionTestPackets.Ipv4Udp(payload: 121 - 42);
        Assert.Equal(121, frame.Length);
        foreach (bool push in new[] { false, true })
        {
            var table = new MeterTable(Hz, () => 0);
            table.Set(1, new MeterConfig(MeterFlags.Kbps | MeterFlags.Burst, [new MeterBand(MeterBandType.Drop, 1, 1)]));
            var b = new ActionProgramBuilder();
            if (push)
            {
                b.PushVlan(0x8100, 5);
            }

            byte[] program = b.Meter(1).ToArray();
            Packet p = h.Load(frame);
            var sink = new RecordingSink(h.Pool);
            Assert.Equal(ExecStatus.Completed, ActionExecutor.Execute(h.Pool, ref p, program, ref sink, table, 0).Status);
            h.Pool.Free(p);
            Assert.True(table.TryGetStats(1, out MeterStats s));
            Assert.Equal(push ? 125 : 121, s.Bytes);

            p = h.Load(frame);
            Assert.Equal(ExecStatus.MeterDropped, ActionExecutor.Execute(h.Pool, ref p, program, ref sink, table, 0).Status);
            h.Pool.Free(p);
        }
    }
}

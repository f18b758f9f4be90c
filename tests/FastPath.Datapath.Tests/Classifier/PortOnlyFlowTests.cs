using FastPath.Datapath.Classifier;
using FastPath.Datapath.Flows;
using FastPath.Packets;

namespace FastPath.Datapath.Tests.Classifier;

/// <summary>
/// The classifier's port-only index: the megaflow every packet fresh from a port matches, which lets the PMD skip
/// the parse and the lookup for that port (Open vSwitch's simple match).
/// </summary>
public class PortOnlyFlowTests
{
    private static readonly byte[] Output2 = [1, 0, 8, 0, 2, 0, 0, 0];
    private static readonly byte[] Output3 = [1, 0, 8, 0, 3, 0, 0, 0];

    /// <summary>in_port=PORT with recirc_id=0 and pkt_mark=0 matched too when asked, as the slow path's megaflows are.</summary>
    private static FlowMatch PortOnly(uint port, bool recircExact = true, uint recirc = 0, bool markExact = false, uint mark = 0)
    {
        FlowKey key = default;
        FlowKey mask = default;
        key.InPort = port;
        mask.InPort = uint.MaxValue;
        key.RecircId = recirc;
        mask.RecircId = recircExact ? uint.MaxValue : 0;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(key.Bytes[FlowKey.Offsets.PktMark..], mark);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(mask.Bytes[FlowKey.Offsets.PktMark..], markExact ? uint.MaxValue : 0);
        return new FlowMatch(key, mask);
    }

    [Fact]
    public void AMegaflowOnThePortAloneIsThePortsFlowUntilRemoved()
    {
        using var c = new MegaflowClassifier();
        Assert.Equal(-1, c.PortOnlyFlow(1));
        int other = c.Insert(new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Build(), Output3);
        Assert.Equal(-1, c.PortOnlyFlow(1));

        int id = c.Insert(PortOnly(1), Output2);
        Assert.Equal(id, c.PortOnlyFlow(1));
        Assert.Equal(-1, c.PortOnlyFlow(2));
        Assert.Equal(-1, c.PortOnlyFlow(uint.MaxValue));

        // A modify keeps the id, and the entry with it.
        Assert.Equal(id, c.Insert(PortOnly(1), Output3));
        Assert.Equal(id, c.PortOnlyFlow(1));

        // Removing another flow leaves it; removing it clears it.
        Assert.True(c.Remove(other));
        Assert.Equal(id, c.PortOnlyFlow(1));
        Assert.True(c.Remove(PortOnly(1)));
        Assert.Equal(-1, c.PortOnlyFlow(1));

        // A new flow that reuses the slot is not mistaken for it.
        int reused = c.Insert(new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv6).Build(), Output2);
        Assert.Equal(-1, c.PortOnlyFlow(1));
        Assert.True(c.Remove(reused));
    }

    [Fact]
    public void OnlyMasksThatEveryPacketFromThePortMatchesQualify()
    {
        using var c = new MegaflowClassifier();
        c.Insert(PortOnly(1, recircExact: false), Output2);
        c.Insert(PortOnly(2, markExact: true), Output2);
        c.Insert(PortOnly(3, recirc: 5), Output2);
        c.Insert(PortOnly(4, markExact: true, mark: 7), Output2);

        FlowKey partialPortMask = default;
        partialPortMask.InPort = 0xff;
        FlowKey partialPortKey = default;
        partialPortKey.InPort = 5;
        c.Insert(new FlowMatch(partialPortKey, partialPortMask), Output2);

        FlowKey flagsKey = default;
        flagsKey.InPort = 6;
        FlowKey flagsMask = default;
        flagsMask.InPort = uint.MaxValue;
        flagsMask.Flags = ParseFlags.Truncated;
        c.Insert(new FlowMatch(flagsKey, flagsMask), Output2);

        Assert.NotEqual(-1, c.PortOnlyFlow(1));
        Assert.NotEqual(-1, c.PortOnlyFlow(2));
        Assert.Equal(-1, c.PortOnlyFlow(3)); // only recirculated packets match it
        Assert.Equal(-1, c.PortOnlyFlow(4)); // only marked packets match it
        Assert.Equal(-1, c.PortOnlyFlow(5)); // part of the port number
        Assert.Equal(-1, c.PortOnlyFlow(6)); // the parse flags: untruncated packets only
    }

    [Fact]
    public void FlushForgetsThemAndLargePortNumbersWork()
    {
        using var c = new MegaflowClassifier();
        int a = c.Insert(PortOnly(1), Output2);
        int b = c.Insert(PortOnly(60000), Output2);
        Assert.Equal(a, c.PortOnlyFlow(1));
        Assert.Equal(b, c.PortOnlyFlow(60000));
        c.Flush();
        Assert.Equal(-1, c.PortOnlyFlow(1));
        Assert.Equal(-1, c.PortOnlyFlow(60000));
        Assert.Equal(-1, c.Lookup(default));
    }
}

using System.Buffers.Binary;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Classifier;
using FastPath.Datapath.Flows;
using FastPath.Packets;

namespace FastPath.Datapath.Tests.Classifier;

/// <summary>A million megaflows live outside the GC heap: the heap does not grow with the table.</summary>
[Collection(nameof(Pmd.PmdAllocationTests))]
public class MillionFlowsTests
{
    [Fact]
    public void AMillionMegaflowsCostTheGcHeapNothing()
    {
        const int n = 1_000_000;
        byte[] actions = new ActionProgramBuilder().Output(2).ToArray();
        FlowMatch template = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("0.0.0.0").Build();
        using var c = new MegaflowClassifier(capacity: n);

        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        FlowKey key = template.Key;
        for (int i = 0; i < n; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(key.Bytes[FlowKey.Offsets.NwSrc..], (uint)i);
            Assert.True(c.Insert(new FlowMatch(key, template.Mask), actions) >= 0);
        }

        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        Assert.Equal(n, c.Count);

        // Whatever the classifier keeps on the managed heap is per table, not per flow: well under a byte a flow.
        Assert.True(heapAfter - heapBefore < 256 * 1024, $"GC heap grew by {heapAfter - heapBefore} bytes for {n} megaflows");

        // And the flows are all there: spot-check lookups across the range.
        for (int i = 0; i < n; i += 9973)
        {
            BinaryPrimitives.WriteUInt32BigEndian(key.Bytes[FlowKey.Offsets.NwSrc..], (uint)i);
            int id = c.Lookup(key);
            Assert.True(id >= 0);
            Assert.True(c.GetMatch(id).Matches(key));
        }
    }
}

using System.Buffers.Binary;
using System.Globalization;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Classifier;
using FastPath.Datapath.Flows;
using FastPath.Packets;
using Xunit.Abstractions;

namespace FastPath.Datapath.Tests.Classifier;

/// <summary>Megaflow records on 2 MiB huge pages while the kernel's pool has them, and on small pages otherwise.</summary>
public class HugePageRecordTests(ITestOutputHelper output)
{
    // 20000 flows span three 8192-record chunks.
    private const int Flows = 20_000;

    private static readonly byte[] Actions = new ActionProgramBuilder().Output(2).ToArray();

    [Fact]
    public void RecordsGoOnHugePagesWhenThePoolHasThem()
    {
        int free = MeminfoValue("HugePages_Free");
        if (free < 8)
        {
            // scripts/setup.sh reserves a pool as root; without one the feature cannot work here.
            output.WriteLine($"not run: {free} free huge pages (vm.nr_hugepages); records fall back to small pages");
            Assert.True(free < 8);
            return;
        }

        using var c = new MegaflowClassifier(Flows, useHugePages: true);
        InsertAndCheck(c);
        (int chunks, int huge) = c.RecordChunks;
        Assert.True(chunks >= 3, $"{chunks} chunks");

        // Other tests may take pages from the pool meanwhile, so only most need be huge; the first always is.
        Assert.True(huge >= 1, $"none of {chunks} chunks is on a huge page with {free} free");
        output.WriteLine($"{huge} of {chunks} record chunks on huge pages");
    }

    [Fact]
    public void WithoutHugePagesRecordsGoOnSmallPagesAndWorkTheSame()
    {
        using var c = new MegaflowClassifier(Flows, useHugePages: false);
        InsertAndCheck(c);
        (int chunks, int huge) = c.RecordChunks;
        Assert.True(chunks >= 3);
        Assert.Equal(0, huge);
    }

    // Inserts every flow, finds each, removes half, and finds exactly the other half.
    private static void InsertAndCheck(MegaflowClassifier c)
    {
        FlowMatch template = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("0.0.0.0").Build();
        FlowKey key = template.Key;
        for (int i = 0; i < Flows; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(key.Bytes[FlowKey.Offsets.NwSrc..], (uint)i);
            Assert.True(c.Insert(new FlowMatch(key, template.Mask), Actions) >= 0);
        }

        for (int i = 0; i < Flows; i += 2)
        {
            BinaryPrimitives.WriteUInt32BigEndian(key.Bytes[FlowKey.Offsets.NwSrc..], (uint)i);
            Assert.True(c.Remove(new FlowMatch(key, template.Mask)));
        }

        for (int i = 0; i < Flows; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(key.Bytes[FlowKey.Offsets.NwSrc..], (uint)i);
            int id = c.Lookup(key);
            Assert.Equal(i % 2 == 1, id >= 0);
            if (id >= 0)
            {
                Assert.Equal(Actions, c.GetActions(id).ToArray());
            }
        }
    }

    private static int MeminfoValue(string name)
    {
        foreach (string line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith(name + ":", StringComparison.Ordinal))
            {
                return int.Parse(line.AsSpan(name.Length + 1).Trim().ToString().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}

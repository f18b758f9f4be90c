using FastPath.Ofproto.Tests.Xlate;
using FastPath.Ofproto.Upcalls;
using FastPath.Packets;
using static FastPath.Ofproto.Tests.Xlate.XlateHarness;

namespace FastPath.Ofproto.Tests.Groups;

/// <summary>
/// The property a select group's megaflow must keep: every packet the megaflow covers picks the same bucket. Random
/// flows are translated; each megaflow is then filled with random packets that agree with it on its masked bits
/// only, and each must translate to the same actions. Also: every flow goes to a live bucket, by weight.
/// </summary>
public class SelectMegaflowPropertyTests
{
    [Theory]
    [InlineData("group_id=1,type=select,bucket=output:2,bucket=weight:2,output:3,bucket=weight:5,output:4")]
    [InlineData("group_id=1,type=select,bucket=watch_port:2,mod_nw_src:1.1.1.1,output:2,bucket=watch_port:3,output:3,bucket=watch_port:4,output:4")]
    [InlineData("group_id=1,type=select,selection_method=hash,fields(ip_dst=255.255.255.0,tcp_dst),bucket=output:2,bucket=output:3")]
    public void PacketsSharingAMegaflowPickTheSameBucket(string group)
    {
        var h = new XlateHarness();
        h.AddGroup(group);
        h.Add("in_port=1,ip,actions=group:1");
        h.Ports.SetLive(4, false);
        var rng = new Random(7);
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < 300; i++)
        {
            FlowKey k = RandomKey(rng);
            FlowTranslation t = h.Translate(k);
            string actions = Format(t.Actions);
            if (group.Contains("watch_port:4", StringComparison.Ordinal))
            {
                // Port 4 is down: its bucket is not live.
                Assert.DoesNotContain(",4", "," + actions, StringComparison.Ordinal);
            }

            counts[actions[^1..]] = counts.GetValueOrDefault(actions[^1..]) + 1;
            byte[] mask = MaskBytes(t.Megaflow.Mask);
            byte[] key = MaskBytes(t.Megaflow.Key);
            for (int j = 0; j < 20; j++)
            {
                FlowKey other = RandomKey(rng);
                Span<byte> o = other.Bytes;
                for (int b = 0; b < FlowKey.Size; b++)
                {
                    o[b] = (byte)((o[b] & ~mask[b]) | (key[b] & mask[b]));
                }

                Assert.Equal(actions, Format(h.Translate(other).Actions));
            }
        }

        Assert.True(counts.Count >= 2, "the flows all went to one bucket");
    }

    private static FlowKey RandomKey(Random rng)
    {
        FlowKey k = Udp($"10.{rng.Next(256)}.{rng.Next(256)}.{rng.Next(1, 255)}", $"10.{rng.Next(256)}.{rng.Next(256)}.{rng.Next(1, 255)}", (ushort)rng.Next(1, 65536), (ushort)rng.Next(1, 65536), ttl: (byte)rng.Next(2, 255));
        Span<byte> b = k.Bytes;
        rng.NextBytes(b.Slice(FlowKey.Offsets.DlDst, 12));
        b[FlowKey.Offsets.DlDst] &= 0xfe;
        b[FlowKey.Offsets.DlSrc] &= 0xfe;
        if (rng.Next(2) == 0)
        {
            k.NwProto = IpProtocols.Tcp;
        }

        return k;
    }
}

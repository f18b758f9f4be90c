using FastPath.Datapath.Flows;
using FastPath.Packets;

namespace FastPath.Datapath.Tests.Classifier;

/// <summary>Random masks, megaflows and packet keys for the classifier and EMC tests.</summary>
internal static class ClassifierTestData
{
    /// <summary>
    /// A random mask: either built from fields (in_port, eth_type, IPv4/IPv6 prefixes, proto, masked
    /// ports) or a random subset of words with random bit patterns.
    /// </summary>
    public static FlowKey RandomMask(Random rng)
    {
        if (rng.Next(2) == 0)
        {
            FlowKey m = default;
            Span<ulong> w = m.AsWords;
            int words = 1 + rng.Next(5);
            for (int i = 0; i < words; i++)
            {
                int idx = rng.Next(FlowKey.Words);
                w[idx] = rng.Next(3) switch
                {
                    0 => ulong.MaxValue,
                    1 => (ulong)rng.NextInt64() | 1,
                    _ => 0xffUL << (8 * rng.Next(8)),
                };
            }

            return m;
        }

        var b = new MatchBuilder();
        if (rng.Next(2) == 0)
        {
            b.InPort(0);
        }

        bool v6 = rng.Next(3) == 0;
        if (rng.Next(4) != 0)
        {
            b.EthType(v6 ? EtherTypes.Ipv6 : EtherTypes.Ipv4);
        }

        if (v6)
        {
            if (rng.Next(2) == 0)
            {
                b.Ipv6Src($"::/{rng.Next(129)}");
            }

            if (rng.Next(2) == 0)
            {
                b.Ipv6Dst($"::/{rng.Next(129)}");
            }
        }
        else
        {
            if (rng.Next(2) == 0)
            {
                b.Ipv4Src($"0.0.0.0/{rng.Next(33)}");
            }

            if (rng.Next(2) == 0)
            {
                b.Ipv4Dst($"0.0.0.0/{rng.Next(33)}");
            }
        }

        if (rng.Next(2) == 0)
        {
            b.NwProto(0);
        }

        if (rng.Next(2) == 0)
        {
            b.TpSrc(0, (ushort)(0xffff << rng.Next(16)));
        }

        if (rng.Next(2) == 0)
        {
            b.TpDst(0, (ushort)rng.Next(0x10000));
        }

        return b.Build().Mask;
    }

    /// <summary>
    /// A packet-like key whose bytes come from a small alphabet, so random keys and random megaflows
    /// collide often enough for partial matches and overlaps to be common.
    /// </summary>
    public static FlowKey RandomKey(Random rng)
    {
        FlowKey k = default;
        Span<byte> b = k.Bytes;
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = rng.Next(4) switch
            {
                0 => 0,
                1 => 0xff,
                2 => (byte)rng.Next(4),
                _ => (byte)rng.Next(256),
            };
        }

        return k;
    }

    /// <summary>A random megaflow with <paramref name="mask"/>.</summary>
    public static FlowMatch RandomMatch(Random rng, in FlowKey mask) => new(RandomKey(rng), mask);

    /// <summary>A key that <paramref name="match"/> matches, with random bits wherever the mask allows.</summary>
    public static FlowKey KeyMatching(Random rng, in FlowMatch match)
    {
        FlowKey k = RandomKey(rng);
        Span<ulong> w = k.AsWords;
        ReadOnlySpan<ulong> mk = match.Key.ReadOnlyWords;
        ReadOnlySpan<ulong> mm = match.Mask.ReadOnlyWords;
        for (int i = 0; i < FlowKey.Words; i++)
        {
            w[i] = (w[i] & ~mm[i]) | mk[i];
        }

        return k;
    }

    /// <summary>Whether some packet matches both megaflows.</summary>
    public static bool Overlap(in FlowMatch a, in FlowMatch b)
    {
        for (int i = 0; i < FlowKey.Words; i++)
        {
            if (((a.Key.ReadOnlyWords[i] ^ b.Key.ReadOnlyWords[i]) & a.Mask.ReadOnlyWords[i] & b.Mask.ReadOnlyWords[i]) != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether two matches have identical key and mask bytes.</summary>
    public static bool SameMatch(in FlowMatch a, in FlowMatch b) => a.Key.Equals(b.Key) && a.Mask.Equals(b.Mask);

    /// <summary>A small distinct action program for flow number <paramref name="n"/> (8 to 120 bytes).</summary>
    public static byte[] ActionsFor(int n)
    {
        var a = new byte[8 * (1 + (n % 15))];
        BitConverter.TryWriteBytes(a, n);
        a[^1] = (byte)n;
        return a;
    }
}

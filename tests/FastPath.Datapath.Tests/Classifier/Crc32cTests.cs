using FastPath.Datapath.Classifier;

namespace FastPath.Datapath.Tests.Classifier;

public class Crc32cTests
{
    [Fact]
    public void MatchesTheIscsiTestVectors()
    {
        // RFC 3720 B.4: 32 bytes of zeros and of ones (CRC32C with the usual inversions).
        Assert.Equal(0x8A9136AAu, Checksum(Crc32c.Append, 0));
        Assert.Equal(0x62A8AB43u, Checksum(Crc32c.Append, ulong.MaxValue));
        Assert.Equal(0x8A9136AAu, Checksum(Crc32c.AppendSoftware, 0));
        Assert.Equal(0x62A8AB43u, Checksum(Crc32c.AppendSoftware, ulong.MaxValue));
    }

    [Fact]
    public void HardwareAndSoftwareAgree()
    {
        var rng = new Random(1);
        uint hw = 0, sw = 0;
        for (int i = 0; i < 100_000; i++)
        {
            ulong w = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            if (i % 7 == 0)
            {
                w &= 0xffff_0000_0000_00ffUL;
            }

            hw = Crc32c.Append(hw, w);
            sw = Crc32c.AppendSoftware(sw, w);
            Assert.Equal(sw, hw);
        }
    }

    [Fact]
    public void ReportsWhichPathIsInUse()
    {
        bool forced = Environment.GetEnvironmentVariable("FASTPATH_CRC32C_SOFTWARE") == "1";
        if (forced)
        {
            Assert.False(Crc32c.IsHardwareAccelerated);
        }
        else if (System.Runtime.Intrinsics.X86.Sse42.X64.IsSupported)
        {
            Assert.True(Crc32c.IsHardwareAccelerated);
        }
    }

    private static uint Checksum(Func<uint, ulong, uint> append, ulong word)
    {
        uint crc = uint.MaxValue;
        for (int i = 0; i < 4; i++)
        {
            crc = append(crc, word);
        }

        return ~crc;
    }
}

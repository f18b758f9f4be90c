using System.Buffers.Binary;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace FastPath.Packets.Tests;

/// <summary>Internet checksum, RFC 1624 incremental updates and CRC32c, against published vectors and naive references.</summary>
public sealed class ChecksumTests
{
    [Fact]
    public void SumMatchesTheRfc1071WorkedExample()
    {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        Assert.Equal(0xddf2, Checksum.Sum(data));
        Assert.Equal(0x220d, Checksum.Compute(data));
    }

    [Fact]
    public void ComputeReproducesARealIpv4HeaderChecksum()
    {
        // A captured header (the widely used Wikipedia example) whose checksum field holds b861.
        byte[] header = Convert.FromHexString("450000730000400040110000c0a80001c0a800c7");
        Assert.Equal(0xb861, Checksum.Compute(header));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), 0xb861);
        Assert.Equal(0, Checksum.Compute(header));
    }

    [Fact]
    public void SumAgreesWithANaiveReferenceForEveryLengthAndAlignment()
    {
        var rng = new Random(12345);
        byte[] buf = new byte[600];
        rng.NextBytes(buf);
        for (int start = 0; start < 8; start++)
        {
            for (int len = 0; len <= 300; len++)
            {
                ReadOnlySpan<byte> s = buf.AsSpan(start, len);
                Assert.Equal(NaiveSum(s), Checksum.Sum(s));
            }
        }
    }

    [Fact]
    public void SumHandlesAllOnesDataAndCarries()
    {
        byte[] ones = Enumerable.Repeat((byte)0xff, 1501).ToArray();
        Assert.Equal(NaiveSum(ones), Checksum.Sum(ones));
        Assert.Equal(0, Checksum.Sum(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void SumChainsOverEvenLengthPieces()
    {
        byte[] data = Encoding.ASCII.GetBytes("pseudo-header then segment!");
        ushort whole = Checksum.Sum(data);
        Assert.Equal(whole, Checksum.Sum(data.AsSpan(10), Checksum.Sum(data.AsSpan(0, 10))));
    }

    [Fact]
    public void Update16MatchesTheRfc1624ExampleThatEqn2GetsWrong()
    {
        // RFC 1624 section 4: m = 5555 becomes 3285, HC = dd2f; recomputation gives 0000, which
        // eqn. 3 reproduces (eqn. 2 would give ffff).
        Assert.Equal(0x0000, Checksum.Update16(0xdd2f, 0x5555, 0x3285));
    }

    [Fact]
    public void IncrementalUpdatesEqualFullRecomputation()
    {
        var rng = new Random(7);
        for (int iter = 0; iter < 2000; iter++)
        {
            byte[] data = new byte[20 + (2 * rng.Next(0, 100))];
            rng.NextBytes(data);
            data[0] |= 1; // never all zero, so the checksum is never the ambiguous ffff
            ushort csum = Checksum.Compute(data);
            int kind = iter % 3;
            int size = kind == 0 ? 2 : kind == 1 ? 4 : 16;
            int at = 2 * rng.Next(0, (data.Length - size) / 2 + 1);
            byte[] old = data.AsSpan(at, size).ToArray();
            byte[] now = new byte[size];
            rng.NextBytes(now);
            if (iter % 10 == 0)
            {
                Array.Copy(old, now, size); // no-op changes must leave the checksum alone
            }

            now.CopyTo(data, at);
            ushort updated = kind switch
            {
                0 => Checksum.Update16(csum, BinaryPrimitives.ReadUInt16BigEndian(old), BinaryPrimitives.ReadUInt16BigEndian(now)),
                1 => Checksum.Update32(csum, BinaryPrimitives.ReadUInt32BigEndian(old), BinaryPrimitives.ReadUInt32BigEndian(now)),
                _ => Checksum.Update128(csum, old, now),
            };
            Assert.Equal((ushort)~NaiveSum(data), updated);
        }
    }

    [Fact]
    public void Update128RejectsSpansThatAreNot16Bytes()
    {
        Assert.Throws<ArgumentException>(() => Checksum.Update128(0, new byte[4], new byte[16]));
    }

    public static TheoryData<string, uint> Crc32cVectors() => new()
    {
        // The CRC catalogue check value, and the iSCSI vectors of RFC 3720 appendix B.4.
        { "123456789", 0xE3069283 },
        { "zeros32", 0x8A9136AA },
        { "ones32", 0x62A8AB43 },
        { "inc32", 0x46DD794E },
        { "dec32", 0x113FDB5C },
        { "empty", 0x00000000 },
    };

    [Theory]
    [MemberData(nameof(Crc32cVectors))]
    public void Crc32cMatchesPublishedVectorsOnEveryPath(string name, uint expected)
    {
        byte[] data = VectorData(name);
        Assert.Equal(expected, Checksum.Crc32c(data));
        Assert.Equal(expected, NaiveCrc32c(data));
        Assert.Equal(expected, ~Checksum.Crc32cSoftware(~0u, data));
        if (Sse42.X64.IsSupported)
        {
            Assert.Equal(expected, ~Checksum.Crc32cX64(~0u, data));
        }

        if (Crc32.Arm64.IsSupported)
        {
            Assert.Equal(expected, ~Checksum.Crc32cArm64(~0u, data));
        }
    }

    [SkippableFact]
    public void Crc32cHardwareAndTablePathsAgreeOnRandomData()
    {
        Skip.IfNot(Checksum.IsCrc32cAccelerated, "no CRC32c instruction on this CPU");
        var rng = new Random(99);
        byte[] buf = new byte[2100];
        rng.NextBytes(buf);
        for (int start = 0; start < 8; start++)
        {
            for (int len = 0; len < 140; len++)
            {
                ReadOnlySpan<byte> s = buf.AsSpan(start, len);
                uint soft = Checksum.Crc32cSoftware(0x12345678, s);
                uint hard = Sse42.X64.IsSupported ? Checksum.Crc32cX64(0x12345678, s) : Checksum.Crc32cArm64(0x12345678, s);
                Assert.Equal(soft, hard);
            }
        }

        Assert.Equal(NaiveCrc32c(buf), Checksum.Crc32c(buf));
        Assert.Equal(NaiveCrc32c(buf), ~Checksum.Crc32cSoftware(~0u, buf));
    }

    [Fact]
    public void Crc32cTablePathAgreesWithTheBitwiseReference()
    {
        var rng = new Random(5);
        for (int len = 0; len < 70; len++)
        {
            byte[] b = new byte[len];
            rng.NextBytes(b);
            Assert.Equal(NaiveCrc32c(b), ~Checksum.Crc32cSoftware(~0u, b));
        }
    }

    [Fact]
    public void Crc32cContinuesFromAPreviousResult()
    {
        byte[] data = Encoding.ASCII.GetBytes("The SCTP common header, a zeroed checksum, then the chunks.");
        for (int cut = 0; cut <= data.Length; cut++)
        {
            Assert.Equal(Checksum.Crc32c(data), Checksum.Crc32c(data.AsSpan(cut), Checksum.Crc32c(data.AsSpan(0, cut))));
        }
    }

    private static byte[] VectorData(string name) => name switch
    {
        "zeros32" => new byte[32],
        "ones32" => Enumerable.Repeat((byte)0xff, 32).ToArray(),
        "inc32" => Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
        "dec32" => Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(),
        "empty" => [],
        _ => Encoding.ASCII.GetBytes(name),
    };

    private static ushort NaiveSum(ReadOnlySpan<byte> data)
    {
        ulong sum = 0;
        for (int i = 0; i < data.Length; i += 2)
        {
            sum += (ulong)((data[i] << 8) | (i + 1 < data.Length ? data[i + 1] : 0));
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)sum;
    }

    private static uint NaiveCrc32c(ReadOnlySpan<byte> data)
    {
        uint crc = 0xffffffff;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
            }
        }

        return ~crc;
    }
}

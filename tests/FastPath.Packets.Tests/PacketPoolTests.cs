namespace FastPath.Packets.Tests;

public class PacketPoolTests
{
    [Fact]
    public void FramesAreAlignedAndStartAfterHeadroom()
    {
        using var pool = new PacketPool(8);
        Assert.Equal(0, pool.BaseAddress % 4096);
        var seen = new HashSet<uint>();
        for (int i = 0; i < 8; i++)
        {
            Assert.True(pool.TryAlloc(out Packet p));
            Assert.Equal((uint)PacketPool.DefaultHeadroom, p.Addr % PacketPool.DefaultFrameSize);
            Assert.True(seen.Add(p.FrameAddr(PacketPool.DefaultFrameSize)));
        }

        Assert.False(pool.TryAlloc(out _));
        Assert.Equal(0, pool.FreeCount);
    }

    [Fact]
    public void FreeReturnsTheFrameEvenAfterPush()
    {
        using var pool = new PacketPool(1);
        Assert.True(pool.TryCopyIn(new byte[60], 3, out Packet p));
        Assert.True(pool.TryPush(ref p, 4));
        Assert.Equal(64, p.Length);
        pool.Free(p);
        Assert.Equal(1, pool.FreeCount);
        Assert.True(pool.TryAlloc(out _));
    }

    [Fact]
    public void DoubleFreeIsRefused()
    {
        using var pool = new PacketPool(1);
        Assert.True(pool.TryAlloc(out Packet p));
        pool.Free(p);
        Assert.Throws<InvalidOperationException>(() => pool.Free(p));
    }

    [Fact]
    public void PushStopsAtTheFrameStart()
    {
        using var pool = new PacketPool(2, headroom: 8);
        Assert.True(pool.TryCopyIn(new byte[20], 1, out Packet p));
        Assert.True(pool.TryPush(ref p, 8));
        Assert.False(pool.TryPush(ref p, 1));
        Assert.Equal(28, pool.GetData(p).Length);
        Assert.True(pool.TryPull(ref p, 28));
        Assert.False(pool.TryPull(ref p, 1));
    }

    [Fact]
    public void CopyInRefusesOversizedPackets()
    {
        using var pool = new PacketPool(2);
        Assert.False(pool.TryCopyIn(new byte[pool.MaxPacketLength + 1], 1, out _));
        Assert.True(pool.TryCopyIn(new byte[pool.MaxPacketLength], 1, out Packet p));
        Assert.Equal(pool.MaxPacketLength, pool.GetData(p).Length);
    }

    [Fact]
    public void HandleOutsideItsFrameIsRefused()
    {
        using var pool = new PacketPool(2);
        Assert.True(pool.TryAlloc(out Packet p));
        p.Length = (ushort)(PacketPool.DefaultFrameSize - PacketPool.DefaultHeadroom + 1);
        Assert.Throws<InvalidOperationException>(() => pool.GetData(p).Length);
    }

    [Fact]
    public void BadGeometryIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketPool(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketPool(4, frameSize: 3000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketPool(4, headroom: 2000));
    }

    [Fact]
    public void BatchHoldsThirtyTwo()
    {
        var b = new PacketBatch();
        for (int i = 0; i < PacketBatch.Capacity; i++)
        {
            Assert.True(b.TryAdd(new Packet { InPort = (uint)i }));
        }

        Assert.True(b.IsFull);
        Assert.False(b.TryAdd(default));
        Assert.Equal(31u, b[31].InPort);
        Assert.Equal(32, b.Packets.Length);
        b.Clear();
        Assert.Empty(b.Packets.ToArray());
    }
}

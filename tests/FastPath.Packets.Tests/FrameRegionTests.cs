using FastPath.Packets;

namespace FastPath.Packets.Tests;

/// <summary>
/// Pools over one shared region: frames move between them only through the region's lock-free ring, so
/// two threads, each with a pool of its own, never lose or duplicate a frame.
/// </summary>
public class FrameRegionTests
{
    [Fact]
    public void AFreshRegionHasEveryFrameFreeOnce()
    {
        using var region = new FrameRegion(300);
        PacketPool a = region.CreatePool(64);
        PacketPool b = region.CreatePool(64);
        Assert.Equal(300, region.FreeFrames);
        var taken = new List<uint>();
        while (a.TryAllocFrame(out uint f))
        {
            taken.Add(f);
        }

        Assert.Equal(300, taken.Count);
        Assert.Equal(300, taken.Distinct().Count());
        Assert.All(taken, f => Assert.Equal(0u, f % (uint)region.FrameSize));
        Assert.False(b.TryAlloc(out _));
        Assert.Equal(0, region.FreeFrames);
    }

    [Fact]
    public void FramesFreedIntoOnePoolReachAnotherThroughTheRing()
    {
        using var region = new FrameRegion(128);
        PacketPool rx = region.CreatePool(32);
        PacketPool tx = region.CreatePool(32);
        var held = new List<Packet>();
        while (rx.TryAlloc(out Packet p))
        {
            held.Add(p);
        }

        // The "tx side" gets them back, as AF_XDP completions; its cache spills half whenever it is full.
        foreach (Packet p in held)
        {
            tx.Free(p);
        }

        Assert.Equal(128, region.FreeFrames);
        Assert.True(tx.FreeCount <= tx.CacheCapacity);
        int again = 0;
        while (rx.TryAlloc(out _))
        {
            again++;
        }

        Assert.Equal(128 - tx.FreeCount, again);
    }

    [Fact]
    public void DisposingAPoolGivesItsFramesBack()
    {
        using var region = new FrameRegion(100);
        PacketPool a = region.CreatePool(64);
        Assert.True(a.TryAllocFrame(out uint f));
        a.FreeFrame(f);
        Assert.True(a.FreeCount > 0);
        a.Dispose();
        Assert.Equal(100, region.FreeFrames);
        PacketPool b = region.CreatePool(64);
        int n = 0;
        while (b.TryAllocFrame(out _))
        {
            n++;
        }

        Assert.Equal(100, n);
    }

    [Fact]
    public void MoreFreesThanFramesAreRefused()
    {
        using var region = new FrameRegion(64);
        PacketPool a = region.CreatePool(16);
        Assert.True(a.TryAllocFrame(out uint f));
        a.FreeFrame(f);

        // Freeing the same frame again and again: once the ring and cache hold more than 64 frames, it is a double free.
        Assert.Throws<InvalidOperationException>(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                a.FreeFrame(f);
            }
        });
    }

    [Fact]
    public void APoolOverADisposedRegionRefusesToWork()
    {
        var region = new FrameRegion(64);
        PacketPool a = region.CreatePool(16);
        Assert.True(a.TryAlloc(out Packet p));
        region.Dispose();
        Assert.Throws<InvalidOperationException>(() => a.GetData(p).Length);
        Assert.False(a.TryAlloc(out _));
        a.Dispose();
    }

    [Fact]
    public void TwoThreadsPassingFramesBothWaysNeverLoseOrDuplicateOne()
    {
        // Each thread allocates from its own pool, hands the frame to the other thread, and frees what it
        // is handed into its own pool: every frame crosses threads, and both pools spill and refill all the
        // time. Handoff queues are bounded so both threads keep taking from the ring.
        const int Frames = 512;
        const int Rounds = 200_000;
        using var region = new FrameRegion(Frames);
        var toB = new System.Collections.Concurrent.BlockingCollection<uint>(64);
        var toA = new System.Collections.Concurrent.BlockingCollection<uint>(64);
        Exception? error = null;
        var stamps = new int[Frames];

        void Run(PacketPool mine, System.Collections.Concurrent.BlockingCollection<uint> outbox, System.Collections.Concurrent.BlockingCollection<uint> inbox, int tag)
        {
            try
            {
                for (int i = 0; i < Rounds; i++)
                {
                    if (mine.TryAllocFrame(out uint f))
                    {
                        // A frame handed out twice would be stamped by both threads at once.
                        int idx = (int)(f / (uint)region.FrameSize);
                        if (Interlocked.Exchange(ref stamps[idx], tag) != 0)
                        {
                            throw new InvalidOperationException($"frame {idx} allocated while in use");
                        }

                        Interlocked.Exchange(ref stamps[idx], 0);
                        if (!outbox.TryAdd(f))
                        {
                            mine.FreeFrame(f);
                        }
                    }

                    while (inbox.TryTake(out uint g))
                    {
                        mine.FreeFrame(g);
                    }
                }

                outbox.CompleteAdding();
            }
            catch (Exception e)
            {
                error ??= e;
                outbox.CompleteAdding();
            }
        }

        PacketPool a = region.CreatePool(64);
        PacketPool b = region.CreatePool(64);
        var ta = new Thread(() => Run(a, toB, toA, 1));
        var tb = new Thread(() => Run(b, toA, toB, 2));
        ta.Start();
        tb.Start();
        ta.Join();
        tb.Join();
        Assert.Null(error);
        foreach (uint f in toA.GetConsumingEnumerable())
        {
            a.FreeFrame(f);
        }

        foreach (uint f in toB.GetConsumingEnumerable())
        {
            b.FreeFrame(f);
        }

        List<uint> free = region.SnapshotFreeFrames();
        Assert.Equal(Frames, free.Count);
        Assert.Equal(Frames, free.Distinct().Count());
    }
}

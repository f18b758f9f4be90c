using FastPath.Datapath.Actions;
using FastPath.Packets;

namespace FastPath.Datapath.Tests;

/// <summary>One call the executor made on a <see cref="RecordingSink"/>.</summary>
internal sealed record Delivery(bool IsUserspace, uint Port, ulong Cookie, bool IsLast, byte[] BytesAtCall, Packet Handle);

/// <summary>
/// A sink that follows the <see cref="IActionSink"/> contract the way a real port would: it clones
/// the packet into a frame of its own for every non-last output and takes the frame on the last one.
/// </summary>
internal struct RecordingSink(PacketPool pool) : IActionSink
{
    public List<Delivery> Deliveries { get; } = [];

    public void Output(uint port, ref Packet packet, bool isLast)
    {
        byte[] now = pool.GetData(packet).ToArray();
        Packet handle = packet;
        if (!isLast)
        {
            Assert.True(pool.TryCopyIn(now, packet.InPort, out handle), "pool exhausted while cloning");
        }

        Deliveries.Add(new Delivery(false, port, 0, isLast, now, handle));
    }

    public void Userspace(ulong cookie, ref Packet packet) =>
        Deliveries.Add(new Delivery(true, 0, cookie, false, pool.GetData(packet).ToArray(), default));
}

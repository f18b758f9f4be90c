using System.Buffers.Binary;
using FastPath.Datapath.Actions;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Upcalls;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Rules;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Xlate;

/// <summary>A pipeline with rules in ovs-ofctl syntax, ports 1-4, and its translator, for xlate tests.</summary>
internal sealed class XlateHarness : IPacketInSink
{
    public XlateHarness(XlateOptions? options = null, params string[] rules)
    {
        for (uint p = 1; p <= 4; p++)
        {
            Ports.Set(p);
        }

        Xlate = new OfXlate(Pipeline, Ports, this, options);
        foreach (string r in rules)
        {
            Add(r);
        }
    }

    public OfPipeline Pipeline { get; } = new();

    public BridgePorts Ports { get; } = new();

    public OfXlate Xlate { get; }

    public List<PacketIn> PacketIns { get; } = [];

    public void Deliver(PacketIn packetIn) => PacketIns.Add(packetIn);

    public void Add(string rule) => Pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse(rule)), 0);

    /// <summary>Adds a group in ovs-ofctl add-group syntax.</summary>
    public void AddGroup(string group) =>
        Pipeline.ApplyGroupMod(new FastPath.Ofproto.Groups.GroupMod(FastPath.Ofproto.Groups.GroupModCommand.Add, FastPath.OpenFlow.Text.GroupText.Parse(group)), 0);

    public FlowTranslation Translate(in FlowKey key)
    {
        Assert.True(Xlate.Translate(key, default, out FlowTranslation t), Xlate.LastFailure);
        return t;
    }

    /// <summary>The key of a UDP/IPv4 packet on in_port 1 (MACs 02:..:01 -> 02:..:02, TTL 64).</summary>
    public static FlowKey Udp(string src, string dst, ushort sport = 1000, ushort dport = 53, uint inPort = 1, byte ttl = 64)
    {
        byte[] frame = Upcalls.UpcallTestPackets.Udp4(src, dst, sport, dport);
        frame[22] = ttl;
        return KeyOf(frame, inPort);
    }

    public static FlowKey KeyOf(byte[] frame, uint inPort)
    {
        Packet p = default;
        FlowExtractor.Extract(frame, ref p, out FlowKey key);
        key.InPort = inPort;
        return key;
    }

    public static string Format(byte[] actions) => ActionFormatter.Format(actions);

    /// <summary>Which bytes of the mask are non-zero, by key field offset, for assertions on megaflow width.</summary>
    public static bool Masks(in FlowKey mask, int offset, int length) => MaskBytes(mask).AsSpan(offset, length).IndexOfAnyExcept((byte)0) >= 0;

    public static byte[] MaskBytes(in FlowKey mask) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(mask.ReadOnlyWords).ToArray();

    public static uint Ipv4(string dotted) => BinaryPrimitives.ReadUInt32BigEndian(System.Net.IPAddress.Parse(dotted).GetAddressBytes());
}

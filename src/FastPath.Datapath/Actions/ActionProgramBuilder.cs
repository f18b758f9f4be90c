using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using FastPath.Packets;

namespace FastPath.Datapath.Actions;

/// <summary>
/// Builds an encoded action program (see <see cref="ActionProgram"/>) for the slow path; allocates
/// freely, and rejects bad arguments when called so every program it yields passes validation.
/// </summary>
public sealed class ActionProgramBuilder
{
    private byte[] buffer = new byte[64];
    private int length;
    private int lastStart = -1;

    /// <summary>Bytes encoded so far.</summary>
    public int Length => length;

    /// <summary>The program encoded so far; valid until the next call that changes the builder.</summary>
    public ReadOnlySpan<byte> AsSpan() => buffer.AsSpan(0, length);

    /// <summary>A copy of the encoded program.</summary>
    public byte[] ToArray() => AsSpan().ToArray();

    /// <summary>Forgets every action so the builder can be reused.</summary>
    public ActionProgramBuilder Clear()
    {
        Array.Clear(buffer, 0, length);
        length = 0;
        lastStart = -1;
        return this;
    }

    /// <summary>Appends an output to datapath port <paramref name="port"/>.</summary>
    public ActionProgramBuilder Output(uint port)
    {
        Span<byte> a = Append(ActionType.Output, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(a[4..], port);
        return this;
    }

    /// <summary>Appends a send-to-userspace carrying <paramref name="cookie"/>.</summary>
    public ActionProgramBuilder Userspace(ulong cookie)
    {
        Span<byte> a = Append(ActionType.Userspace, 16);
        BinaryPrimitives.WriteUInt64LittleEndian(a[8..], cookie);
        return this;
    }

    /// <summary>Appends a push of an outermost VLAN tag with <paramref name="tpid"/> (0x8100 or 0x88a8) and wire TCI <paramref name="tci"/>.</summary>
    public ActionProgramBuilder PushVlan(ushort tpid, ushort tci)
    {
        if (tpid is not (0x8100 or 0x88a8))
        {
            throw new ArgumentOutOfRangeException(nameof(tpid), $"TPID 0x{tpid:x4} is neither 0x8100 nor 0x88a8");
        }

        Span<byte> a = Append(ActionType.PushVlan, 8);
        BinaryPrimitives.WriteUInt16BigEndian(a[4..], tpid);
        BinaryPrimitives.WriteUInt16BigEndian(a[6..], tci);
        return this;
    }

    /// <summary>
    /// If the last action appended is a push_vlan, writes the bits <paramref name="mask"/> of
    /// <paramref name="tci"/> into the TCI it pushes and returns true; otherwise changes nothing.
    /// </summary>
    /// <remarks>
    /// A masked TCI set right after a push rewrites the tag just pushed, so the datapath can push the final
    /// tag at once (Open vSwitch's push_vlan(vid=..,pcp=..)) and skip a per-packet set.
    /// </remarks>
    public bool TryFoldIntoPushedTag(ushort tci, ushort mask)
    {
        if (lastStart < 0 || BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(lastStart)) != (ushort)ActionType.PushVlan)
        {
            return false;
        }

        Span<byte> pushed = buffer.AsSpan(lastStart + 6, 2);
        ushort old = BinaryPrimitives.ReadUInt16BigEndian(pushed);
        BinaryPrimitives.WriteUInt16BigEndian(pushed, (ushort)((old & ~mask) | (tci & mask)));
        return true;
    }

    /// <summary>Appends a removal of the outermost VLAN tag.</summary>
    public ActionProgramBuilder PopVlan()
    {
        Append(ActionType.PopVlan, 8);
        return this;
    }

    /// <summary>Appends a TTL / hop-limit decrement that stops the packet when it expires.</summary>
    public ActionProgramBuilder DecTtl()
    {
        Append(ActionType.DecTtl, 8);
        return this;
    }

    /// <summary>
    /// Appends a push of an MPLS label stack entry built from the packet as Open vSwitch's OpenFlow
    /// push_mpls builds it (see <see cref="ActionProgram.PushMplsFromPacket"/>), with Ethernet type
    /// <paramref name="ethType"/> (0x8847 unicast or 0x8848 multicast).
    /// </summary>
    public ActionProgramBuilder PushMpls(ushort ethType)
    {
        CheckMplsType(ethType);
        Span<byte> a = Append(ActionType.PushMpls, 16);
        BinaryPrimitives.WriteUInt16BigEndian(a[8..], ethType);
        a[10] = ActionProgram.PushMplsFromPacket;
        return this;
    }

    /// <summary>
    /// Appends a push of exactly this MPLS label stack entry (Open vSwitch's datapath push_mpls), with
    /// Ethernet type <paramref name="ethType"/> (0x8847 or 0x8848).
    /// </summary>
    public ActionProgramBuilder PushMpls(ushort ethType, uint label, byte tc, byte ttl, bool bos)
    {
        CheckMplsType(ethType);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(label, 0xfffffu);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tc, (byte)7);
        Span<byte> a = Append(ActionType.PushMpls, 16);
        BinaryPrimitives.WriteUInt32BigEndian(a[4..], MplsLse(label, tc, ttl, bos));
        BinaryPrimitives.WriteUInt16BigEndian(a[8..], ethType);
        return this;
    }

    /// <summary>Appends a removal of the outermost MPLS label that leaves <paramref name="ethType"/> as the Ethernet type.</summary>
    public ActionProgramBuilder PopMpls(ushort ethType)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ethType, (ushort)0x0600);
        Span<byte> a = Append(ActionType.PopMpls, 8);
        BinaryPrimitives.WriteUInt16BigEndian(a[4..], ethType);
        return this;
    }

    /// <summary>Appends an MPLS TTL decrement of the outermost label that stops the packet when it expires.</summary>
    public ActionProgramBuilder DecMplsTtl()
    {
        Append(ActionType.DecMplsTtl, 8);
        return this;
    }

    /// <summary>Appends a rewrite of the outermost MPLS label (0 to 2^20 - 1), keeping TC, BOS and TTL.</summary>
    public ActionProgramBuilder SetMplsLabel(uint label)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(label, 0xfffffu);
        return SetMplsLse(label << 12, 0xfffff000);
    }

    /// <summary>Appends a rewrite of the outermost MPLS label's traffic class (0-7).</summary>
    public ActionProgramBuilder SetMplsTc(byte tc)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tc, (byte)7);
        return SetMplsLse((uint)tc << 9, 0xe00);
    }

    /// <summary>Appends a rewrite of the outermost MPLS label's TTL.</summary>
    public ActionProgramBuilder SetMplsTtl(byte ttl) => SetMplsLse(ttl, 0xff);

    /// <summary>Appends a masked rewrite of the whole outermost MPLS label stack entry (host order).</summary>
    public ActionProgramBuilder SetMplsLse(uint lse, uint mask)
    {
        Span<byte> v = stackalloc byte[4];
        Span<byte> m = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(v, lse);
        BinaryPrimitives.WriteUInt32BigEndian(m, mask);
        return SetMasked(ActionField.MplsLse, v, m);
    }

    /// <summary>A label stack entry in host order: label (20 bits), TC (3), BOS (1), TTL (8).</summary>
    public static uint MplsLse(uint label, byte tc, byte ttl, bool bos) =>
        (label << 12) | ((uint)(tc & 7) << 9) | (bos ? 1u << 8 : 0) | ttl;

    /// <summary>
    /// Appends a masked rewrite: each bit of <paramref name="field"/> set in <paramref name="mask"/> takes
    /// the bit of <paramref name="value"/>, the others keep the packet's. Both are in network order and
    /// <see cref="ActionProgram.FieldSize"/> bytes long; value bits outside the mask are dropped.
    /// </summary>
    public ActionProgramBuilder SetMasked(ActionField field, ReadOnlySpan<byte> value, ReadOnlySpan<byte> mask)
    {
        int size = ActionProgram.FieldSize(field);
        if (size == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(field), $"unknown field {(byte)field}");
        }

        if (value.Length != size || mask.Length != size)
        {
            throw new ArgumentException($"{field} takes a {size}-byte value and mask, got {value.Length} and {mask.Length}");
        }

        Span<byte> a = Append(ActionType.SetMasked, ActionProgram.SetMaskedLength(size));
        a[4] = (byte)field;
        a[5] = (byte)size;
        Span<byte> v = a.Slice(ActionProgram.SetValueOffset, size);
        Span<byte> m = a.Slice(ActionProgram.SetValueOffset + size, size);
        for (int i = 0; i < size; i++)
        {
            v[i] = (byte)(value[i] & mask[i]);
            m[i] = mask[i];
        }

        return this;
    }

    /// <summary>Appends an unmasked rewrite of <paramref name="field"/> (network-order <paramref name="value"/>).</summary>
    public ActionProgramBuilder Set(ActionField field, ReadOnlySpan<byte> value)
    {
        Span<byte> ones = stackalloc byte[16];
        ones.Fill(0xff);
        return SetMasked(field, value, ones[..Math.Min(value.Length, 16)]);
    }

    /// <summary>Appends a rewrite of the Ethernet source address (6 bytes).</summary>
    public ActionProgramBuilder SetEthSrc(ReadOnlySpan<byte> mac) => Set(ActionField.EthSrc, mac);

    /// <summary>Appends a masked rewrite of the Ethernet source address.</summary>
    public ActionProgramBuilder SetEthSrc(ReadOnlySpan<byte> mac, ReadOnlySpan<byte> mask) => SetMasked(ActionField.EthSrc, mac, mask);

    /// <summary>Appends a rewrite of the Ethernet destination address (6 bytes).</summary>
    public ActionProgramBuilder SetEthDst(ReadOnlySpan<byte> mac) => Set(ActionField.EthDst, mac);

    /// <summary>Appends a masked rewrite of the Ethernet destination address.</summary>
    public ActionProgramBuilder SetEthDst(ReadOnlySpan<byte> mac, ReadOnlySpan<byte> mask) => SetMasked(ActionField.EthDst, mac, mask);

    /// <summary>Appends a rewrite of the outer VLAN's VID (0-4095), keeping PCP and DEI.</summary>
    public ActionProgramBuilder SetVlanVid(ushort vid)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vid, (ushort)0x0fff);
        return SetVlanTci(vid, 0x0fff);
    }

    /// <summary>Appends a rewrite of the outer VLAN's PCP (0-7), keeping VID and DEI.</summary>
    public ActionProgramBuilder SetVlanPcp(byte pcp)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pcp, (byte)7);
        return SetVlanTci((ushort)(pcp << 13), 0xe000);
    }

    /// <summary>Appends a masked rewrite of the outer VLAN's whole TCI (host order).</summary>
    public ActionProgramBuilder SetVlanTci(ushort tci, ushort mask) => SetBe16(ActionField.VlanTci, tci, mask);

    /// <summary>Appends a rewrite of the IPv4 source, masked when <paramref name="mask"/> is given.</summary>
    public ActionProgramBuilder SetIpv4Src(IPAddress address, IPAddress? mask = null) =>
        SetAddress(ActionField.Ipv4Src, AddressFamily.InterNetwork, address, mask);

    /// <summary>Appends a rewrite of the IPv4 destination, masked when <paramref name="mask"/> is given.</summary>
    public ActionProgramBuilder SetIpv4Dst(IPAddress address, IPAddress? mask = null) =>
        SetAddress(ActionField.Ipv4Dst, AddressFamily.InterNetwork, address, mask);

    /// <summary>Appends a masked rewrite of the IPv4 TOS byte (e.g. mask 0xfc for DSCP only).</summary>
    public ActionProgramBuilder SetIpv4Tos(byte tos, byte mask = 0xff) => SetByte(ActionField.Ipv4Tos, tos, mask);

    /// <summary>Appends a rewrite of the IPv4 TTL.</summary>
    public ActionProgramBuilder SetIpv4Ttl(byte ttl) => SetByte(ActionField.Ipv4Ttl, ttl, 0xff);

    /// <summary>Appends a rewrite of the IPv6 source, masked when <paramref name="mask"/> is given.</summary>
    public ActionProgramBuilder SetIpv6Src(IPAddress address, IPAddress? mask = null) =>
        SetAddress(ActionField.Ipv6Src, AddressFamily.InterNetworkV6, address, mask);

    /// <summary>Appends a rewrite of the IPv6 destination, masked when <paramref name="mask"/> is given.</summary>
    public ActionProgramBuilder SetIpv6Dst(IPAddress address, IPAddress? mask = null) =>
        SetAddress(ActionField.Ipv6Dst, AddressFamily.InterNetworkV6, address, mask);

    /// <summary>Appends a masked rewrite of the IPv6 traffic class.</summary>
    public ActionProgramBuilder SetIpv6Tc(byte trafficClass, byte mask = 0xff) => SetByte(ActionField.Ipv6Tc, trafficClass, mask);

    /// <summary>Appends a masked rewrite of the IPv6 flow label (20 bits).</summary>
    public ActionProgramBuilder SetIpv6Label(uint label, uint mask = 0xfffff)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mask, 0xfffffu);
        Span<byte> v = stackalloc byte[4];
        Span<byte> m = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(v, label & mask);
        BinaryPrimitives.WriteUInt32BigEndian(m, mask);
        return SetMasked(ActionField.Ipv6Label, v, m);
    }

    /// <summary>Appends a rewrite of the IPv6 hop limit.</summary>
    public ActionProgramBuilder SetIpv6HopLimit(byte hopLimit) => SetByte(ActionField.Ipv6HopLimit, hopLimit, 0xff);

    /// <summary>Appends a masked rewrite of the <paramref name="protocol"/> source port; packets of another protocol are left alone.</summary>
    public ActionProgramBuilder SetTpSrc(TransportProtocol protocol, ushort port, ushort mask = 0xffff) =>
        SetBe16(protocol switch
        {
            TransportProtocol.Tcp => ActionField.TcpSrc,
            TransportProtocol.Udp => ActionField.UdpSrc,
            TransportProtocol.Sctp => ActionField.SctpSrc,
            _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
        }, port, mask);

    /// <summary>Appends a masked rewrite of the <paramref name="protocol"/> destination port; packets of another protocol are left alone.</summary>
    public ActionProgramBuilder SetTpDst(TransportProtocol protocol, ushort port, ushort mask = 0xffff) =>
        SetBe16(protocol switch
        {
            TransportProtocol.Tcp => ActionField.TcpDst,
            TransportProtocol.Udp => ActionField.UdpDst,
            TransportProtocol.Sctp => ActionField.SctpDst,
            _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
        }, port, mask);

    /// <summary>Appends a meter action: packets over meter <paramref name="meterId"/>'s drop bands are dropped there, the others go on.</summary>
    public ActionProgramBuilder Meter(uint meterId)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(meterId, (uint)Meters.MeterTable.MaxMeters);
        Span<byte> a = Append(ActionType.Meter, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(a[4..], meterId);
        return this;
    }

    /// <summary>Appends a masked rewrite of the ARP opcode (Ethernet/IPv4 ARP and RARP only).</summary>
    public ActionProgramBuilder SetArpOp(ushort op, ushort mask = 0xffff) => SetBe16(ActionField.ArpOp, op, mask);

    /// <summary>Appends a rewrite of the ARP sender protocol address, masked when <paramref name="mask"/> is given.</summary>
    public ActionProgramBuilder SetArpSpa(IPAddress address, IPAddress? mask = null) =>
        SetAddress(ActionField.ArpSpa, AddressFamily.InterNetwork, address, mask);

    /// <summary>Appends a rewrite of the ARP target protocol address, masked when <paramref name="mask"/> is given.</summary>
    public ActionProgramBuilder SetArpTpa(IPAddress address, IPAddress? mask = null) =>
        SetAddress(ActionField.ArpTpa, AddressFamily.InterNetwork, address, mask);

    /// <summary>Appends a rewrite of the ARP sender hardware address (6 bytes), masked when <paramref name="mask"/> is not empty.</summary>
    public ActionProgramBuilder SetArpSha(ReadOnlySpan<byte> mac, ReadOnlySpan<byte> mask = default) => SetMac(ActionField.ArpSha, mac, mask);

    /// <summary>Appends a rewrite of the ARP target hardware address (6 bytes), masked when <paramref name="mask"/> is not empty.</summary>
    public ActionProgramBuilder SetArpTha(ReadOnlySpan<byte> mac, ReadOnlySpan<byte> mask = default) => SetMac(ActionField.ArpTha, mac, mask);

    /// <summary>Appends a masked rewrite of the ICMPv4 type (the ICMP checksum follows).</summary>
    public ActionProgramBuilder SetIcmpType(byte type, byte mask = 0xff) => SetByte(ActionField.IcmpType, type, mask);

    /// <summary>Appends a masked rewrite of the ICMPv4 code (the ICMP checksum follows).</summary>
    public ActionProgramBuilder SetIcmpCode(byte code, byte mask = 0xff) => SetByte(ActionField.IcmpCode, code, mask);

    /// <summary>Appends a masked rewrite of the ICMPv6 type (the ICMPv6 checksum follows).</summary>
    public ActionProgramBuilder SetIcmpv6Type(byte type, byte mask = 0xff) => SetByte(ActionField.Icmpv6Type, type, mask);

    /// <summary>Appends a masked rewrite of the ICMPv6 code (the ICMPv6 checksum follows).</summary>
    public ActionProgramBuilder SetIcmpv6Code(byte code, byte mask = 0xff) => SetByte(ActionField.Icmpv6Code, code, mask);

    /// <summary>Appends a rewrite of a neighbor solicitation's or advertisement's target address, masked when <paramref name="mask"/> is given.</summary>
    public ActionProgramBuilder SetNdTarget(IPAddress address, IPAddress? mask = null) =>
        SetAddress(ActionField.NdTarget, AddressFamily.InterNetworkV6, address, mask);

    /// <summary>Appends a rewrite of the ND source link-layer address option, if the packet has one (6 bytes; masked when <paramref name="mask"/> is not empty).</summary>
    public ActionProgramBuilder SetNdSll(ReadOnlySpan<byte> mac, ReadOnlySpan<byte> mask = default) => SetMac(ActionField.NdSll, mac, mask);

    /// <summary>Appends a rewrite of the ND target link-layer address option, if the packet has one (6 bytes; masked when <paramref name="mask"/> is not empty).</summary>
    public ActionProgramBuilder SetNdTll(ReadOnlySpan<byte> mac, ReadOnlySpan<byte> mask = default) => SetMac(ActionField.NdTll, mac, mask);

    /// <summary>The program in Open vSwitch datapath-action syntax.</summary>
    public override string ToString() => ActionFormatter.Format(AsSpan());

    // A masked rewrite of a 16-bit field, value and mask given in host order.
    private ActionProgramBuilder SetBe16(ActionField field, ushort value, ushort mask)
    {
        Span<byte> v = stackalloc byte[2];
        Span<byte> m = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(v, value);
        BinaryPrimitives.WriteUInt16BigEndian(m, mask);
        return SetMasked(field, v, m);
    }

    private static void CheckMplsType(ushort ethType)
    {
        if (!EtherTypes.IsMpls(ethType))
        {
            throw new ArgumentOutOfRangeException(nameof(ethType), $"MPLS Ethernet type 0x{ethType:x4} is neither 0x8847 nor 0x8848");
        }
    }

    private ActionProgramBuilder SetMac(ActionField field, ReadOnlySpan<byte> mac, ReadOnlySpan<byte> mask) =>
        mask.IsEmpty ? Set(field, mac) : SetMasked(field, mac, mask);

    private ActionProgramBuilder SetByte(ActionField field, byte value, byte mask) =>
        SetMasked(field, [value], [mask]);

    private ActionProgramBuilder SetAddress(ActionField field, AddressFamily family, IPAddress address, IPAddress? mask)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != family || (mask is not null && mask.AddressFamily != family))
        {
            throw new ArgumentException($"{field} takes {family} addresses");
        }

        byte[] m = mask?.GetAddressBytes() ?? Enumerable.Repeat((byte)0xff, ActionProgram.FieldSize(field)).ToArray();
        return SetMasked(field, address.GetAddressBytes(), m);
    }

    private Span<byte> Append(ActionType type, int size)
    {
        if (length + size > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + size));
        }

        Span<byte> a = buffer.AsSpan(length, size);
        lastStart = length;
        a.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)type);
        BinaryPrimitives.WriteUInt16LittleEndian(a[2..], (ushort)size);
        length += size;
        return a;
    }
}

using System.Buffers.Binary;
using static FastPath.Packets.Tests.TestFrames;

namespace FastPath.Packets.Tests.OvsDifferential;

/// <summary>
/// The edge-case corpus the parser is compared with Open vSwitch on: every protocol the parser handles,
/// then every prefix of each of those frames (a cut at every header boundary and inside every header),
/// malformed lengths and offsets, and seeded random corruption. Deterministic: the same list every run.
/// </summary>
internal static class OvsCorpus
{
    private static readonly byte[] Mac2 = [0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f];

    /// <summary>All cases: (unique name, frame).</summary>
    public static List<(string Name, byte[] Frame)> Build()
    {
        var all = new List<(string, byte[])>();
        List<(string Name, byte[] Frame)> bases = Bases();
        all.AddRange(bases);
        foreach (var (name, frame) in bases)
        {
            // From 1: Open vSwitch's pcap reader takes an empty record for the end of the file.
            for (int len = 1; len < frame.Length; len++)
            {
                all.Add(($"{name}/cut{len}", frame[..len]));
            }
        }

        all.AddRange(Malformed());
        all.AddRange(RandomCorruption(bases, seed: 12, count: 8000));
        all.AddRange(Unsupported());
        return all;
    }

    /// <summary>One well-formed frame per protocol shape.</summary>
    public static List<(string Name, byte[] Frame)> Bases()
    {
        var b = new List<(string, byte[])>();
        byte[] udp4 = Eth(0x0800, Ipv4(17, "10.0.0.1", "10.0.0.2", Udp(1000, 53), tos: 0xb9));
        byte[] tcp4 = Eth(0x0800, Ipv4(6, "10.0.0.1", "10.0.0.2", Tcp(80, 40000, 0xfff)));
        byte[] udp6 = Eth(0x86dd, Ipv6(17, "2001:db8::1", "2001:db8::2", Udp(5000, 6000), tc: 0xb9, label: 0xfedcb));

        // L2
        b.Add(("eth-unknown-type", Eth(0x88b5, new byte[20])));
        b.Add(("eth-type-0600", Eth(0x0600, new byte[20])));
        b.Add(("vlan-udp4", Tag(udp4, 0x8100, 0x2064)));
        b.Add(("vlan-dei-vid0", Tag(udp4, 0x8100, 0xf000)));
        b.Add(("qinq-88a8-udp4", Tag(Tag(udp4, 0x8100, 0x0005), 0x88a8, 0xe00a)));
        b.Add(("qinq-8100-8100-tcp6", Tag(Tag(Eth(0x86dd, Ipv6(6, "fe80::1", "fe80::2", Tcp(22, 40000, 0x018))), 0x8100, 0x0fff), 0x8100, 0x0001)));
        b.Add(("vlan3-udp4", Tag(Tag(Tag(udp4, 0x8100, 7), 0x8100, 6), 0x88a8, 5)));
        b.Add(("llc-snap-ipv4", Eth(40, [0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00], Ipv4(17, "10.9.9.9", "10.8.8.8", Udp(7, 9)))));
        b.Add(("llc-snap-arp", Eth(36, [0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x06], Arp(1, "1.1.1.1", "2.2.2.2"))));
        b.Add(("llc-snap-oui-nonzero", Eth(40, [0xaa, 0xaa, 0x03, 0, 0, 1, 0x08, 0x00], new byte[20])));
        b.Add(("llc-snap-type-below-0600", Eth(40, [0xaa, 0xaa, 0x03, 0, 0, 0, 0x05, 0xdc], new byte[20])));
        b.Add(("llc-802.3", Eth(38, [0x42, 0x42, 0x03], new byte[35])));
        b.Add(("vlan-llc-snap-ipv6", Tag(Eth(60, [0xaa, 0xaa, 0x03, 0, 0, 0, 0x86, 0xdd], Ipv6(17, "::1", "::2", Udp(1, 2))), 0x8100, 0x0010)));

        // ARP, RARP
        b.Add(("arp-request", Eth(0x0806, Arp(1, "192.168.1.1", "192.168.1.2"))));
        b.Add(("arp-reply-padded", Eth(0x0806, Arp(2, "192.168.1.2", "192.168.1.1"), new byte[18])));
        b.Add(("arp-op-255", Eth(0x0806, Arp(255, "1.2.3.4", "5.6.7.8"))));
        b.Add(("arp-op-256", Eth(0x0806, Arp(256, "1.2.3.4", "5.6.7.8"))));
        b.Add(("arp-hrd-6", Eth(0x0806, Arp(1, "1.2.3.4", "5.6.7.8", hrd: 6))));
        b.Add(("arp-pro-ipv6", Eth(0x0806, Arp(1, "1.2.3.4", "5.6.7.8", pro: 0x86dd))));
        b.Add(("arp-hln-8", Eth(0x0806, Arp(1, "1.2.3.4", "5.6.7.8", hln: 8))));
        b.Add(("arp-pln-16", Eth(0x0806, Arp(1, "1.2.3.4", "5.6.7.8", pln: 16))));
        b.Add(("vlan-arp", Tag(Eth(0x0806, Arp(1, "10.0.0.1", "10.0.0.2")), 0x8100, 0x0064)));
        b.Add(("rarp-request", Eth(0x8035, Arp(3, "0.0.0.0", "0.0.0.0"))));
        b.Add(("rarp-reply", Eth(0x8035, Arp(4, "10.1.1.1", "10.1.1.2"))));

        // IPv4
        b.Add(("udp4", udp4));
        b.Add(("udp4-padded-60", Pad(udp4, 60)));
        b.Add(("udp4-padded-400", Pad(udp4, 400)));
        b.Add(("tcp4-all-flags", tcp4));
        b.Add(("tcp4-tcp-options", Eth(0x0800, Ipv4(6, "10.0.0.1", "10.0.0.2", Tcp(443, 1025, 0x002, dataOffsetWords: 8)))));
        b.Add(("tcp4-ip-options", Eth(0x0800, Ipv4(6, "1.2.3.4", "5.6.7.8", Tcp(80, 1234, 0x012), ihlWords: 7))));
        b.Add(("tcp4-ip-options-max", Eth(0x0800, Ipv4(17, "1.2.3.4", "5.6.7.8", Udp(1, 2), ihlWords: 15))));
        b.Add(("sctp4", Eth(0x0800, Ipv4(132, "10.3.3.3", "10.4.4.4", Sctp(2905, 2906)))));
        b.Add(("icmp4-echo", Eth(0x0800, Ipv4(1, "10.0.0.1", "10.0.0.2", Icmp(8, 0)))));
        b.Add(("icmp4-unreach", Eth(0x0800, Ipv4(1, "10.0.0.1", "10.0.0.2", [.. Icmp(3, 13), .. new byte[28]]))));
        b.Add(("igmp-v2-report", Eth(0x0800, Ipv4(2, "10.0.0.1", "224.1.2.3", Igmp(0x16, 0, "224.1.2.3"), ttl: 1))));
        b.Add(("igmp-query", Eth(0x0800, Ipv4(2, "10.0.0.1", "224.0.0.1", Igmp(0x11, 100, "0.0.0.0"), ttl: 1))));
        b.Add(("igmp-v3-report", Eth(0x0800, Ipv4(2, "10.0.0.1", "224.0.0.22", [.. Igmp(0x22, 0, "0.0.0.1"), 1, 0, 0, 0, 239, 1, 1, 1], ttl: 1))));
        b.Add(("gre4", Eth(0x0800, Ipv4(47, "10.0.0.1", "10.0.0.2", new byte[12]))));
        b.Add(("ipv4-proto-255", Eth(0x0800, Ipv4(255, "10.0.0.1", "10.0.0.2", new byte[12]))));
        b.Add(("icmpv6-ns-in-ipv4", Eth(0x0800, Ipv4(58, "10.0.0.1", "10.0.0.2", NeighborSolicit("fe80::2", MacA)))));
        b.Add(("ipv4-frag-first", Eth(0x0800, Ipv4(17, "10.0.0.1", "10.0.0.2", Udp(1, 2, 40), frag: 0x2000))));
        b.Add(("ipv4-frag-later", Eth(0x0800, Ipv4(6, "10.0.0.1", "10.0.0.2", new byte[40], frag: 185))));
        b.Add(("ipv4-frag-later-more", Eth(0x0800, Ipv4(17, "10.0.0.1", "10.0.0.2", new byte[40], frag: 0x2001))));
        b.Add(("ipv4-df", Eth(0x0800, Ipv4(17, "10.0.0.1", "10.0.0.2", Udp(1, 2), frag: 0x4000))));
        b.Add(("ipv4-evil-bit", Eth(0x0800, Ipv4(17, "10.0.0.1", "10.0.0.2", Udp(1, 2), frag: 0x8000))));

        // IPv6
        b.Add(("udp6", udp6));
        b.Add(("udp6-padded-70", Pad(udp6, 70)));
        b.Add(("tcp6", Eth(0x86dd, Ipv6(6, "2001:db8::1", "2001:db8::2", Tcp(443, 51000, 0x010)))));
        b.Add(("sctp6", Eth(0x86dd, Ipv6(132, "2001:db8::1", "2001:db8::2", Sctp(1, 2)))));
        b.Add(("icmp6-echo", Eth(0x86dd, Ipv6(58, "2001:db8::1", "2001:db8::2", [128, 0, 0, 0, 0, 1, 0, 1, 9, 9]))));
        b.Add(("icmp4-in-ipv6", Eth(0x86dd, Ipv6(1, "2001:db8::1", "2001:db8::2", Icmp(8, 0)))));
        b.Add(("igmp-in-ipv6", Eth(0x86dd, Ipv6(2, "2001:db8::1", "2001:db8::2", Igmp(0x16, 0, "224.1.1.1")))));
        b.Add(("ipv6-no-next", Eth(0x86dd, Ipv6(59, "2001:db8::1", "2001:db8::2", new byte[8]))));
        b.Add(("ipv6-esp", Eth(0x86dd, Ipv6(50, "2001:db8::1", "2001:db8::2", new byte[16]))));
        b.Add(("ipv6-hbh-udp", Eth(0x86dd, Ipv6(0, "2001:db8::1", "2001:db8::2", [.. Ext8(17), .. Udp(1, 2)]))));
        b.Add(("ipv6-hbh24-tcp", Eth(0x86dd, Ipv6(0, "2001:db8::1", "2001:db8::2", [.. ExtN(6, 2), .. Tcp(1, 2, 0x02)]))));
        b.Add(("ipv6-routing-segleft-tcp", Eth(0x86dd, Ipv6(43, "2001:db8::1", "2001:db8::2", [.. Routing(6, "2001:db8::9"), .. Tcp(3, 4, 0x02)]))));
        b.Add(("ipv6-dstopts-udp", Eth(0x86dd, Ipv6(60, "2001:db8::1", "2001:db8::2", [.. Ext8(17), .. Udp(5, 6)]))));
        b.Add(("ipv6-ah-tcp", Eth(0x86dd, Ipv6(51, "2001:db8::1", "2001:db8::2", [.. Ah(6), .. Tcp(7, 8, 0x11)]))));
        b.Add(("ipv6-frag-first-tcp", Eth(0x86dd, Ipv6(44, "2001:db8::a", "2001:db8::b", [.. FragHeader(6, 0, true), .. Tcp(1, 2, 2)]))));
        b.Add(("ipv6-frag-later", Eth(0x86dd, Ipv6(44, "2001:db8::a", "2001:db8::b", [.. FragHeader(6, 100, false), .. new byte[24]]))));
        b.Add(("ipv6-frag-atomic-udp", Eth(0x86dd, Ipv6(44, "2001:db8::a", "2001:db8::b", [.. FragHeader(17, 0, false), .. Udp(9, 10)]))));
        b.Add(("ipv6-frag-reserved-bits-udp", Eth(0x86dd, Ipv6(44, "2001:db8::a", "2001:db8::b", [17, 0, 0, 6, 0, 0, 0, 1, .. Udp(9, 10)]))));
        b.Add(("ipv6-chain-all-udp", Eth(0x86dd, Ipv6(0, "2001:db8::1", "2001:db8::2",
            [.. Ext8(43), .. Routing(60, "::9", segmentsLeft: 0), .. Ext8(51), .. Ah(44), .. FragHeader(17, 0, true), .. Udp(11, 12)]))));
        b.Add(("ipv6-frag-then-dstopts-later", Eth(0x86dd, Ipv6(44, "2001:db8::1", "2001:db8::2", [.. FragHeader(60, 3, true), .. Ext8(17), .. Udp(1, 2)]))));

        // ICMPv6 neighbor discovery
        b.Add(("nd-ns-sll", Eth(0x86dd, Ipv6(58, "fe80::1", "ff02::1:ff00:2", NeighborSolicit("fe80::2", MacA), hlim: 255))));
        b.Add(("nd-ns-no-option", Eth(0x86dd, Ipv6(58, "::", "ff02::1:ff00:2", NeighborSolicit("fe80::2", null), hlim: 255))));
        b.Add(("nd-na-tll", Eth(0x86dd, Ipv6(58, "fe80::2", "fe80::1", NeighborAdvert("fe80::2", MacB), hlim: 255))));
        b.Add(("nd-na-sll", Eth(0x86dd, Ipv6(58, "fe80::2", "fe80::1", [.. NeighborAdvert("fe80::2", null), .. Opt(1, MacA)], hlim: 255))));
        b.Add(("nd-ns-sll-tll", Eth(0x86dd, Ipv6(58, "fe80::1", "fe80::2", [.. NeighborSolicit("fe80::2", MacA), .. Opt(2, Mac2)], hlim: 255))));
        b.Add(("nd-ns-sll-twice", Eth(0x86dd, Ipv6(58, "fe80::1", "fe80::2", [.. NeighborSolicit("fe80::2", MacA), .. Opt(1, Mac2)], hlim: 255))));
        b.Add(("nd-na-unknown-then-tll", Eth(0x86dd, Ipv6(58, "fe80::1", "fe80::2", [.. NeighborAdvert("fe80::3", null), 14, 1, 1, 2, 3, 4, 5, 6, .. Opt(2, Mac2)], hlim: 255))));
        b.Add(("nd-ns-long-sll", Eth(0x86dd, Ipv6(58, "fe80::1", "fe80::2", [.. NeighborSolicit("fe80::2", null), 1, 2, .. MacA, .. new byte[8]], hlim: 255))));
        b.Add(("nd-ns-code1", Eth(0x86dd, Ipv6(58, "fe80::1", "fe80::2", [135, 1, .. NeighborSolicit("fe80::2", MacA)[2..]], hlim: 255))));
        b.Add(("nd-rs-sll", Eth(0x86dd, Ipv6(58, "fe80::1", "ff02::2", [133, 0, 0, 0, 0, 0, 0, 0, .. Opt(1, MacA)], hlim: 255))));
        b.Add(("nd-ra", Eth(0x86dd, Ipv6(58, "fe80::1", "ff02::1", [134, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, .. Opt(1, MacA)], hlim: 255))));
        b.Add(("nd-ns-sll-zero-mac-twice", Eth(0x86dd, Ipv6(58, "fe80::1", "fe80::2", [.. NeighborSolicit("fe80::2", new byte[6]), .. Opt(1, Mac2)], hlim: 255))));
        b.Add(("nd-ns-after-hbh", Eth(0x86dd, Ipv6(0, "fe80::1", "fe80::2", [.. Ext8(58), .. NeighborSolicit("fe80::2", MacA)], hlim: 255))));

        // MPLS
        b.Add(("mpls1-ipv4", Eth(0x8847, Mpls(100, 3, 64, true), udp4[14..])));
        b.Add(("mpls2-ipv4", Eth(0x8847, Mpls(16, 0, 255, false), Mpls(1048575, 7, 1, true), udp4[14..])));
        b.Add(("mpls3", Eth(0x8847, Mpls(1, 1, 1, false), Mpls(2, 2, 2, false), Mpls(3, 3, 3, true), new byte[20])));
        b.Add(("mpls4", Eth(0x8847, Mpls(10, 0, 9, false), Mpls(20, 1, 8, false), Mpls(30, 2, 7, false), Mpls(40, 3, 6, true), new byte[20])));
        b.Add(("mplsm2", Eth(0x8848, Mpls(500, 5, 5, false), Mpls(600, 6, 6, true), new byte[16])));
        b.Add(("vlan-mpls1", Tag(Eth(0x8847, Mpls(7, 0, 64, true), new byte[20]), 0x8100, 0x0abc)));
        b.Add(("mpls-no-bos", Eth(0x8847, Mpls(1, 0, 1, false), Mpls(2, 0, 2, false))));
        b.Add(("llc-snap-mpls", Eth(30, [0xaa, 0xaa, 0x03, 0, 0, 0, 0x88, 0x47], Mpls(77, 1, 33, true), new byte[16])));
        return b;
    }

    /// <summary>Malformed lengths and offsets, each applied to a frame that is otherwise well formed.</summary>
    public static IEnumerable<(string Name, byte[] Frame)> Malformed()
    {
        byte[] udp4 = Eth(0x0800, Ipv4(17, "10.0.0.1", "10.0.0.2", Udp(1000, 53, payload: 40)));
        byte[] tcp4 = Eth(0x0800, Ipv4(6, "10.0.0.1", "10.0.0.2", Tcp(80, 40000, 0x018, dataOffsetWords: 6)));
        byte[] tcp6 = Eth(0x86dd, Ipv6(6, "2001:db8::1", "2001:db8::2", Tcp(443, 51000, 0x010, dataOffsetWords: 6)));
        byte[] hbh = Eth(0x86dd, Ipv6(0, "2001:db8::1", "2001:db8::2", [.. Ext8(17), .. Udp(1, 2, payload: 24)]));
        byte[] ah = Eth(0x86dd, Ipv6(51, "2001:db8::1", "2001:db8::2", [.. Ah(17), .. Udp(1, 2, payload: 24)]));
        byte[] ns = Eth(0x86dd, Ipv6(58, "fe80::1", "fe80::2", [.. NeighborSolicit("fe80::2", MacA), .. Opt(2, Mac2)], hlim: 255));

        for (int ihl = 0; ihl < 16; ihl++)
        {
            yield return ($"ipv4-ihl{ihl}", With(udp4, 14, (byte)(0x40 | ihl)));
        }

        foreach (int version in new[] { 0, 6, 15 })
        {
            yield return ($"ipv4-version{version}", With(udp4, 14, (byte)((version << 4) | 5)));
        }

        int ipLen = udp4.Length - 14;
        foreach (int tot in new[] { 0, 19, 20, 27, 28, ipLen - 1, ipLen, ipLen + 1, 65535 })
        {
            yield return ($"ipv4-totlen{tot}", With16(udp4, 16, tot));
        }

        yield return ("ipv4-totlen-over-padded", With16(Pad(udp4, udp4.Length + 10), 16, ipLen + 4));
        yield return ("ipv4-totlen-under-300", With16(Pad(udp4, 400), 16, ipLen));

        for (int doff = 0; doff < 16; doff++)
        {
            yield return ($"tcp4-doff{doff}", With(tcp4, 14 + 20 + 12, (byte)(doff << 4)));
            yield return ($"tcp6-doff{doff}", With(tcp6, 14 + 40 + 12, (byte)(doff << 4)));
        }

        int plen = tcp6.Length - 54;
        foreach (int p in new[] { 0, 1, 19, 20, plen - 1, plen, plen + 1, 65535 })
        {
            yield return ($"ipv6-plen{p}", With16(tcp6, 18, p));
        }

        yield return ("ipv6-version4", With(tcp6, 14, 0x40));
        foreach (int len in new[] { 0, 1, 2, 3, 4, 255 })
        {
            yield return ($"ipv6-hbh-len{len}", With(hbh, 55, (byte)len));
            yield return ($"ipv6-ah-len{len}", With(ah, 55, (byte)len));
        }

        // The hop-by-hop header's next-header says TCP but its length runs past the payload.
        yield return ("ipv6-hbh-overrun-plen", With16(With(hbh, 55, 2), 18, 8 + 8 + 8));
        foreach (int len in new[] { 0, 1, 2, 3, 255 })
        {
            yield return ($"nd-ns-sll-len{len}", With(ns, 14 + 40 + 24 + 1, (byte)len));
            yield return ($"nd-ns-tll-len{len}", With(ns, 14 + 40 + 32 + 1, (byte)len));
        }

        byte[] mpls2 = Eth(0x8847, Mpls(16, 0, 255, false), Mpls(17, 0, 254, true), new byte[8]);
        yield return ("mpls2-first-bos", With(mpls2, 16, 0x01));
        yield return ("mpls2-no-bos-data-follows", With(mpls2, 20, 0x00));
        yield return ("udp-length-field-wrong", With16(udp4, 14 + 20 + 4, 3));
        yield return ("arp-op-0", Eth(0x0806, Arp(0, "1.2.3.4", "5.6.7.8")));
        yield return ("rarp-hrd-6", Eth(0x8035, Arp(3, "1.2.3.4", "5.6.7.8", hrd: 6)));
    }

    /// <summary>Protocols Open vSwitch extracts and FastPath does not (each one is on the test's allow-list).</summary>
    public static IEnumerable<(string Name, byte[] Frame)> Unsupported()
    {
        // NSH, MD type 1: base header, service path header, four context words.
        yield return ("nsh-md1", Eth(0x894f, [0x0f, 0xc6, 0x01, 0x01, 0x00, 0x00, 0x64, 0xff], new byte[16], new byte[20]));
    }

    /// <summary>Seeded random byte corruption and cuts of the base frames.</summary>
    public static IEnumerable<(string Name, byte[] Frame)> RandomCorruption(List<(string Name, byte[] Frame)> bases, int seed, int count)
    {
        var rng = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var (name, frame) = bases[rng.Next(bases.Count)];
            byte[] f = (byte[])frame.Clone();
            int flips = rng.Next(1, 5);
            for (int j = 0; j < flips; j++)
            {
                // Headers live in the first ~100 bytes; corrupt there mostly.
                int pos = rng.Next(12, Math.Min(f.Length, rng.Next(2) == 0 ? 64 : 128));
                f[pos] = rng.Next(4) == 0 ? (byte)rng.Next(256) : (byte)(f[pos] ^ (1 << rng.Next(8)));
            }

            if (rng.Next(4) == 0)
            {
                Array.Resize(ref f, rng.Next(14, f.Length + 1));
            }

            yield return ($"random{i}-{name}", f);
        }
    }

    private static byte[] Arp(ushort op, string spa, string tpa, ushort hrd = 1, ushort pro = 0x0800, byte hln = 6, byte pln = 4)
    {
        byte[] a = new byte[28];
        BinaryPrimitives.WriteUInt16BigEndian(a, hrd);
        BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(2), pro);
        a[4] = hln;
        a[5] = pln;
        BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(6), op);
        MacA.CopyTo(a, 8);
        System.Net.IPAddress.Parse(spa).GetAddressBytes().CopyTo(a, 14);
        Mac2.CopyTo(a, 18);
        System.Net.IPAddress.Parse(tpa).GetAddressBytes().CopyTo(a, 24);
        return a;
    }

    private static byte[] Igmp(byte type, byte code, string group)
    {
        byte[] g = new byte[8];
        g[0] = type;
        g[1] = code;
        System.Net.IPAddress.Parse(group).GetAddressBytes().CopyTo(g, 4);
        return g;
    }

    private static byte[] Mpls(uint label, int tc, byte ttl, bool bos)
    {
        byte[] m = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(m, (label << 12) | ((uint)tc << 9) | (bos ? 0x100u : 0) | ttl);
        return m;
    }

    private static byte[] ExtN(byte next, int lenUnits)
    {
        byte[] e = new byte[(lenUnits + 1) * 8];
        e[0] = next;
        e[1] = (byte)lenUnits;
        e[2] = 1; // PadN over the rest
        e[3] = (byte)(e.Length - 4);
        return e;
    }

    private static byte[] Routing(byte next, string address, byte segmentsLeft = 1)
    {
        byte[] r = new byte[24];
        r[0] = next;
        r[1] = 2;
        r[2] = 0;
        r[3] = segmentsLeft;
        System.Net.IPAddress.Parse(address).GetAddressBytes().CopyTo(r, 8);
        return r;
    }

    private static byte[] Ah(byte next) => [next, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, .. new byte[12]];

    private static byte[] Opt(byte type, byte[] mac) => [type, 1, .. mac];

    private static byte[] Pad(byte[] frame, int length)
    {
        byte[] f = new byte[length];
        frame.CopyTo(f, 0);
        return f;
    }

    private static byte[] With(byte[] frame, int offset, byte value)
    {
        byte[] f = (byte[])frame.Clone();
        f[offset] = value;
        return f;
    }

    private static byte[] With16(byte[] frame, int offset, int value)
    {
        byte[] f = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(offset), (ushort)value);
        return f;
    }
}

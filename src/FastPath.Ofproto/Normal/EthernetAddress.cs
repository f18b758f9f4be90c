using System.Buffers.Binary;

namespace FastPath.Ofproto.Normal;

/// <summary>
/// Ethernet addresses as 48-bit integers (the first byte on the wire is the most significant, as Open vSwitch's
/// <c>eth_addr_to_uint64</c>), and the address classes the NORMAL action treats specially.
/// </summary>
/// <remarks>An integer keeps the learning table's key a single word: no arrays, no allocation per packet.</remarks>
public static class EthernetAddress
{
    /// <summary>The broadcast address ff:ff:ff:ff:ff:ff.</summary>
    public const ulong Broadcast = 0xffff_ffff_ffffUL;

    /// <summary>All 48 bits of an address.</summary>
    public const ulong Mask = 0xffff_ffff_ffffUL;

    /// <summary>Reads the six bytes at the start of <paramref name="bytes"/> (network order, as in a flow key).</summary>
    /// <exception cref="ArgumentException">Fewer than six bytes.</exception>
    public static ulong Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 6)
        {
            throw new ArgumentException("an Ethernet address is 6 bytes", nameof(bytes));
        }

        return ((ulong)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]);
    }

    /// <summary>Writes <paramref name="address"/> as six bytes in network order.</summary>
    /// <exception cref="ArgumentException">Fewer than six bytes of room.</exception>
    public static void Write(ulong address, Span<byte> bytes)
    {
        if (bytes.Length < 6)
        {
            throw new ArgumentException("an Ethernet address is 6 bytes", nameof(bytes));
        }

        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)(address >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(bytes[2..], (uint)address);
    }

    /// <summary>Whether the group bit (the low bit of the first byte) is set: multicast, broadcast included.</summary>
    public static bool IsMulticast(ulong address) => (address & 0x0100_0000_0000UL) != 0;

    /// <summary>
    /// Whether a bridge must never forward frames to <paramref name="address"/>: Open vSwitch's
    /// <c>eth_addr_is_reserved</c> (the list ovs-vswitchd.conf.db(5) gives under other_config:forward-bpdu).
    /// </summary>
    /// <remarks>
    /// 01:80:c2:00:00:00-0f (802.1D STP, pause and the other IEEE link-local protocols), Extreme EDP and EAPS
    /// (00:e0:2b:00:00:00, :04, :06), Cisco ISL, CDP/VTP/DTP/PAgP, PVST+, STP Uplink Fast (01:00:0c:00:00:00,
    /// 01:00:0c:cc:cc:cc, :cd, 01:00:0c:cd:cd:cd) and Cisco CFM (01:00:0c:cc:cc:c0-c7).
    /// </remarks>
    public static bool IsReserved(ulong address)
    {
        if ((address & ~0xfUL) == 0x0180_c200_0000UL)
        {
            return true;
        }

        return address switch
        {
            0x00e0_2b00_0000UL or 0x00e0_2b00_0004UL or 0x00e0_2b00_0006UL => true,
            0x0100_0c00_0000UL or 0x0100_0ccc_ccccUL or 0x0100_0ccc_cccdUL or 0x0100_0ccd_cdcdUL => true,
            >= 0x0100_0ccc_ccc0UL and <= 0x0100_0ccc_ccc7UL => true,
            _ => false,
        };
    }

    /// <summary>Formats as Open vSwitch prints addresses: lower-case hex, colon-separated.</summary>
    public static string Format(ulong address) => string.Create(17, address, static (span, a) =>
    {
        const string Hex = "0123456789abcdef";
        for (int i = 0; i < 6; i++)
        {
            byte b = (byte)(a >> (40 - (8 * i)));
            span[3 * i] = Hex[b >> 4];
            span[(3 * i) + 1] = Hex[b & 0xf];
            if (i < 5)
            {
                span[(3 * i) + 2] = ':';
            }
        }
    });

    /// <summary>Parses "aa:bb:cc:dd:ee:ff" (hex, either case).</summary>
    /// <exception cref="FormatException">Not six colon-separated hex bytes.</exception>
    public static ulong Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(':');
        if (parts.Length != 6)
        {
            throw new FormatException($"'{text}' is not an Ethernet address (want six colon-separated hex bytes)");
        }

        ulong a = 0;
        foreach (string p in parts)
        {
            if (p.Length is < 1 or > 2 || !byte.TryParse(p, System.Globalization.NumberStyles.AllowHexSpecifier, null, out byte b))
            {
                throw new FormatException($"'{text}' is not an Ethernet address (bad byte '{p}')");
            }

            a = (a << 8) | b;
        }

        return a;
    }
}

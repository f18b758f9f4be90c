using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastPath.Datapath.Meters;
using FastPath.Packets;

namespace FastPath.Datapath.Actions;

/// <summary>
/// Runs an encoded action program (see <see cref="ActionProgram"/>) on one packet, rewriting it in
/// place and keeping the IPv4, TCP, UDP, ICMP, ICMPv6 and SCTP checksums valid after every rewrite.
/// </summary>
/// <remarks>
/// Hot path: no allocation, no locks, no virtual calls (the sink is a generic struct). It trusts the
/// packet's <see cref="Packet.L3Offset"/>, <see cref="Packet.L4Offset"/> and <see cref="Packet.VlanOffset"/>
/// as the parser set them and keeps them as a fresh parse would set them across push_vlan, pop_vlan,
/// push_mpls and pop_mpls (an MPLS packet has no L3 or L4 offset; a pop of the last label parses the
/// packet again), but still checks every
/// access against the packet length, so a stale offset makes an action a no-op, never a stray write.
/// Programs should be checked once with <see cref="ActionProgram.Validate"/>; the executor re-checks
/// only what it needs to stay in bounds and stops with <see cref="ExecStatus.InvalidProgram"/> otherwise.
/// </remarks>
public static class ActionExecutor
{
    private const int MplsLseLength = 4;
    private const uint MplsBos = 1u << 8;
    private const int EthHeaderLength = 14;
    private const int VlanTagLength = 4;
    private const int MacPairLength = 12;
    private const int ArpLength = 28;

    // ICMPv6 header (4), reserved or flags (4), target address (16).
    private const int NdOptionsOffset = 24;

    /// <summary>
    /// Executes <paramref name="program"/> on <paramref name="packet"/>. Outputs and userspace actions go
    /// to <paramref name="sink"/> under the ownership contract described on <see cref="IActionSink"/>.
    /// </summary>
    /// <returns>
    /// How execution ended, whether the sink took the frame (<see cref="ExecResult.Consumed"/>), and how
    /// many actions were skipped because their header was absent. On any result but a consumed one the
    /// caller still owns the frame.
    /// </returns>
    public static ExecResult Execute<TSink>(PacketPool pool, ref Packet packet, ReadOnlySpan<byte> program, ref TSink sink)
        where TSink : struct, IActionSink =>
        Execute(pool, ref packet, program, ref sink, null, 0);

    /// <summary>
    /// Executes <paramref name="program"/> on <paramref name="packet"/> as
    /// <see cref="Execute{TSink}(PacketPool, ref Packet, ReadOnlySpan{byte}, ref TSink)"/> does, running
    /// meter actions through <paramref name="meters"/> at time <paramref name="now"/> (in the table's clock
    /// ticks: the PMD's TSC). Without a table a meter action lets every packet through, as for a meter
    /// id that is not installed.
    /// </summary>
    /// <returns>As the other overload; <see cref="ExecStatus.MeterDropped"/> when a meter dropped the packet.</returns>
    public static ExecResult Execute<TSink>(PacketPool pool, ref Packet packet, ReadOnlySpan<byte> program, ref TSink sink, MeterTable? meters, ulong now)
        where TSink : struct, IActionSink
    {
        int outputs = 0;
        int upcalls = 0;
        int skipped = 0;
        Span<byte> data = pool.GetData(packet);
        int pos = 0;
        while (pos < program.Length)
        {
            ReadOnlySpan<byte> rest = program[pos..];
            if (rest.Length < ActionProgram.Alignment)
            {
                return new ExecResult(ExecStatus.InvalidProgram, false, outputs, upcalls, skipped);
            }

            int type = BinaryPrimitives.ReadUInt16LittleEndian(rest);
            int len = BinaryPrimitives.ReadUInt16LittleEndian(rest[2..]);
            if (len < ActionProgram.Alignment || (len & (ActionProgram.Alignment - 1)) != 0 || len > rest.Length)
            {
                return new ExecResult(ExecStatus.InvalidProgram, false, outputs, upcalls, skipped);
            }

            ReadOnlySpan<byte> action = rest[..len];
            pos += len;
            bool isLast = pos == program.Length;
            Outcome outcome;
            switch ((ActionType)type)
            {
                case ActionType.Output:
                    outputs++;
                    sink.Output(BinaryPrimitives.ReadUInt32LittleEndian(action[4..]), ref packet, isLast);
                    if (isLast)
                    {
                        return new ExecResult(ExecStatus.Completed, true, outputs, upcalls, skipped);
                    }

                    continue;
                case ActionType.Userspace:
                    if (len < 16)
                    {
                        return new ExecResult(ExecStatus.InvalidProgram, false, outputs, upcalls, skipped);
                    }

                    upcalls++;
                    sink.Userspace(BinaryPrimitives.ReadUInt64LittleEndian(action[8..]), ref packet);
                    continue;
                case ActionType.SetMasked:
                    outcome = SetField(data, in packet, action);
                    break;
                case ActionType.PushVlan:
                    outcome = PushVlan(pool, ref packet, action);
                    data = pool.GetData(packet);
                    break;
                case ActionType.PopVlan:
                    outcome = PopVlan(pool, ref packet);
                    data = pool.GetData(packet);
                    break;
                case ActionType.DecTtl:
                    outcome = DecTtl(data, in packet);
                    break;
                case ActionType.PushMpls:
                    outcome = PushMpls(pool, ref packet, action);
                    data = pool.GetData(packet);
                    break;
                case ActionType.PopMpls:
                    outcome = PopMpls(pool, ref packet, action);
                    data = pool.GetData(packet);
                    break;
                case ActionType.DecMplsTtl:
                    outcome = DecMplsTtl(data);
                    break;
                case ActionType.Meter:
                    // Open vSwitch meters the packet as it is at this point, pushed headers included.
                    if (meters is not null && !meters.Apply(BinaryPrimitives.ReadUInt32LittleEndian(action[4..]), packet.Length, now))
                    {
                        return new ExecResult(ExecStatus.MeterDropped, false, outputs, upcalls, skipped);
                    }

                    continue;
                default:
                    outcome = Outcome.Invalid;
                    break;
            }

            if (outcome != Outcome.Applied)
            {
                if (outcome == Outcome.Skipped)
                {
                    skipped++;
                    continue;
                }

                ExecStatus status = outcome switch
                {
                    Outcome.TtlExpired => ExecStatus.TtlExpired,
                    Outcome.NoHeadroom => ExecStatus.NoHeadroom,
                    _ => ExecStatus.InvalidProgram,
                };
                return new ExecResult(status, false, outputs, upcalls, skipped);
            }
        }

        return new ExecResult(ExecStatus.Completed, false, outputs, upcalls, skipped);
    }

    /// <summary>
    /// Executes <paramref name="program"/> on every packet of <paramref name="packets"/> (one flow's packets of a
    /// batch) action by action, as Open vSwitch's odp_execute_actions runs a batch: each action is decoded once
    /// and applied to every packet still running. <paramref name="results"/>[i] is what
    /// <see cref="Execute{TSink}(PacketPool, ref Packet, ReadOnlySpan{byte}, ref TSink, MeterTable?, ulong)"/> returns
    /// for <paramref name="packets"/>[i], and each packet goes through the same rewrites and sink calls as there; only
    /// the order of the sink calls differs (all packets' first output, then all packets' second one).
    /// </summary>
    /// <remarks>
    /// Packets whose result is not <see cref="ExecResult.Consumed"/> still belong to the caller, with their handle in
    /// <paramref name="packets"/> updated (a push or pop moves the packet's start).
    /// </remarks>
    public static void ExecuteBatch<TSink>(PacketPool pool, Span<Packet> packets, ReadOnlySpan<byte> program, ref TSink sink, MeterTable? meters, ulong now, Span<ExecResult> results)
        where TSink : struct, IActionSink
    {
        if (results.Length < packets.Length)
        {
            throw new ArgumentException("fewer results than packets", nameof(results));
        }

        // The running set is a 32-bit mask, so a longer span goes in chunks of a PMD batch.
        for (int start = 0; start < packets.Length; start += PacketBatch.Capacity)
        {
            int n = Math.Min(PacketBatch.Capacity, packets.Length - start);
            ExecuteChunk(pool, packets.Slice(start, n), program, ref sink, meters, now, results.Slice(start, n));
        }
    }

    private static void ExecuteChunk<TSink>(PacketPool pool, Span<Packet> packets, ReadOnlySpan<byte> program, ref TSink sink, MeterTable? meters, ulong now, Span<ExecResult> results)
        where TSink : struct, IActionSink
    {
        int n = packets.Length;
        // Fixed-size locals, not stackalloc: a method with a stackalloc cannot be tiered up by on-stack replacement,
        // so the runtime compiles it once without the profile that tier 1 would use.
        ChunkCounts outputCounts = default, upcallCounts = default, skippedCounts = default;
        Span<ushort> outputs = outputCounts;
        Span<ushort> upcalls = upcallCounts;
        Span<ushort> skipped = skippedCounts;
        uint running = n == 32 ? uint.MaxValue : (1u << n) - 1;
        int pos = 0;
        while (pos < program.Length && running != 0)
        {
            ReadOnlySpan<byte> rest = program[pos..];
            int type = rest.Length >= ActionProgram.Alignment ? BinaryPrimitives.ReadUInt16LittleEndian(rest) : -1;
            int len = rest.Length >= ActionProgram.Alignment ? BinaryPrimitives.ReadUInt16LittleEndian(rest[2..]) : 0;
            if (len < ActionProgram.Alignment || (len & (ActionProgram.Alignment - 1)) != 0 || len > rest.Length)
            {
                End(results, ref running, running, ExecStatus.InvalidProgram, outputs, upcalls, skipped);
                return;
            }

            ReadOnlySpan<byte> action = rest[..len];
            pos += len;
            bool isLast = pos == program.Length;
            switch ((ActionType)type)
            {
                case ActionType.Output:
                    uint port = BinaryPrimitives.ReadUInt32LittleEndian(action[4..]);
                    for (uint m = running; m != 0; m &= m - 1)
                    {
                        int i = BitOperations.TrailingZeroCount(m);
                        outputs[i]++;
                        sink.Output(port, ref packets[i], isLast);
                    }

                    if (isLast)
                    {
                        for (uint m = running; m != 0; m &= m - 1)
                        {
                            int i = BitOperations.TrailingZeroCount(m);
                            results[i] = new ExecResult(ExecStatus.Completed, true, outputs[i], upcalls[i], skipped[i]);
                        }

                        return;
                    }

                    continue;
                case ActionType.Userspace:
                    if (len < 16)
                    {
                        End(results, ref running, running, ExecStatus.InvalidProgram, outputs, upcalls, skipped);
                        return;
                    }

                    ulong cookie = BinaryPrimitives.ReadUInt64LittleEndian(action[8..]);
                    for (uint m = running; m != 0; m &= m - 1)
                    {
                        int i = BitOperations.TrailingZeroCount(m);
                        upcalls[i]++;
                        sink.Userspace(cookie, ref packets[i]);
                    }

                    continue;
                case ActionType.Meter:
                    if (meters is not null)
                    {
                        uint meterId = BinaryPrimitives.ReadUInt32LittleEndian(action[4..]);
                        for (uint m = running; m != 0; m &= m - 1)
                        {
                            int i = BitOperations.TrailingZeroCount(m);
                            if (!meters.Apply(meterId, packets[i].Length, now))
                            {
                                End(results, ref running, 1u << i, ExecStatus.MeterDropped, outputs, upcalls, skipped);
                            }
                        }
                    }

                    continue;
                case ActionType.SetMasked:
                    if (!DecodeSet(action, out ActionField field, out ReadOnlySpan<byte> v, out ReadOnlySpan<byte> mask))
                    {
                        End(results, ref running, running, ExecStatus.InvalidProgram, outputs, upcalls, skipped);
                        return;
                    }

                    // The fields forwarding rewrites most get a loop of their own, so the field is switched on once per
                    // group and the rewrite is inlined; the rest go through SetField packet by packet.
                    switch (field)
                    {
                        case ActionField.EthDst:
                        case ActionField.EthSrc:
                            SetMacs(pool, packets, field == ActionField.EthDst ? 0 : 6, v, mask, running, skipped);
                            break;
                        case ActionField.Ipv4Src:
                        case ActionField.Ipv4Dst:
                            int offset = field == ActionField.Ipv4Src ? 12 : 16;
                            uint value = BinaryPrimitives.ReadUInt32BigEndian(v), bits = BinaryPrimitives.ReadUInt32BigEndian(mask);
                            if (IsDecTtl(program, pos))
                            {
                                // A rewrite then dec_ttl (what a routed flow does) finds the header once and
                                // updates its checksum once, as one set(ipv4(src,ttl)) would.
                                pos += DecTtlLength;
                                for (uint m = running; m != 0; m &= m - 1)
                                {
                                    int i = BitOperations.TrailingZeroCount(m);
                                    ref Packet p = ref packets[i];
                                    Settle(SetIpv4AddressThenDecTtl(pool.GetData(p), in p, offset, value, bits, ref skipped[i]),
                                        i, results, ref running, outputs, upcalls, skipped);
                                }

                                break;
                            }

                            SetIpv4Addresses(pool, packets, offset, value, bits, running, skipped);
                            break;
                        default:
                            for (uint m = running; m != 0; m &= m - 1)
                            {
                                int i = BitOperations.TrailingZeroCount(m);
                                ref Packet p = ref packets[i];
                                Settle(SetField(pool.GetData(p), in p, field, v, mask), i, results, ref running, outputs, upcalls, skipped);
                            }

                            break;
                    }

                    continue;
                case ActionType.DecTtl:
                    for (uint m = running; m != 0; m &= m - 1)
                    {
                        int i = BitOperations.TrailingZeroCount(m);
                        ref Packet p = ref packets[i];
                        Span<byte> d = pool.GetData(p);

                        Settle(DecTtl(d, in p), i, results, ref running, outputs, upcalls, skipped);
                    }

                    continue;
                case ActionType.PushVlan:
                case ActionType.PopVlan:
                case ActionType.PushMpls:
                case ActionType.PopMpls:
                case ActionType.DecMplsTtl:
                    for (uint m = running; m != 0; m &= m - 1)
                    {
                        int i = BitOperations.TrailingZeroCount(m);
                        Settle(HeaderAction(pool, ref packets[i], (ActionType)type, action), i, results, ref running, outputs, upcalls, skipped);
                    }

                    continue;
                default:
                    End(results, ref running, running, ExecStatus.InvalidProgram, outputs, upcalls, skipped);
                    return;
            }
        }

        End(results, ref running, running, ExecStatus.Completed, outputs, upcalls, skipped);
    }

    private const int DecTtlLength = 8;

    /// <summary>Whether the action at <paramref name="pos"/> of <paramref name="program"/> is a well-formed dec_ttl.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsDecTtl(ReadOnlySpan<byte> program, int pos) =>
        pos + DecTtlLength <= program.Length
        && BinaryPrimitives.ReadUInt32LittleEndian(program[pos..]) == ((uint)DecTtlLength << 16 | (uint)ActionType.DecTtl);

    /// <summary>
    /// A masked write of the IPv4 address at <paramref name="offset"/>, then a dec_ttl, with the effect of the two
    /// actions one after the other (a packet that is not IPv4 counts the write as skipped in
    /// <paramref name="skipped"/> and goes through the plain dec_ttl).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Outcome SetIpv4AddressThenDecTtl(Span<byte> d, in Packet p, int offset, uint value, uint mask, ref ushort skipped)
    {
        int l3 = Ipv4Header(d, in p);
        if (l3 < 0)
        {
            skipped++;
            return DecTtl(d, in p);
        }

        // Ipv4Header proved the 20 bytes at l3 are inside d: the fields are read in place.
        ref byte h = ref Unsafe.Add(ref MemoryMarshal.GetReference(d), l3);
        byte ttl = Unsafe.Add(ref h, 8);
        if (ttl <= 1)
        {
            SetIpv4Address(d, l3, p.L4Offset, offset, value, mask);
            return Outcome.TtlExpired;
        }

        ref byte csum = ref Unsafe.Add(ref h, 10);
        ushort sum = ReadBigEndian16(ref csum);
        RewriteIpv4Address(d, ref h, p.L4Offset, offset, value, mask, ref sum);

        // TTL is the high byte of the word it shares with the protocol.
        ref byte ttlField = ref Unsafe.Add(ref h, 8);
        ushort ttlWord = ReadBigEndian16(ref ttlField);
        ttlField = (byte)(ttl - 1);
        WriteBigEndian16(ref csum, Checksum.Update16(sum, ttlWord, (ushort)(ttlWord - 0x100)));
        return Outcome.Applied;
    }

    /// <summary>A masked write of the MAC at <paramref name="offset"/> (0 destination, 6 source) in every running packet.</summary>
    private static void SetMacs(PacketPool pool, Span<Packet> packets, int offset, ReadOnlySpan<byte> value, ReadOnlySpan<byte> mask, uint running, Span<ushort> skipped)
    {
        uint m4 = MemoryMarshal.Read<uint>(mask);
        ushort m2 = MemoryMarshal.Read<ushort>(mask[4..]);
        uint v4 = MemoryMarshal.Read<uint>(value) & m4;
        ushort v2 = (ushort)(MemoryMarshal.Read<ushort>(value[4..]) & m2);
        for (uint m = running; m != 0; m &= m - 1)
        {
            int i = BitOperations.TrailingZeroCount(m);
            Span<byte> d = pool.GetData(packets[i]);
            if (d.Length < EthHeaderLength)
            {
                skipped[i]++;
                continue;
            }

            ref byte f = ref Unsafe.Add(ref MemoryMarshal.GetReference(d), offset);
            Unsafe.WriteUnaligned(ref f, (Unsafe.ReadUnaligned<uint>(ref f) & ~m4) | v4);
            ref byte f2 = ref Unsafe.Add(ref f, 4);
            Unsafe.WriteUnaligned(ref f2, (ushort)((Unsafe.ReadUnaligned<ushort>(ref f2) & ~m2) | v2));
        }
    }

    /// <summary>A masked write of the IPv4 address at <paramref name="offset"/> in the header of every running IPv4 packet.</summary>
    private static void SetIpv4Addresses(PacketPool pool, Span<Packet> packets, int offset, uint value, uint mask, uint running, Span<ushort> skipped)
    {
        for (uint m = running; m != 0; m &= m - 1)
        {
            int i = BitOperations.TrailingZeroCount(m);
            ref Packet p = ref packets[i];
            Span<byte> d = pool.GetData(p);
            int l3 = Ipv4Header(d, in p);
            if (l3 < 0)
            {
                skipped[i]++;
                continue;
            }

            SetIpv4Address(d, l3, p.L4Offset, offset, value, mask);
        }
    }

    /// <summary>The push, pop and MPLS TTL actions, which may move the packet's start.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Outcome HeaderAction(PacketPool pool, ref Packet packet, ActionType type, ReadOnlySpan<byte> action) => type switch
    {
        ActionType.PushVlan => PushVlan(pool, ref packet, action),
        ActionType.PopVlan => PopVlan(pool, ref packet),
        ActionType.PushMpls => PushMpls(pool, ref packet, action),
        ActionType.PopMpls => PopMpls(pool, ref packet, action),
        _ => DecMplsTtl(pool.GetData(packet)),
    };

    /// <summary>Counts a skipped action for packet <paramref name="i"/>, or ends it when the action stopped it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Settle(Outcome outcome, int i, Span<ExecResult> results, ref uint running, Span<ushort> outputs, Span<ushort> upcalls, Span<ushort> skipped)
    {
        if (outcome == Outcome.Applied)
        {
            return;
        }

        if (outcome == Outcome.Skipped)
        {
            skipped[i]++;
            return;
        }

        ExecStatus status = outcome switch
        {
            Outcome.TtlExpired => ExecStatus.TtlExpired,
            Outcome.NoHeadroom => ExecStatus.NoHeadroom,
            _ => ExecStatus.InvalidProgram,
        };
        End(results, ref running, 1u << i, status, outputs, upcalls, skipped);
    }

    /// <summary>Ends the packets of <paramref name="which"/> (a subset of <paramref name="running"/>) with <paramref name="status"/>, the frame still the caller's.</summary>
    private static void End(Span<ExecResult> results, ref uint running, uint which, ExecStatus status, Span<ushort> outputs, Span<ushort> upcalls, Span<ushort> skipped)
    {
        for (uint m = which & running; m != 0; m &= m - 1)
        {
            int i = BitOperations.TrailingZeroCount(m);
            results[i] = new ExecResult(status, false, outputs[i], upcalls[i], skipped[i]);
        }

        running &= ~which;
    }

    /// <summary>A per-packet counter for each packet of a chunk.</summary>
    [InlineArray(PacketBatch.Capacity)]
    private struct ChunkCounts
    {
        private ushort element;
    }

    private enum Outcome : byte
    {
        Applied,
        Skipped,
        Invalid,
        TtlExpired,
        NoHeadroom,
    }

    private static Outcome SetField(Span<byte> d, in Packet p, ReadOnlySpan<byte> action) =>
        DecodeSet(action, out ActionField field, out ReadOnlySpan<byte> v, out ReadOnlySpan<byte> m) ? SetField(d, in p, field, v, m) : Outcome.Invalid;

    /// <summary>The field, value and mask of a set-field action; false if its size does not fit the field or the action.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool DecodeSet(ReadOnlySpan<byte> action, out ActionField field, out ReadOnlySpan<byte> v, out ReadOnlySpan<byte> m)
    {
        field = (ActionField)action[4];
        int size = action[5];
        if (size == 0 || size != ActionProgram.FieldSize(field) || ActionProgram.SetValueOffset + (2 * size) > action.Length)
        {
            v = m = default;
            return false;
        }

        v = action.Slice(ActionProgram.SetValueOffset, size);
        m = action.Slice(ActionProgram.SetValueOffset + size, size);
        return true;
    }

    private static Outcome SetField(Span<byte> d, in Packet p, ActionField field, ReadOnlySpan<byte> v, ReadOnlySpan<byte> m)
    {
        int l3;
        switch (field)
        {
            case ActionField.EthDst:
            case ActionField.EthSrc:
                if (d.Length < EthHeaderLength)
                {
                    return Outcome.Skipped;
                }

                ApplyMasked(d.Slice(field == ActionField.EthDst ? 0 : 6, 6), v, m);
                return Outcome.Applied;

            case ActionField.VlanTci:
                int tag = p.VlanOffset;
                if (tag == Packet.NoOffset || tag + VlanTagLength > d.Length)
                {
                    return Outcome.Skipped;
                }

                ApplyMasked(d.Slice(tag + 2, 2), v, m);
                return Outcome.Applied;

            case ActionField.Ipv4Src:
            case ActionField.Ipv4Dst:
                if ((l3 = Ipv4Header(d, in p)) < 0)
                {
                    return Outcome.Skipped;
                }

                SetIpv4Address(d, l3, p.L4Offset, field == ActionField.Ipv4Src ? 12 : 16,
                    BinaryPrimitives.ReadUInt32BigEndian(v), BinaryPrimitives.ReadUInt32BigEndian(m));
                return Outcome.Applied;

            case ActionField.Ipv4Tos:
                if ((l3 = Ipv4Header(d, in p)) < 0)
                {
                    return Outcome.Skipped;
                }

                // TOS is the low byte of the header's first 16-bit word.
                RewriteIpv4Word(d, l3, 0, v[0], m[0]);
                return Outcome.Applied;

            case ActionField.Ipv4Ttl:
                if ((l3 = Ipv4Header(d, in p)) < 0)
                {
                    return Outcome.Skipped;
                }

                // TTL is the high byte of the word it shares with the protocol.
                RewriteIpv4Word(d, l3, 8, (ushort)(v[0] << 8), (ushort)(m[0] << 8));
                return Outcome.Applied;

            case ActionField.Ipv6Src:
            case ActionField.Ipv6Dst:
                if ((l3 = Ipv6Header(d, in p)) < 0)
                {
                    return Outcome.Skipped;
                }

                SetIpv6Address(d, l3, p.L4Offset, field == ActionField.Ipv6Dst, v, m);
                return Outcome.Applied;

            case ActionField.Ipv6Tc:
                if ((l3 = Ipv6Header(d, in p)) < 0)
                {
                    return Outcome.Skipped;
                }

                // Version(4) | traffic class(8) | flow label(20); IPv6 has no header checksum.
                RewriteBe32(d, l3, (uint)v[0] << 20, (uint)m[0] << 20);
                return Outcome.Applied;

            case ActionField.Ipv6Label:
                if ((l3 = Ipv6Header(d, in p)) < 0)
                {
                    return Outcome.Skipped;
                }

                uint labelMask = BinaryPrimitives.ReadUInt32BigEndian(m) & 0xfffff;
                RewriteBe32(d, l3, BinaryPrimitives.ReadUInt32BigEndian(v), labelMask);
                return Outcome.Applied;

            case ActionField.Ipv6HopLimit:
                if ((l3 = Ipv6Header(d, in p)) < 0)
                {
                    return Outcome.Skipped;
                }

                d[l3 + 7] = (byte)((d[l3 + 7] & ~m[0]) | (v[0] & m[0]));
                return Outcome.Applied;

            case ActionField.TcpSrc:
            case ActionField.TcpDst:
                return SetPort(d, in p, IpProtocols.Tcp, field == ActionField.TcpSrc ? 0 : 2, v, m);

            case ActionField.UdpSrc:
            case ActionField.UdpDst:
                return SetPort(d, in p, IpProtocols.Udp, field == ActionField.UdpSrc ? 0 : 2, v, m);

            case ActionField.SctpSrc:
            case ActionField.SctpDst:
                return SetPort(d, in p, IpProtocols.Sctp, field == ActionField.SctpSrc ? 0 : 2, v, m);

            case ActionField.MplsLse:
                int top = MplsTop(d);
                if (top < 0)
                {
                    return Outcome.Skipped;
                }

                RewriteBe32(d, top, BinaryPrimitives.ReadUInt32BigEndian(v), BinaryPrimitives.ReadUInt32BigEndian(m));
                return Outcome.Applied;

            default:
                return SetControlField(d, in p, field, v, m);
        }
    }

    // ARP, ICMP and ND rewrites: rare in forwarding, so kept out of SetField to leave its code as small as the
    // common L2-L4 rewrites need.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Outcome SetControlField(Span<byte> d, in Packet p, ActionField field, ReadOnlySpan<byte> v, ReadOnlySpan<byte> m)
    {
        int l3;
        switch (field)
        {
            case ActionField.ArpOp:
            case ActionField.ArpSha:
            case ActionField.ArpSpa:
            case ActionField.ArpTha:
            case ActionField.ArpTpa:
                if ((l3 = ArpHeader(d, in p)) < 0)
                {
                    return Outcome.Skipped;
                }

                // ARP carries no checksum.
                ApplyMasked(d.Slice(l3 + ArpFieldOffset(field), v.Length), v, m);
                return Outcome.Applied;

            case ActionField.IcmpType:
            case ActionField.IcmpCode:
            case ActionField.Icmpv6Type:
            case ActionField.Icmpv6Code:
                return SetIcmpTypeCode(d, in p, field, v[0], m[0]);

            case ActionField.NdTarget:
            case ActionField.NdSll:
            case ActionField.NdTll:
                return SetNeighborDiscovery(d, in p, field, v, m);

            default:
                return Outcome.Invalid;
        }
    }

    /// <summary>Offset of a whole IPv4 header (checksum field included), or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Ipv4Header(ReadOnlySpan<byte> d, in Packet p)
    {
        int l3 = p.L3Offset;

        if (l3 == Packet.NoOffset || l3 < 2 || l3 + 20 > d.Length)
        {
            return -1;
        }

        // The Ethernet type right before L3 tells IPv4 from ARP, which also gets an L3 offset. Both reads are inside
        // the bounds just checked.
        ref byte h = ref Unsafe.Add(ref MemoryMarshal.GetReference(d), l3);
        return ReadBigEndian16(ref Unsafe.Subtract(ref h, 2)) == EtherTypes.Ipv4 && (h >> 4) == 4 ? l3 : -1;
    }

    /// <summary>Offset of a whole Ethernet/IPv4 ARP or RARP header, or -1.</summary>
    private static int ArpHeader(ReadOnlySpan<byte> d, in Packet p)
    {
        int l3 = p.L3Offset;
        if (l3 == Packet.NoOffset || l3 < 2 || l3 + ArpLength > d.Length)
        {
            return -1;
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(d[(l3 - 2)..]);

        // The same hardware and protocol the parser requires before it reads the fields into the key.
        return (type == EtherTypes.Arp || type == EtherTypes.Rarp)
            && BinaryPrimitives.ReadUInt32BigEndian(d[l3..]) == 0x00010800 && d[l3 + 4] == 6 && d[l3 + 5] == 4
            ? l3
            : -1;
    }

    private static int ArpFieldOffset(ActionField field) => field switch
    {
        ActionField.ArpOp => 6,
        ActionField.ArpSha => 8,
        ActionField.ArpSpa => 14,
        ActionField.ArpTha => 18,
        _ => 24,
    };

    /// <summary>
    /// Offset of the whole ICMP (<paramref name="v6"/> false: in IPv4) or ICMPv6 (in IPv6) header's first
    /// 4 bytes, type, code and checksum; -1 if the packet has none.
    /// </summary>
    private static int IcmpHeader(ReadOnlySpan<byte> d, in Packet p, bool v6)
    {
        int l4 = p.L4Offset;
        if (l4 == Packet.NoOffset || l4 + 4 > d.Length)
        {
            return -1;
        }

        int l3;
        if (!v6)
        {
            return (l3 = Ipv4Header(d, in p)) >= 0 && d[l3 + 9] == IpProtocols.Icmp ? l4 : -1;
        }

        return (l3 = Ipv6Header(d, in p)) >= 0 && Ipv6L4Protocol(d, l3, l4, out _, out _) == IpProtocols.IcmpV6 ? l4 : -1;
    }

    private static Outcome SetIcmpTypeCode(Span<byte> d, in Packet p, ActionField field, byte value, byte mask)
    {
        bool v6 = field is ActionField.Icmpv6Type or ActionField.Icmpv6Code;
        int l4 = IcmpHeader(d, in p, v6);
        if (l4 < 0)
        {
            return Outcome.Skipped;
        }

        // Type and code share the first 16-bit word, covered by the checksum (ICMPv6's pseudo-header
        // does not change), so one incremental update keeps it right in both versions.
        bool type = field is ActionField.IcmpType or ActionField.Icmpv6Type;
        ushort old = BinaryPrimitives.ReadUInt16BigEndian(d[l4..]);
        ushort wordValue = type ? (ushort)(value << 8) : value;
        ushort wordMask = type ? (ushort)(mask << 8) : mask;
        ushort now = (ushort)((old & ~wordMask) | (wordValue & wordMask));
        if (now != old)
        {
            BinaryPrimitives.WriteUInt16BigEndian(d[l4..], now);
            Span<byte> csum = d[(l4 + 2)..];
            BinaryPrimitives.WriteUInt16BigEndian(csum, Checksum.Update16(BinaryPrimitives.ReadUInt16BigEndian(csum), old, now));
        }

        return Outcome.Applied;
    }

    /// <summary>
    /// Neighbor solicitation or advertisement fields, as Open vSwitch's set(nd(...)): the target address,
    /// or the first link-layer address option when it is of the kind asked for (never one added); the
    /// ICMPv6 checksum follows.
    /// </summary>
    private static Outcome SetNeighborDiscovery(Span<byte> d, in Packet p, ActionField field, ReadOnlySpan<byte> v, ReadOnlySpan<byte> m)
    {
        int l4 = IcmpHeader(d, in p, v6: true);

        // Type 135 or 136 with code 0 and the whole target, the parser's test for ND fields in the key.
        if (l4 < 0 || l4 + NdOptionsOffset > d.Length || (d[l4] != 135 && d[l4] != 136) || d[l4 + 1] != 0)
        {
            return Outcome.Skipped;
        }

        Span<byte> target;
        if (field == ActionField.NdTarget)
        {
            target = d.Slice(l4 + 8, 16);
        }
        else
        {
            // Options end with the IPv6 payload (Ethernet padding is not options) or the frame.
            int l3 = p.L3Offset;
            int end = Math.Min(d.Length, l3 + 40 + BinaryPrimitives.ReadUInt16BigEndian(d[(l3 + 4)..]));
            int opt = FirstLinkLayerOption(d[..end], l4 + NdOptionsOffset);
            if (opt < 0 || d[opt] != (field == ActionField.NdSll ? 1 : 2))
            {
                return Outcome.Skipped;
            }

            target = d.Slice(opt + 2, 6);
        }

        ushort oldSum = Checksum.Sum(target);
        bool changed = false;
        for (int i = 0; i < target.Length; i++)
        {
            byte now = (byte)((target[i] & ~m[i]) | (v[i] & m[i]));
            changed |= now != target[i];
            target[i] = now;
        }

        // Both the target (at 8) and an option's address (at 8k + 2) start on an even offset of the
        // ICMPv6 message, so their sums line up with the checksum's 16-bit words.
        if (changed)
        {
            Span<byte> csum = d[(l4 + 2)..];
            BinaryPrimitives.WriteUInt16BigEndian(csum, Checksum.Update16(BinaryPrimitives.ReadUInt16BigEndian(csum), oldSum, Checksum.Sum(target)));
        }

        return Outcome.Applied;
    }

    /// <summary>
    /// Offset of the first source (1) or target (2) link-layer address option of 8 bytes in the options
    /// from <paramref name="opt"/>, or -1; a zero-length or overrunning option ends the walk.
    /// </summary>
    private static int FirstLinkLayerOption(ReadOnlySpan<byte> d, int opt)
    {
        // An option is at least 8 bytes, so the walk takes at most d.Length / 8 steps.
        while (d.Length - opt >= 8)
        {
            byte type = d[opt];
            int len = d[opt + 1] * 8;
            if (len == 0 || len > d.Length - opt)
            {
                return -1;
            }

            if (len == 8 && (type == 1 || type == 2))
            {
                return opt;
            }

            opt += len;
        }

        return -1;
    }

    /// <summary>Offset of a whole fixed IPv6 header, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Ipv6Header(ReadOnlySpan<byte> d, in Packet p)
    {
        int l3 = p.L3Offset;
        if (l3 == Packet.NoOffset || l3 < 2 || l3 + 40 > d.Length
            || BinaryPrimitives.ReadUInt16BigEndian(d[(l3 - 2)..]) != EtherTypes.Ipv6 || (d[l3] >> 4) != 6)
        {
            return -1;
        }

        return l3;
    }

    private static void ApplyMasked(Span<byte> field, ReadOnlySpan<byte> value, ReadOnlySpan<byte> mask)
    {
        // A MAC (6 bytes) or a TCI (2) in word operations; the byte loop is for the rest (ARP and ND fields).
        if (field.Length == 6 && value.Length == 6 && mask.Length == 6)
        {
            ref byte f = ref MemoryMarshal.GetReference(field);
            uint m4 = MemoryMarshal.Read<uint>(mask);
            ushort m2 = MemoryMarshal.Read<ushort>(mask[4..]);
            uint f4 = Unsafe.ReadUnaligned<uint>(ref f);
            ushort f2 = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref f, 4));
            Unsafe.WriteUnaligned(ref f, (f4 & ~m4) | (MemoryMarshal.Read<uint>(value) & m4));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref f, 4), (ushort)((f2 & ~m2) | (MemoryMarshal.Read<ushort>(value[4..]) & m2)));
            return;
        }

        if (field.Length == 2 && value.Length == 2 && mask.Length == 2)
        {
            ref byte f = ref MemoryMarshal.GetReference(field);
            ushort m2 = MemoryMarshal.Read<ushort>(mask);
            ushort f2 = Unsafe.ReadUnaligned<ushort>(ref f);
            Unsafe.WriteUnaligned(ref f, (ushort)((f2 & ~m2) | (MemoryMarshal.Read<ushort>(value) & m2)));
            return;
        }

        for (int i = 0; i < field.Length; i++)
        {
            field[i] = (byte)((field[i] & ~mask[i]) | (value[i] & mask[i]));
        }
    }

    private static void RewriteBe32(Span<byte> d, int offset, uint value, uint mask)
    {
        Span<byte> f = d[offset..];
        uint old = BinaryPrimitives.ReadUInt32BigEndian(f);
        BinaryPrimitives.WriteUInt32BigEndian(f, (old & ~mask) | (value & mask));
    }

    // Rewrites one 16-bit word of the IPv4 header and patches the header checksum for it.
    private static void RewriteIpv4Word(Span<byte> d, int l3, int offset, ushort value, ushort mask)
    {
        ushort old = BinaryPrimitives.ReadUInt16BigEndian(d[(l3 + offset)..]);
        ushort now = (ushort)((old & ~mask) | (value & mask));
        if (now == old)
        {
            return;
        }

        BinaryPrimitives.WriteUInt16BigEndian(d[(l3 + offset)..], now);
        Span<byte> csum = d[(l3 + 10)..];
        BinaryPrimitives.WriteUInt16BigEndian(csum, Checksum.Update16(BinaryPrimitives.ReadUInt16BigEndian(csum), old, now));
    }

    /// <summary>
    /// A masked write of the IPv4 address at <paramref name="offset"/> (12 source, 16 destination) of the header at
    /// <paramref name="l3"/>, which <see cref="Ipv4Header"/> found whole, with the IP and TCP/UDP checksums updated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetIpv4Address(Span<byte> d, int l3, int l4, int offset, uint value, uint mask)
    {
        // Ipv4Header proved the 20 bytes at l3 are inside d: the address, checksum and protocol are read in place.
        ref byte h = ref Unsafe.Add(ref MemoryMarshal.GetReference(d), l3);
        ref byte csum = ref Unsafe.Add(ref h, 10);
        ushort sum = ReadBigEndian16(ref csum);
        if (RewriteIpv4Address(d, ref h, l4, offset, value, mask, ref sum))
        {
            WriteBigEndian16(ref csum, sum);
        }
    }

    /// <summary>
    /// The address write of <see cref="SetIpv4Address"/> on the header at <paramref name="h"/>: the TCP/UDP checksum is
    /// patched in the packet, the IP header's is updated in <paramref name="sum"/> for the caller to write (once, with
    /// whatever else it changes in the header). False if the address was already the one asked for.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool RewriteIpv4Address(Span<byte> d, ref byte h, int l4, int offset, uint value, uint mask, ref ushort sum)
    {
        ref byte f = ref Unsafe.Add(ref h, offset);
        uint old = ReadBigEndian32(ref f);
        uint now = (old & ~mask) | (value & mask);
        if (now == old)
        {
            return false;
        }

        WriteBigEndian32(ref f, now);
        sum = Checksum.Update32(sum, old, now);

        // Later fragments carry no L4 header (the parser leaves L4Offset unset), so only the IP header changes.
        if (l4 != Packet.NoOffset)
        {
            // TCP and UDP cover the addresses through the pseudo-header; ICMP and SCTP do not.
            UpdateL4ChecksumForIpv4Address(d, l4, Unsafe.Add(ref h, 9), old, now);
        }

        return true;
    }

    /// <summary>
    /// <see cref="UpdateL4Checksum"/> for an IPv4 address change, with TCP and UDP (the protocols forwarding rewrites
    /// most) handled in line and the rest by the call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateL4ChecksumForIpv4Address(Span<byte> d, int l4, byte proto, uint old, uint now)
    {
        if (proto is IpProtocols.Tcp or IpProtocols.Udp)
        {
            UpdateTcpUdpChecksum(d, l4, proto == IpProtocols.Udp, Fold32(old), Fold32(now));
        }
        else
        {
            UpdateL4Checksum(d, l4, proto, false, Fold32(old), Fold32(now));
        }
    }

    /// <summary>The TCP or UDP part of <see cref="UpdateL4Checksum"/>, small enough to inline where rewrites are hot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateTcpUdpChecksum(Span<byte> d, int l4, bool udp, ushort oldSum, ushort newSum)
    {
        int at = udp ? 6 : 16;
        if ((uint)l4 + (uint)at + 2 > (uint)d.Length)
        {
            return;
        }

        ref byte field = ref Unsafe.Add(ref MemoryMarshal.GetReference(d), l4 + at);
        ushort old = ReadBigEndian16(ref field);

        // UDP's 0 means "no checksum" (IPv4, and RFC 6935 tunnels over IPv6): keep it that way, and never write 0
        // for a computed one.
        if (udp && old == 0)
        {
            return;
        }

        ushort now = Checksum.Update16(old, oldSum, newSum);
        WriteBigEndian16(ref field, udp && now == 0 ? (ushort)0xffff : now);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadBigEndian32(ref byte b) => BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteBigEndian32(ref byte b, uint value) => Unsafe.WriteUnaligned(ref b, BinaryPrimitives.ReverseEndianness(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort ReadBigEndian16(ref byte b) => BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteBigEndian16(ref byte b, ushort value) => Unsafe.WriteUnaligned(ref b, BinaryPrimitives.ReverseEndianness(value));

    private static void SetIpv6Address(Span<byte> d, int l3, int l4, bool isDestination, ReadOnlySpan<byte> value, ReadOnlySpan<byte> mask)
    {
        Span<byte> addr = d.Slice(l3 + (isDestination ? 24 : 8), 16);
        ref byte a = ref MemoryMarshal.GetReference(addr);
        ulong o0 = Unsafe.ReadUnaligned<ulong>(ref a);
        ulong o1 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref a, 8));
        ulong m0 = MemoryMarshal.Read<ulong>(mask);
        ulong m1 = MemoryMarshal.Read<ulong>(mask[8..]);
        ulong n0 = (o0 & ~m0) | (MemoryMarshal.Read<ulong>(value) & m0);
        ulong n1 = (o1 & ~m1) | (MemoryMarshal.Read<ulong>(value[8..]) & m1);
        if (n0 == o0 && n1 == o1)
        {
            return;
        }

        ushort oldSum = Checksum.Sum(addr);
        Unsafe.WriteUnaligned(ref a, n0);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref a, 8), n1);
        if (l4 == Packet.NoOffset)
        {
            return;
        }

        int proto = Ipv6L4Protocol(d, l3, l4, out bool routed, out _);

        // With a routing header still to be processed, the pseudo-header holds the final
        // destination from that header, not this field, so the L4 checksum does not change.
        if (proto >= 0 && !(isDestination && routed))
        {
            UpdateL4Checksum(d, l4, (byte)proto, true, oldSum, Checksum.Sum(addr));
        }
    }

    /// <summary>
    /// Patches the TCP, UDP or (IPv6 only) ICMPv6 checksum at <paramref name="l4"/> for a covered change
    /// whose words summed to <paramref name="oldSum"/> and now sum to <paramref name="newSum"/>.
    /// </summary>
    private static void UpdateL4Checksum(Span<byte> d, int l4, byte proto, bool ipv6, ushort oldSum, ushort newSum)
    {
        Span<byte> csum;
        switch (proto)
        {
            case IpProtocols.Tcp:
            case IpProtocols.Udp:
                UpdateTcpUdpChecksum(d, l4, proto == IpProtocols.Udp, oldSum, newSum);
                return;
            case IpProtocols.IcmpV6:
                if (!ipv6 || l4 + 4 > d.Length)
                {
                    return;
                }

                csum = d[(l4 + 2)..];
                BinaryPrimitives.WriteUInt16BigEndian(csum, Checksum.Update16(BinaryPrimitives.ReadUInt16BigEndian(csum), oldSum, newSum));
                return;
        }
    }

    /// <summary>
    /// The L4 protocol of an IPv6 packet whose L4 header starts at <paramref name="l4"/>, found by walking
    /// the extension headers between with the parser's own walk; -1 if the chain does not land exactly
    /// on <paramref name="l4"/> or the packet is a later fragment.
    /// </summary>
    private static int Ipv6L4Protocol(ReadOnlySpan<byte> d, int l3, int l4, out bool routed, out bool fragmented)
    {
        // Cut at the end of the payload as the parser does, so Ethernet padding is never read as headers.
        int end = Math.Min(d.Length, l3 + 40 + BinaryPrimitives.ReadUInt16BigEndian(d[(l3 + 4)..]));
        bool whole = Ipv6ExtensionHeaders.TryWalk(d[..end], l3 + 40, d[l3 + 6], out Ipv6ExtensionChain chain);
        routed = chain.RoutingSegmentsLeft;
        fragmented = chain.Frag != FragFlags.None;
        return whole && chain.Offset == l4 && (chain.Frag & FragFlags.Later) == 0 ? chain.Protocol : -1;
    }

    private static Outcome SetPort(Span<byte> d, in Packet p, byte proto, int offset, ReadOnlySpan<byte> v, ReadOnlySpan<byte> m)
    {
        int l4 = p.L4Offset;
        if (l4 == Packet.NoOffset)
        {
            return Outcome.Skipped;
        }

        int actual;
        bool fragmented;
        int ipEnd;
        int l3;
        if ((l3 = Ipv4Header(d, in p)) >= 0)
        {
            actual = d[l3 + 9];

            // A first fragment (MF set); later ones never get here as they have no L4 offset.
            fragmented = (d[l3 + 6] & 0x20) != 0;
            ipEnd = l3 + BinaryPrimitives.ReadUInt16BigEndian(d[(l3 + 2)..]);
        }
        else if ((l3 = Ipv6Header(d, in p)) >= 0)
        {
            actual = Ipv6L4Protocol(d, l3, l4, out _, out fragmented);
            ipEnd = l3 + 40 + BinaryPrimitives.ReadUInt16BigEndian(d[(l3 + 4)..]);
        }
        else
        {
            return Outcome.Skipped;
        }

        int headerNeeded = proto switch
        {
            IpProtocols.Tcp => 18,
            IpProtocols.Udp => 8,
            _ => 12,
        };
        if (actual != proto || l4 + headerNeeded > d.Length)
        {
            return Outcome.Skipped;
        }

        // SCTP's CRC covers the whole SCTP packet and cannot be patched incrementally without its
        // length, so it is recomputed; that needs every byte, hence no fragments and no truncation.
        // The IP length, not the frame, bounds it: Ethernet padding is not part of the packet.
        if (proto == IpProtocols.Sctp && (fragmented || ipEnd > d.Length || ipEnd < l4 + 12))
        {
            return Outcome.Skipped;
        }

        Span<byte> port = d[(l4 + offset)..];
        ushort old = BinaryPrimitives.ReadUInt16BigEndian(port);
        ushort mask = BinaryPrimitives.ReadUInt16BigEndian(m);
        ushort now = (ushort)((old & ~mask) | (BinaryPrimitives.ReadUInt16BigEndian(v) & mask));
        if (now == old)
        {
            return Outcome.Applied;
        }

        if (proto == IpProtocols.Sctp)
        {
            // As Open vSwitch does: the CRC changes by what the rewrite changes, so a packet that arrived with a
            // wrong CRC leaves with one just as wrong (the receiver still drops it) rather than being made valid.
            Span<byte> sctp = d[l4..ipEnd];
            Span<byte> crc = sctp.Slice(8, 4);

            // SCTP sends the CRC32c least significant byte first (RFC 4960 appendix B).
            uint received = BinaryPrimitives.ReadUInt32LittleEndian(crc);
            crc.Clear();
            uint before = Checksum.Crc32c(sctp);
            BinaryPrimitives.WriteUInt16BigEndian(port, now);
            uint after = Checksum.Crc32c(sctp);
            BinaryPrimitives.WriteUInt32LittleEndian(crc, received ^ before ^ after);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(port, now);
            UpdateL4Checksum(d, l4, proto, false, old, now);
        }

        return Outcome.Applied;
    }

    private static Outcome DecTtl(Span<byte> d, in Packet p)
    {
        int l3;
        if ((l3 = Ipv4Header(d, in p)) >= 0)
        {
            byte ttl = d[l3 + 8];
            if (ttl <= 1)
            {
                return Outcome.TtlExpired;
            }

            RewriteIpv4Word(d, l3, 8, (ushort)((ttl - 1) << 8), 0xff00);
            return Outcome.Applied;
        }

        if ((l3 = Ipv6Header(d, in p)) >= 0)
        {
            if (d[l3 + 7] <= 1)
            {
                return Outcome.TtlExpired;
            }

            d[l3 + 7]--;
            return Outcome.Applied;
        }

        return Outcome.Skipped;
    }

    private static Outcome PushVlan(PacketPool pool, ref Packet packet, ReadOnlySpan<byte> action)
    {
        if (packet.Length < EthHeaderLength)
        {
            return Outcome.Skipped;
        }

        if (!pool.TryPush(ref packet, VlanTagLength))
        {
            return Outcome.NoHeadroom;
        }

        // The MACs move 4 bytes forward into the headroom; the tag goes where they were, in front
        // of the old outermost type, so nothing after the MACs moves.
        // Two loads before the stores (the ranges overlap) and no call: a memmove costs more than the move.
        Span<byte> d = pool.GetData(packet);
        ref byte start = ref MemoryMarshal.GetReference(d[..EthHeaderLength]);
        ulong macs = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, VlanTagLength));
        uint macsTail = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, VlanTagLength + 8));
        Unsafe.WriteUnaligned(ref start, macs);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, 8), macsTail);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, MacPairLength), MemoryMarshal.Read<uint>(action[4..]));
        if (packet.L3Offset != Packet.NoOffset)
        {
            packet.L3Offset += VlanTagLength;
        }

        if (packet.L4Offset != Packet.NoOffset)
        {
            packet.L4Offset += VlanTagLength;
        }

        packet.VlanOffset = MacPairLength;
        return Outcome.Applied;
    }

    private static Outcome PopVlan(PacketPool pool, ref Packet packet)
    {
        Span<byte> d = pool.GetData(packet);
        if (packet.VlanOffset != MacPairLength || d.Length < EthHeaderLength + VlanTagLength)
        {
            return Outcome.Skipped;
        }

        ushort tpid = BinaryPrimitives.ReadUInt16BigEndian(d[MacPairLength..]);
        if (tpid != EtherTypes.Vlan8021Q && tpid != EtherTypes.Vlan8021AD)
        {
            return Outcome.Skipped;
        }

        d[..MacPairLength].CopyTo(d[VlanTagLength..]);
        pool.TryPull(ref packet, VlanTagLength);
        packet.L3Offset = ShiftDown(packet.L3Offset);
        packet.L4Offset = ShiftDown(packet.L4Offset);

        // An inner tag becomes the outermost one; the parser's rule: a tag needs its TCI and the next type.
        d = pool.GetData(packet);
        ushort next = BinaryPrimitives.ReadUInt16BigEndian(d[MacPairLength..]);
        packet.VlanOffset = (next == EtherTypes.Vlan8021Q || next == EtherTypes.Vlan8021AD) && d.Length >= MacPairLength + VlanTagLength + 2
            ? (ushort)MacPairLength
            : Packet.NoOffset;
        return Outcome.Applied;
    }

    /// <summary>
    /// Offset of the Ethernet type that follows the VLAN tags (at most two, as the parser reads them),
    /// or -1 if the frame is too short to hold it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int InnerTypeOffset(ReadOnlySpan<byte> d)
    {
        if (d.Length < EthHeaderLength)
        {
            return -1;
        }

        int ofs = MacPairLength;
        for (int tag = 0; tag < 2; tag++)
        {
            ushort t = BinaryPrimitives.ReadUInt16BigEndian(d[ofs..]);
            if (t != EtherTypes.Vlan8021Q && t != EtherTypes.Vlan8021AD)
            {
                break;
            }

            if (ofs + VlanTagLength + 2 > d.Length)
            {
                return -1;
            }

            ofs += VlanTagLength;
        }

        return ofs;
    }

    /// <summary>Offset of the outermost whole MPLS label stack entry, or -1 if the packet carries none.</summary>
    private static int MplsTop(ReadOnlySpan<byte> d)
    {
        int t = InnerTypeOffset(d);
        if (t < 0 || !EtherTypes.IsMpls(BinaryPrimitives.ReadUInt16BigEndian(d[t..])) || t + 2 + MplsLseLength > d.Length)
        {
            return -1;
        }

        return t + 2;
    }

    private static Outcome DecMplsTtl(Span<byte> d)
    {
        int top = MplsTop(d);
        if (top < 0)
        {
            return Outcome.Skipped;
        }

        // As Open vSwitch's dec_mpls_ttl: a TTL of 1 or 0 is not forwarded but reported (invalid TTL).
        if (d[top + 3] <= 1)
        {
            return Outcome.TtlExpired;
        }

        d[top + 3]--;
        return Outcome.Applied;
    }

    private static Outcome PushMpls(PacketPool pool, ref Packet packet, ReadOnlySpan<byte> action)
    {
        Span<byte> d = pool.GetData(packet);
        int t = InnerTypeOffset(d);

        // An 802.3 frame has no Ethernet type to replace; its LLC header would end up behind the label.
        if (t < 0 || BinaryPrimitives.ReadUInt16BigEndian(d[t..]) < EtherTypes.Min)
        {
            return Outcome.Skipped;
        }

        uint lse;
        if (action[10] != ActionProgram.PushMplsFromPacket)
        {
            lse = BinaryPrimitives.ReadUInt32BigEndian(action[4..]);
        }
        else if (!LseFromPacket(d, in packet, t, out lse))
        {
            return Outcome.Skipped;
        }

        if (!pool.TryPush(ref packet, MplsLseLength))
        {
            return Outcome.NoHeadroom;
        }

        // Everything up to and including the Ethernet type moves 4 bytes into the headroom; the entry
        // goes where the type was, right in front of the old L3 header or label stack, which stay put.
        int entry = t + 2;
        d = pool.GetData(packet);
        d.Slice(MplsLseLength, entry).CopyTo(d);
        action.Slice(8, 2).CopyTo(d[t..]);
        BinaryPrimitives.WriteUInt32BigEndian(d[entry..], lse);

        // The parser does not look behind a label stack (nor does Open vSwitch), so neither do the IP
        // and L4 actions after a push: the offsets become what a fresh parse of the packet gives.
        packet.L3Offset = Packet.NoOffset;
        packet.L4Offset = Packet.NoOffset;
        return Outcome.Applied;
    }

    /// <summary>The entry an OpenFlow push_mpls makes in Open vSwitch (<see cref="ActionProgram.PushMplsFromPacket"/>); false if the top entry is cut.</summary>
    private static bool LseFromPacket(ReadOnlySpan<byte> d, in Packet p, int typeOffset, out uint lse)
    {
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(d[typeOffset..]);
        if (EtherTypes.IsMpls(type))
        {
            lse = 0;
            if (typeOffset + 2 + MplsLseLength > d.Length)
            {
                return false;
            }

            lse = BinaryPrimitives.ReadUInt32BigEndian(d[(typeOffset + 2)..]) & ~MplsBos;
            return true;
        }

        uint label = type == EtherTypes.Ipv6 ? 2u : 0u;
        int ttl = 0;
        int tos = 0;
        int l3;
        if ((l3 = Ipv4Header(d, in p)) >= 0)
        {
            ttl = d[l3 + 8];
            tos = d[l3 + 1];
        }
        else if ((l3 = Ipv6Header(d, in p)) >= 0)
        {
            ttl = d[l3 + 7];
            tos = (BinaryPrimitives.ReadUInt16BigEndian(d[l3..]) >> 4) & 0xff;
        }

        // TC takes the DSCP's low 3 bits, as Open vSwitch's set_mpls_lse_values masks it.
        uint tc = (uint)(tos >> 2) & 7;
        lse = (label << 12) | (tc << 9) | MplsBos | (uint)(ttl == 0 ? 64 : ttl);
        return true;
    }

    private static Outcome PopMpls(PacketPool pool, ref Packet packet, ReadOnlySpan<byte> action)
    {
        Span<byte> d = pool.GetData(packet);
        int top = MplsTop(d);
        if (top < 0)
        {
            return Outcome.Skipped;
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(action[4..]);
        BinaryPrimitives.WriteUInt16BigEndian(d[(top - 2)..], type);
        d[..top].CopyTo(d[MplsLseLength..]);
        pool.TryPull(ref packet, MplsLseLength);
        if (EtherTypes.IsMpls(type))
        {
            // Still MPLS: nothing behind the stack is parsed, as after a push.
            packet.L3Offset = Packet.NoOffset;
            packet.L4Offset = Packet.NoOffset;
            return Outcome.Applied;
        }

        // The last label is gone and the payload is now, say, IPv4 or IPv6 with offsets the parser never
        // computed: parse again so later set-field and dec_ttl actions see what a fresh receive would.
        FlowExtractor.Extract(pool.GetData(packet), ref packet, out _);
        return Outcome.Applied;
    }

    // An offset that pointed into the removed tag or the MACs would be stale, so it is dropped.
    private static ushort ShiftDown(ushort offset) =>
        offset != Packet.NoOffset && offset >= EthHeaderLength + VlanTagLength ? (ushort)(offset - VlanTagLength) : Packet.NoOffset;

    // One's-complement sum of a 32-bit value's two 16-bit halves.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort Fold32(uint value) => Checksum.Add((ushort)(value >> 16), (ushort)value);
}

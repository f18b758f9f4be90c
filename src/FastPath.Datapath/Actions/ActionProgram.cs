using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using FastPath.Packets;

namespace FastPath.Datapath.Actions;

/// <summary>The binary layout of an action program, and its validation.</summary>
/// <remarks>
/// A program is a sequence of actions, each <c>[u16 type][u16 length][payload]</c> where length counts
/// the 4-byte header and is a multiple of 8, so a program can be copied into unmanaged memory next to a
/// megaflow and every action stays 8-byte aligned. Header fields and scalar arguments (port, cookie)
/// are little-endian; packet bytes (set-field values and masks, push_vlan TPID and TCI) are in network
/// order exactly as they will appear on the wire. Payloads by type:
/// <list type="bullet">
/// <item><see cref="ActionType.Output"/>, length 8: u32 port.</item>
/// <item><see cref="ActionType.Userspace"/>, length 16: 4 pad bytes, u64 cookie.</item>
/// <item><see cref="ActionType.SetMasked"/>: u8 field, u8 size, 2 pad bytes, value[size], mask[size], zero padding to 8.</item>
/// <item><see cref="ActionType.PushVlan"/>, length 8: TPID (0x8100 or 0x88a8), TCI.</item>
/// <item><see cref="ActionType.PopVlan"/>, <see cref="ActionType.DecTtl"/> and <see cref="ActionType.DecMplsTtl"/>, length 8: 4 pad bytes.</item>
/// <item><see cref="ActionType.PushMpls"/>, length 16: label stack entry (4 bytes), MPLS Ethernet type (0x8847
/// or 0x8848), u8 flags (<see cref="PushMplsFromPacket"/>, in which case the entry bytes are zero), 5 pad bytes.</item>
/// <item><see cref="ActionType.PopMpls"/>, length 8: the Ethernet type to restore (at least 0x0600), 2 pad bytes.</item>
/// <item><see cref="ActionType.Meter"/>, length 8: u32 meter id, below <see cref="Meters.MeterTable.MaxMeters"/>.</item>
/// </list>
/// </remarks>
public static class ActionProgram
{
    /// <summary>Size of an action header (type and length).</summary>
    public const int HeaderSize = 4;

    /// <summary>Every action's length is a multiple of this.</summary>
    public const int Alignment = 8;

    /// <summary>Offset of the value bytes within a set-field action.</summary>
    public const int SetValueOffset = 8;

    // Indexed by ActionField; 0 marks an unknown field.
    /// <summary>
    /// Flag of <see cref="ActionType.PushMpls"/>: build the entry from the packet as an OpenFlow push_mpls
    /// does in Open vSwitch, so the megaflow need not match the IP TTL and TOS. Onto an MPLS packet: a
    /// copy of the outermost entry with BOS cleared. Otherwise: label 0 (2 for IPv6, the explicit null
    /// labels), TC from the low 3 bits of the IP DSCP, TTL from the IP TTL or hop limit (64 when that is
    /// 0 or the packet is not IP), BOS set.
    /// </summary>
    public const byte PushMplsFromPacket = 1;

    // Indexed by ActionField; 0 marks an unknown field.
    private static ReadOnlySpan<byte> FieldSizes => [0, 6, 6, 2, 4, 4, 1, 1, 16, 16, 1, 4, 1, 2, 2, 2, 2, 2, 2, 4, 2, 4, 4, 6, 6, 1, 1, 1, 1, 16, 6, 6];

    /// <summary>Size in bytes of <paramref name="field"/>'s value (and mask), or 0 for an unknown field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FieldSize(ActionField field)
    {
        ReadOnlySpan<byte> sizes = FieldSizes;
        return (uint)field < (uint)sizes.Length ? sizes[(int)field] : 0;
    }

    /// <summary>Encoded length of a set-field action for a field of <paramref name="fieldSize"/> bytes.</summary>
    public static int SetMaskedLength(int fieldSize) => AlignUp(SetValueOffset + (2 * fieldSize));

    /// <summary>Encoded length of an action of <paramref name="type"/>, or 0 if it depends on the field or the type is unknown.</summary>
    public static int FixedLength(ActionType type) => type switch
    {
        ActionType.Output or ActionType.PushVlan or ActionType.PopVlan or ActionType.DecTtl
            or ActionType.PopMpls or ActionType.DecMplsTtl or ActionType.Meter => 8,
        ActionType.Userspace or ActionType.PushMpls => 16,
        _ => 0,
    };

    /// <summary>Rounds <paramref name="length"/> up to <see cref="Alignment"/>.</summary>
    public static int AlignUp(int length) => (length + Alignment - 1) & ~(Alignment - 1);

    /// <summary>Whether <paramref name="program"/> is exactly one output action, and to which port.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryGetSingleOutput(ReadOnlySpan<byte> program, out uint port)
    {
        if (program.Length == FixedLength(ActionType.Output)
            && BinaryPrimitives.ReadUInt16LittleEndian(program) == (ushort)ActionType.Output
            && BinaryPrimitives.ReadUInt16LittleEndian(program[2..]) == program.Length)
        {
            port = BinaryPrimitives.ReadUInt32LittleEndian(program[4..]);
            return true;
        }

        port = 0;
        return false;
    }

    /// <summary>
    /// Checks that <paramref name="program"/> is well formed: whole headers, lengths that are multiples
    /// of 8 and fit, known types and fields, the exact size each needs, set values within their masks,
    /// VLAN TPIDs the parser recognises, MPLS Ethernet types for push_mpls, a real Ethernet type for
    /// pop_mpls and meter ids the meter table can hold. Run it on every program before it is installed.
    /// </summary>
    public static ProgramValidation Validate(ReadOnlySpan<byte> program)
    {
        int pos = 0;
        while (pos < program.Length)
        {
            int remaining = program.Length - pos;
            if (remaining < Alignment)
            {
                return ProgramValidation.Invalid(pos, $"truncated action: {remaining} bytes left, an action takes at least {Alignment}");
            }

            var type = (ActionType)BinaryPrimitives.ReadUInt16LittleEndian(program[pos..]);
            int len = BinaryPrimitives.ReadUInt16LittleEndian(program[(pos + 2)..]);
            if (len < Alignment || len % Alignment != 0)
            {
                return ProgramValidation.Invalid(pos, $"action length {len} is not a positive multiple of {Alignment}");
            }

            if (len > remaining)
            {
                return ProgramValidation.Invalid(pos, $"truncated action: length {len} but only {remaining} bytes left");
            }

            ReadOnlySpan<byte> action = program.Slice(pos, len);
            string? error = type switch
            {
                ActionType.Output or ActionType.PopVlan or ActionType.DecTtl or ActionType.Userspace or ActionType.DecMplsTtl =>
                    len == FixedLength(type) ? null : $"{type} must be {FixedLength(type)} bytes, not {len}",
                ActionType.PushVlan => CheckPushVlan(action),
                ActionType.PushMpls => CheckPushMpls(action),
                ActionType.PopMpls => CheckPopMpls(action),
                ActionType.SetMasked => CheckSetMasked(action),
                ActionType.Meter => CheckMeter(action),
                _ => $"unknown action type {(ushort)type}",
            };
            if (error is not null)
            {
                return ProgramValidation.Invalid(pos, error);
            }

            pos += len;
        }

        return ProgramValidation.Valid;
    }

    private static string? CheckPushVlan(ReadOnlySpan<byte> action)
    {
        if (action.Length != 8)
        {
            return $"PushVlan must be 8 bytes, not {action.Length}";
        }

        ushort tpid = BinaryPrimitives.ReadUInt16BigEndian(action[4..]);
        return tpid is 0x8100 or 0x88a8 ? null : $"push_vlan TPID 0x{tpid:x4} is neither 0x8100 nor 0x88a8";
    }

    private static string? CheckPushMpls(ReadOnlySpan<byte> action)
    {
        if (action.Length != 16)
        {
            return $"PushMpls must be 16 bytes, not {action.Length}";
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(action[8..]);
        byte flags = action[10];
        if (!EtherTypes.IsMpls(type))
        {
            return $"push_mpls Ethernet type 0x{type:x4} is neither 0x8847 nor 0x8848";
        }

        if ((flags & ~PushMplsFromPacket) != 0)
        {
            return $"push_mpls has unknown flags 0x{flags:x2}";
        }

        return flags == PushMplsFromPacket && BinaryPrimitives.ReadUInt32BigEndian(action[4..]) != 0
            ? "push_mpls takes its entry from the packet but also carries one"
            : null;
    }

    private static string? CheckPopMpls(ReadOnlySpan<byte> action)
    {
        if (action.Length != 8)
        {
            return $"PopMpls must be 8 bytes, not {action.Length}";
        }

        // Below 0x0600 the field is an 802.3 length: the frame would stop saying what it carries.
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(action[4..]);
        return type >= 0x0600 ? null : $"pop_mpls Ethernet type 0x{type:x4} is an 802.3 length, not a type";
    }

    private static string? CheckMeter(ReadOnlySpan<byte> action)
    {
        if (action.Length != 8)
        {
            return $"Meter must be 8 bytes, not {action.Length}";
        }

        uint id = BinaryPrimitives.ReadUInt32LittleEndian(action[4..]);
        return id < Meters.MeterTable.MaxMeters ? null : $"meter id {id} is not below {Meters.MeterTable.MaxMeters}";
    }

    private static string? CheckSetMasked(ReadOnlySpan<byte> action)
    {
        var field = (ActionField)action[4];
        int size = FieldSize(field);
        if (size == 0)
        {
            return $"unknown set field {(byte)field}";
        }

        if (action[5] != size)
        {
            return $"set field {field} has size {action[5]}, expected {size}";
        }

        if (action.Length != SetMaskedLength(size))
        {
            return $"set field {field} must be {SetMaskedLength(size)} bytes, not {action.Length}";
        }

        ReadOnlySpan<byte> value = action.Slice(SetValueOffset, size);
        ReadOnlySpan<byte> mask = action.Slice(SetValueOffset + size, size);
        for (int i = 0; i < size; i++)
        {
            if ((value[i] & ~mask[i]) != 0)
            {
                return $"set field {field} value has bits outside its mask";
            }
        }

        return null;
    }
}

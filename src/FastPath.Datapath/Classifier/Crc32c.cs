using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using FastPath.Packets;

namespace FastPath.Datapath.Classifier;

/// <summary>
/// CRC32C (Castagnoli) steps over 64-bit words, the hash of the flow caches: one instruction per word
/// where the CPU has it (SSE4.2 <c>crc32</c>, ARMv8 <c>crc32cx</c>), a table otherwise.
/// </summary>
/// <remarks>
/// Only the raw CRC update is computed (no initial or final inversion): callers chain words and use
/// the result as a hash, not as a checksum. Setting the environment variable
/// <c>FASTPATH_CRC32C_SOFTWARE=1</c> before start forces the table path, so the test suite can be run
/// both ways on one machine; the flag is read once so the JIT can fold the choice away.
/// </remarks>
public static class Crc32c
{
    private static readonly bool UseX64 = Sse42.X64.IsSupported && !SoftwareForced();
    private static readonly bool UseArm64 = Crc32.Arm64.IsSupported && !SoftwareForced();

    /// <summary>Whether <see cref="Append"/> uses a CPU instruction rather than the table.</summary>
    public static bool IsHardwareAccelerated => UseX64 || UseArm64;

    /// <summary>Folds the eight bytes of <paramref name="data"/> (little-endian order) into <paramref name="crc"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Append(uint crc, ulong data)
    {
        if (UseX64)
        {
            return (uint)Sse42.X64.Crc32(crc, data);
        }

        if (UseArm64)
        {
            return Crc32.Arm64.ComputeCrc32C(crc, data);
        }

        return AppendSoftware(crc, data);
    }

    /// <summary>The table-driven step, bit-identical to the instruction; visible to the tests so both can be compared.</summary>
    internal static uint AppendSoftware(uint crc, ulong data)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, data);
        return Checksum.Crc32cSoftware(crc, bytes);
    }

    private static bool SoftwareForced() => Environment.GetEnvironmentVariable("FASTPATH_CRC32C_SOFTWARE") == "1";
}

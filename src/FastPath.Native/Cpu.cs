using System.Runtime.InteropServices;

namespace FastPath.Native;

/// <summary>CPU pinning and cycle counting through the native shim.</summary>
public static class Cpu
{
    private static readonly Lazy<ulong> Hz = new(() => NativeShim.TscHz(50));

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; throws with the OS reason on failure.</summary>
    public static void PinCurrentThread(int cpu)
    {
        EnsureAbi();
        int rc = NativeShim.PinCurrentThread(cpu);
        if (rc != 0)
        {
            throw new InvalidOperationException($"cannot pin thread to CPU {cpu}: {Marshal.GetPInvokeErrorMessage(-rc)}");
        }
    }

    /// <summary>The CPU the calling thread runs on right now.</summary>
    public static int CurrentCpu()
    {
        EnsureAbi();
        return NativeShim.CurrentCpu();
    }

    /// <summary>The time-stamp counter, for busy/idle cycle accounting.</summary>
    public static ulong ReadTsc() => NativeShim.Rdtsc();

    /// <summary>Measured TSC frequency in Hz (sampled once per process).</summary>
    public static ulong TscHz => Hz.Value;

    /// <summary>Throws when the loaded shim was built for another ABI version.</summary>
    public static void EnsureAbi()
    {
        int v = NativeShim.AbiVersion();
        if (v != NativeShim.ExpectedAbiVersion)
        {
            throw new InvalidOperationException($"libfastpath_shim ABI {v}, expected {NativeShim.ExpectedAbiVersion}: rebuild the shim (scripts/setup.sh)");
        }
    }
}

using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastPath.Native;

/// <summary>Raw bindings to libfastpath_shim.so; callers use the safe wrappers in this assembly.</summary>
internal static partial class NativeShim
{
    internal const string Library = "fastpath_shim";

    /// <summary>Must match FP_SHIM_ABI_VERSION in fastpath_shim.h.</summary>
    internal const int ExpectedAbiVersion = 1;

    static NativeShim()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeShim).Assembly, Resolve);
    }

    [LibraryImport(Library, EntryPoint = "fp_shim_abi_version")]
    [SuppressGCTransition]
    internal static partial int AbiVersion();

    [LibraryImport(Library, EntryPoint = "fp_pin_current_thread")]
    internal static partial int PinCurrentThread(int cpu);

    [LibraryImport(Library, EntryPoint = "fp_current_cpu")]
    [SuppressGCTransition]
    internal static partial int CurrentCpu();

    [LibraryImport(Library, EntryPoint = "fp_rdtsc")]
    [SuppressGCTransition]
    internal static partial ulong Rdtsc();

    [LibraryImport(Library, EntryPoint = "fp_tsc_hz")]
    internal static partial ulong TscHz(int sampleMs);

    // Looks next to the assembly first (the build copies the shim there), then in the CMake build
    // directory of a source checkout, then the system search path.
    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library)
        {
            return 0;
        }

        foreach (string candidate in Candidates(assembly))
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out nint handle))
            {
                return handle;
            }
        }

        return NativeLibrary.TryLoad("libfastpath_shim.so", assembly, path, out nint h) ? h : 0;
    }

    private static IEnumerable<string> Candidates(Assembly assembly)
    {
        string dir = Path.GetDirectoryName(assembly.Location) is { Length: > 0 } d ? d : AppContext.BaseDirectory;
        yield return Path.Combine(dir, "libfastpath_shim.so");
        yield return Path.Combine(AppContext.BaseDirectory, "libfastpath_shim.so");
        for (DirectoryInfo? up = new(dir); up != null; up = up.Parent)
        {
            string built = Path.Combine(up.FullName, "build", "native", "libfastpath_shim.so");
            if (File.Exists(built))
            {
                yield return built;
                yield break;
            }
        }
    }
}

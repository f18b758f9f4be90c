using System.Globalization;

namespace FastPath.Daemon.Switch;

/// <summary>Open vSwitch's <c>pmd-cpu-mask</c>: a hexadecimal CPU mask (optionally 0x-prefixed) naming the cores PMD threads run on.</summary>
public static class PmdCpuMask
{
    /// <summary>
    /// The cores of <paramref name="mask"/> that exist on this machine, lowest first; with no mask (or none of its
    /// cores present) one PMD on the highest-numbered core, which leaves core 0 to the system as OVS users expect.
    /// </summary>
    /// <exception cref="FormatException">The mask is not hexadecimal.</exception>
    public static IReadOnlyList<int> Cores(string? mask, int processorCount)
    {
        if (string.IsNullOrWhiteSpace(mask))
        {
            return [processorCount - 1];
        }

        string hex = mask.Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[2..];
        }

        if (hex.Length == 0 || !hex.All(Uri.IsHexDigit))
        {
            throw new FormatException($"pmd-cpu-mask '{mask}' is not a hexadecimal CPU mask");
        }

        var cores = new List<int>();
        for (int i = 0; i < hex.Length; i++)
        {
            int nibble = int.Parse(hex[hex.Length - 1 - i].ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            for (int b = 0; b < 4; b++)
            {
                int core = (i * 4) + b;
                if ((nibble & (1 << b)) != 0 && core < processorCount)
                {
                    cores.Add(core);
                }
            }
        }

        return cores.Count > 0 ? cores : [processorCount - 1];
    }
}

using System.Diagnostics;

namespace FastPath.OpenFlow.Tests.Wire;

/// <summary>Runs Debian's <c>ovs-ofctl ofp-print</c> on encoded bytes: Open vSwitch's own decoder is the oracle for the codec.</summary>
internal static class OfpPrint
{
    /// <summary>What <c>ovs-ofctl ofp-print HEX</c> prints for <paramref name="message"/> (stdout and stderr, trimmed).</summary>
    public static string Print(byte[] message, int verbosity = 0)
    {
        var psi = new ProcessStartInfo("ovs-ofctl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("ofp-print");
        psi.ArgumentList.Add(Convert.ToHexString(message));
        if (verbosity > 0)
        {
            psi.ArgumentList.Add(verbosity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ovs-ofctl (install openvswitch-common: scripts/setup.sh)");
        Task<string> err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(20_000))
        {
            p.Kill();
            throw new TimeoutException("ovs-ofctl ofp-print did not finish");
        }

        return (stdout + err.Result).Trim();
    }
}

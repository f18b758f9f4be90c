using System.Globalization;
using System.Text;

namespace FastPath.Datapath.Pmd;

/// <summary>
/// Prints PMD counters in the layout of Open vSwitch 3.1's <c>dpif-netdev/pmd-stats-show</c>. FastPath has no
/// recirculation, hardware offload (phwol), optimized miniflow extraction (mfex) or signature-match cache (smc):
/// those lines are there, as scripts expect them, and say 0.
/// </summary>
public static class PmdStatsFormatter
{
    /// <summary>Formats one PMD's counters; <paramref name="coreId"/> -1 prints as an unpinned thread.</summary>
    public static string Format(int coreId, in PmdStatsSnapshot s)
    {
        long cycles = s.BusyCycles + s.IdleCycles;
        var sb = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        sb.Append(c, $"pmd thread numa_id 0 core_id {(coreId >= 0 ? coreId.ToString(c) : "unpinned")}:\n");
        sb.Append(c, $"  packets received: {s.Packets}\n");
        sb.Append(c, $"  packet recirculations: 0\n");
        sb.Append(c, $"  avg. datapath passes per packet: {(s.Packets == 0 ? 0 : 1):F2}\n");
        sb.Append(c, $"  phwol hits: 0\n");
        sb.Append(c, $"  mfex opt hits: 0\n");
        sb.Append(c, $"  simple match hits: {s.SimpleMatchHits}\n");
        sb.Append(c, $"  emc hits: {s.EmcHits}\n");
        sb.Append(c, $"  smc hits: 0\n");
        sb.Append(c, $"  megaflow hits: {s.MegaflowHits}\n");
        sb.Append(c, $"  avg. subtable lookups per megaflow hit: {s.AvgSubtableLookupsPerHit:F2}\n");
        sb.Append(c, $"  miss with success upcall: {s.Upcalls}\n");
        sb.Append(c, $"  miss with failed upcall: {s.LostUpcalls}\n");
        sb.Append(c, $"  avg. packets per output batch: {s.AvgPacketsPerOutputBatch:F2}\n");
        sb.Append(c, $"  idle cycles: {s.IdleCycles} ({Percent(s.IdleCycles, cycles)})\n");
        sb.Append(c, $"  processing cycles: {s.BusyCycles} ({Percent(s.BusyCycles, cycles)})\n");
        if (s.Packets > 0)
        {
            sb.Append(c, $"  avg cycles per packet: {s.CyclesPerPacket:F2} ({cycles}/{s.Packets})\n");
            sb.Append(c, $"  avg processing cycles per packet: {s.ProcessingCyclesPerPacket:F2} ({s.BusyCycles}/{s.Packets})\n");
        }

        return sb.ToString();
    }

    private static string Percent(long part, long whole) =>
        whole == 0 ? "0.00%" : (100.0 * part / whole).ToString("F2", CultureInfo.InvariantCulture) + "%";
}

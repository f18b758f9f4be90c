using System.Globalization;
using FastPath.Daemon.Switch;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using Prometheus;

namespace FastPath.Daemon.Metrics;

/// <summary>
/// The Prometheus text endpoint (<c>--prometheus=PORT</c>, on 127.0.0.1 only, off by default): per-port and per-PMD
/// counters, read from the running switch at each scrape, never on the packet path.
/// </summary>
public sealed class PrometheusEndpoint : IDisposable
{
    private readonly MetricServer server;

    /// <summary>Starts serving <c>http://127.0.0.1:PORT/metrics</c> for the bridges of <paramref name="reconciler"/>.</summary>
    public PrometheusEndpoint(int port, SwitchReconciler reconciler)
    {
        CollectorRegistry registry = Prometheus.Metrics.NewCustomRegistry();
        MetricFactory factory = Prometheus.Metrics.WithCustomRegistry(registry);
        string[] portLabels = ["bridge", "port", "ofport"];
        Counter rxPackets = factory.CreateCounter("fastpath_port_rx_packets_total", "Packets received on a port.", portLabels);
        Counter rxBytes = factory.CreateCounter("fastpath_port_rx_bytes_total", "Bytes received on a port.", portLabels);
        Counter rxDropped = factory.CreateCounter("fastpath_port_rx_dropped_total", "Packets dropped on receive.", portLabels);
        Counter txPackets = factory.CreateCounter("fastpath_port_tx_packets_total", "Packets sent on a port.", portLabels);
        Counter txBytes = factory.CreateCounter("fastpath_port_tx_bytes_total", "Bytes sent on a port.", portLabels);
        Counter txDropped = factory.CreateCounter("fastpath_port_tx_dropped_total", "Packets dropped on transmit.", portLabels);
        string[] pmdLabels = ["bridge", "core"];
        Counter pmdPackets = factory.CreateCounter("fastpath_pmd_packets_total", "Packets a PMD received.", pmdLabels);
        Counter pmdSimple = factory.CreateCounter("fastpath_pmd_simple_match_hits_total", "Packets forwarded by a port-only megaflow without a lookup.", pmdLabels);
        Counter pmdEmc = factory.CreateCounter("fastpath_pmd_emc_hits_total", "Exact-match cache hits.", pmdLabels);
        Counter pmdMegaflow = factory.CreateCounter("fastpath_pmd_megaflow_hits_total", "Megaflow classifier hits.", pmdLabels);
        Counter pmdUpcalls = factory.CreateCounter("fastpath_pmd_upcalls_total", "Misses sent to the slow path.", pmdLabels);
        Counter pmdLost = factory.CreateCounter("fastpath_pmd_lost_upcalls_total", "Misses the slow path could not take.", pmdLabels);
        Counter pmdBusy = factory.CreateCounter("fastpath_pmd_busy_cycles_total", "Cycles spent processing packets.", pmdLabels);

        registry.AddBeforeCollectCallback(() =>
        {
            foreach (RunningBridge b in reconciler.Bridges.Values)
            {
                foreach (RunningInterface i in b.Interfaces.Values)
                {
                    if (i.Device is not INetdev dev || i.OfPort is not uint ofport)
                    {
                        continue;
                    }

                    NetdevStats s = dev.GetStats();
                    string[] l = [b.Name, i.Config.Name, OpenFlow.Fields.OfPorts.Format(ofport)];

                    // Counters only rise: after pmd-stats-clear or a reopened port the exported value holds until passed.
                    rxPackets.WithLabels(l).IncTo(s.RxPackets);
                    rxBytes.WithLabels(l).IncTo(s.RxBytes);
                    rxDropped.WithLabels(l).IncTo(s.RxDropped);
                    txPackets.WithLabels(l).IncTo(s.TxPackets);
                    txBytes.WithLabels(l).IncTo(s.TxBytes);
                    txDropped.WithLabels(l).IncTo(s.TxDropped);
                }

                IReadOnlyList<PmdStatsSnapshot> pmds = b.Datapath.GetPmdStats();
                for (int p = 0; p < pmds.Count; p++)
                {
                    string[] l = [b.Name, b.Datapath.Pmds[p].CoreId.ToString(CultureInfo.InvariantCulture)];
                    pmdPackets.WithLabels(l).IncTo(pmds[p].Packets);
                    pmdSimple.WithLabels(l).IncTo(pmds[p].SimpleMatchHits);
                    pmdEmc.WithLabels(l).IncTo(pmds[p].EmcHits);
                    pmdMegaflow.WithLabels(l).IncTo(pmds[p].MegaflowHits);
                    pmdUpcalls.WithLabels(l).IncTo(pmds[p].Upcalls);
                    pmdLost.WithLabels(l).IncTo(pmds[p].LostUpcalls);
                    pmdBusy.WithLabels(l).IncTo(pmds[p].BusyCycles);
                }
            }
        });
        server = new MetricServer("127.0.0.1", port, registry: registry);
        server.Start();
    }

    /// <inheritdoc/>
    public void Dispose() => server.Dispose();
}

using System.Globalization;
using FastPath.Datapath.CaptureFiles;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Ports.Afxdp;
using FastPath.Datapath.Ports.Pcap;
using FastPath.Datapath.Ports.Replay;
using FastPath.Datapath.Ports.Tap;

namespace FastPath.Daemon.Ports;

/// <summary>
/// Opens the device behind an OVSDB Interface row, by its <c>type</c> and <c>options</c> with Open vSwitch's names:
/// <c>afxdp</c> (<c>n_rxq</c>, <c>xdp-mode</c>, <c>use-need-wakeup</c>), <c>internal</c>/<c>tap</c> (a kernel tap
/// device), the empty or <c>system</c> type (a kernel interface read through libpcap, as Open vSwitch's userspace
/// datapath reads it through a raw socket), and FastPath's own <c>pcap</c>, <c>replay</c> and <c>null</c>.
/// </summary>
public static class NetdevFactory
{
    /// <summary>The interface types this switch supports (written to Open_vSwitch <c>iface_types</c>).</summary>
    public static IReadOnlyList<string> Types { get; } = ["afxdp", "internal", "null", "pcap", "replay", "system", "tap"];

    /// <summary>Opens the device.</summary>
    /// <exception cref="NetdevConfigException">The type is unknown, an option is invalid, or the device could not be opened.</exception>
    public static INetdev Create(string name, string type, IReadOnlyDictionary<string, string> options)
    {
        try
        {
            return type switch
            {
                "afxdp" => new AfxdpNetdev(AfxdpOptionsFrom(name, options)),
                "internal" or "tap" => new TapNetdev(name),
                "" or "system" or "pcap" => new PcapNetdev(new PcapOptions(options.GetValueOrDefault("device", name))),
                "replay" => Replay(name, options),
                "null" => new NullNetdev(name),
                _ => throw new NetdevConfigException($"could not open network device {name} (Address family not supported by protocol)"),
            };
        }
        catch (NetdevConfigException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new NetdevConfigException($"could not open network device {name} ({e.Message})", e);
        }
    }

    /// <summary>Maps Open vSwitch's afxdp options to the port's; unknown xdp-mode values are refused as OVS refuses them.</summary>
    public static AfxdpOptions AfxdpOptionsFrom(string name, IReadOnlyDictionary<string, string> options)
    {
        int queues = 1;
        if (options.TryGetValue("n_rxq", out string? n) && (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out queues) || queues < 1))
        {
            throw new NetdevConfigException($"{name}: invalid n_rxq '{n}'");
        }

        (AfxdpXdpMode mode, AfxdpCopyMode copy) = options.GetValueOrDefault("xdp-mode", "best-effort") switch
        {
            "best-effort" => (AfxdpXdpMode.Auto, AfxdpCopyMode.Auto),
            "native-with-zerocopy" => (AfxdpXdpMode.Native, AfxdpCopyMode.ZeroCopy),
            "native" => (AfxdpXdpMode.Native, AfxdpCopyMode.Copy),
            "generic" => (AfxdpXdpMode.Generic, AfxdpCopyMode.Copy),
            string other => throw new NetdevConfigException($"{name}: Incorrect xdp-mode ({other})."),
        };
        bool wakeup = options.GetValueOrDefault("use-need-wakeup", "true") != "false";
        return new AfxdpOptions(name) { Queues = queues, XdpMode = mode, CopyMode = copy, UseNeedWakeup = wakeup };
    }

    private static ReplayNetdev Replay(string name, IReadOnlyDictionary<string, string> options)
    {
        string file = options.GetValueOrDefault("file") ?? throw new NetdevConfigException($"{name}: replay port needs options:file=PCAP");
        long loops = 0; // forever, unless options:loops says otherwise
        if (options.TryGetValue("loops", out string? l) && (!long.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out loops) || loops < 0))
        {
            throw new NetdevConfigException($"{name}: invalid loops '{l}'");
        }

        return new ReplayNetdev(name, PcapFile.Load(file), loops);
    }
}

using System.Globalization;

namespace FastPath.Datapath.Tests.Afxdp;

/// <summary>The namespace helper cleans up after itself and after crashed runs, and touches nothing else.</summary>
[Collection(AfxdpCollection.Name)]
public class NetnsTopologyTests
{
    [SkippableFact]
    public void DisposeRemovesEverythingItCreated()
    {
        Skip.If(NetnsTopology.Unavailable() is not null, NetnsTopology.Unavailable());
        string ns;
        string root;
        using (var topo = new NetnsTopology())
        {
            ns = topo.AddNamespace("life");
            root = topo.AddVeth(ns).RootName;
            Assert.Contains(ns, NetnsTopology.ListNamespaces());
            Assert.Contains(root, NetnsTopology.ListRootLinks());
            Assert.True(root.Length <= 15, $"interface name {root} is longer than IFNAMSIZ allows");
        }

        Assert.DoesNotContain(ns, NetnsTopology.ListNamespaces());
        Assert.DoesNotContain(root, NetnsTopology.ListRootLinks());
    }

    [SkippableFact]
    public void AddressesGoOnlyIntoItsOwnNamespaces()
    {
        Skip.If(NetnsTopology.Unavailable() is not null, NetnsTopology.Unavailable());
        using var topo = new NetnsTopology();
        Assert.Throws<InvalidOperationException>(() => topo.AddAddress("some-other-namespace", "eth0", "10.201.9.1/24"));
    }

    [SkippableFact]
    public void LeftoversOfDeadRunsAreRemovedAndLiveOnesKept()
    {
        Skip.If(NetnsTopology.Unavailable() is not null, NetnsTopology.Unavailable());
        int dead = DeadPid();
        string deadNs = $"{NetnsTopology.NamespacePrefix}{dead}-1-crash";
        string deadLink = $"{NetnsTopology.InterfacePrefix}{dead:x}g1d";
        try
        {
            NetnsTopology.Run("ip", "netns", "add", deadNs);
            NetnsTopology.Run("ip", "link", "add", deadLink, "type", "veth", "peer", "name", $"{NetnsTopology.InterfacePrefix}{dead:x}g1h");

            using var live = new NetnsTopology();
            string liveNs = live.AddNamespace("alive");

            Assert.DoesNotContain(deadNs, NetnsTopology.ListNamespaces());
            Assert.DoesNotContain(deadLink, NetnsTopology.ListRootLinks());
            Assert.Equal(0, NetnsTopology.CleanupLeftovers());
            Assert.Contains(liveNs, NetnsTopology.ListNamespaces());
        }
        finally
        {
            // In case the assertions failed before the helper removed them (best effort: another
            // test process's cleanup may remove them at the same moment).
            TryRun("ip", "netns", "del", deadNs);
            TryRun("ip", "link", "del", deadLink);
        }
    }

    private static void TryRun(params string[] command)
    {
        try
        {
            NetnsTopology.Run(command[0], command[1..]);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static int DeadPid()
    {
        int max = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), CultureInfo.InvariantCulture);
        for (int pid = max - 1; pid > 1; pid--)
        {
            if (!Directory.Exists($"/proc/{pid}"))
            {
                return pid;
            }
        }

        throw new InvalidOperationException("no unused pid");
    }
}

using System.Diagnostics;
using Xunit.Abstractions;

namespace FastPath.Ofproto.Tests.Service;

public class OfctlExploreTests(ITestOutputHelper output)
{
    private string Ofctl(params string[] args)
    {
        var psi = new ProcessStartInfo("ovs-ofctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("--timeout=5");
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        string o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        output.WriteLine($"$ ovs-ofctl {string.Join(' ', args)} -> {p.ExitCode}\n{o}");
        return o;
    }

    [Fact]
    public async Task Explore()
    {
        await using var b = HostedBridge.Start();
        Ofctl("add-flow", b.Target, "in_port=1,ip,nw_src=192.168.1.1,actions=mod_nw_src:192.181.137.1,output:2");
        Ofctl("dump-flows", b.Target);
        Ofctl("-O", "OpenFlow10", "dump-flows", b.Target);
        Ofctl("-O", "OpenFlow13", "dump-flows", b.Target);
        Ofctl("dump-desc", b.Target);
        Ofctl("dump-aggregate", b.Target);
        Ofctl("-O", "OpenFlow13", "add-flow", b.Target, "table=1,tcp,tp_dst=80,actions=drop");
        Ofctl("del-flows", b.Target, "in_port=1");
        Ofctl("dump-flows", b.Target);
    }
}

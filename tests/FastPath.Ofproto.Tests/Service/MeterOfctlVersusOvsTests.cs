using FastPath.Ofproto.Tests.Interop;
using FastPath.Ofproto.Tests.Ovs;

namespace FastPath.Ofproto.Tests.Service;

/// <summary>
/// Meters through real <c>ovs-ofctl</c>: add-meter, mod-meter, dump-meters, meter-stats, meter-features, del-meters and
/// flows with <c>meter:N</c> print the same against FastPath's OpenFlow service as against Open vSwitch's dummy bridge
/// (tests/data/ofctl-differential/meters.ofctl), errors included, in every protocol ovs-ofctl speaks to both.
/// </summary>
public class MeterOfctlVersusOvsTests
{
    private static string Script => TestData.Path("ofctl-differential", "meters.ofctl");

    [Theory]
    [InlineData(null)]
    [InlineData("OpenFlow10")]
    [InlineData("OpenFlow13")]
    [InlineData("OpenFlow15")]
    public async Task TheMeterScriptPrintsAsAgainstOpenVSwitch(string? protocol)
    {
        OfctlScript script = OfctlScript.Load(Script, protocol);
        using OvsDummySwitch ovs = OvsDummySwitch.Start(4, fixedAddresses: true);
        await using HostedBridge fastpath = HostedBridge.Start();
        IReadOnlyList<OfctlResult> reference = OfctlRunner.Run(script, "unix:" + ovs.BridgeManagementSocket);
        IReadOnlyList<OfctlResult> ours = OfctlRunner.Run(script, fastpath.Target);
        OfctlComparison comparison = OfctlDifferential.Compare(script.Name, reference, ours);

        Assert.True(comparison.Differences.Count == 0, comparison.Report());

        // The comparison compared something: the metered flows the -O OpenFlow13 lines add are there in every run,
        // with their meter where the protocol can say it and without it where it cannot, as Open vSwitch prints them.
        string all = string.Join('\n', ours.Select(r => r.Stdout));
        bool hasMeters = protocol is "OpenFlow13" or "OpenFlow15";
        Assert.Contains(hasMeters ? "in_port=3 actions=meter:7,output:4" : "in_port=3 actions=output:4", all, StringComparison.Ordinal);
        if (hasMeters)
        {
            Assert.Contains("max_meter:262144 max_bands:8 max_color:0", all, StringComparison.Ordinal);
            Assert.Contains("meter=3 kbps burst bands=", all, StringComparison.Ordinal);
            Assert.Contains("ip,in_port=1 actions=meter:1,output:2", all, StringComparison.Ordinal);
            string errors = string.Join('\n', ours.Select(r => r.Stderr));
            foreach (string error in new[] { "OFPMMFC_METER_EXISTS", "OFPMMFC_BAD_BAND", "OFPMMFC_BAD_FLAGS", "OFPMMFC_OUT_OF_BANDS", "OFPMMFC_INVALID_METER", "OFPMMFC_UNKNOWN_METER" })
            {
                Assert.Contains(error, errors, StringComparison.Ordinal);
            }
        }
        else
        {
            Assert.Contains(ours, r => r.Stderr.Contains("none of the usable flow formats", StringComparison.Ordinal));
        }
    }
}

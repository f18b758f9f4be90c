using FastPath.Ofproto.Tests.Ovs;
using FastPath.Ofproto.Tests.Xlate;
using FastPath.Ofproto.Trace;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Text;

namespace FastPath.Ofproto.Tests.Differential;

/// <summary>
/// push_vlan over an existing tag: OpenFlow 1.3 says the new tag copies the old one's VID and PCP, Open vSwitch
/// pushes VID 0 and PCP 0. FastPath does as Open vSwitch does, and this holds it to that, against ovs-vswitchd.
/// </summary>
public class VlanPushVersusOvsTests
{
    [Theory]
    [InlineData("in_port=1,udp,dl_vlan=5,dl_vlan_pcp=3,nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_src=1,udp_dst=2")]
    [InlineData("in_port=1,udp,nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_src=1,udp_dst=2")]
    public void PushVlanGivesTheSameFinalFlowAndActionsAsOpenVSwitch(string flow)
    {
        const string Rule = "in_port=1,actions=push_vlan:0x8100,output:2";
        using OvsDummySwitch ovs = OvsDummySwitch.Start(4);
        ovs.AddFlows([Rule]);
        OvsTrace theirs = ovs.Trace(flow);

        var h = new XlateHarness(null, Rule);
        PipelineMatch parsed = MatchText.Parse(flow);
        XlateTrace ours = h.Xlate.Trace(parsed.PacketPart.Key);
        Assert.True(ours.Succeeded, ours.Error);
        Assert.Equal(theirs.FinalFlow, TraceReport.FinalFlow(ours, PipelineKey.FromPacket(parsed.PacketPart.Key)));
        Assert.Equal(theirs.DatapathActionsText, OdpActionFormat.Format(ours.Actions));
    }
}

using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;
using FastPath.OpenFlow.Wire.Ports;

namespace FastPath.OpenFlow.Tests.Wire;

public class SwitchMessagesTests
{
    private static readonly OfSession Of10 = new(OpenFlowVersion.OF10);
    private static readonly OfSession Of13 = new(OpenFlowVersion.OF13);
    private static readonly OfSession Of14 = new(OpenFlowVersion.OF14);

    private static readonly OfPortDesc P3 = new(3, 0xaa55aa55000f, "p3", OfPortDesc.ConfigPortDown, OfPortDesc.StateLive,
        Curr: 0x2020, CurrSpeed: 2_500_000, MaxSpeed: 10_000_000);

    [Fact]
    public void PortStatusPrintsAsOpenVSwitchPrintsIt()
    {
        byte[] bytes = OfCodec.Encode(new PortStatus(2, P3), Of13, 1);
        Assert.Equal(
            "OFPT_PORT_STATUS (OF1.3) (xid=0x1): MOD: 3(p3): addr:aa:55:aa:55:00:0f\n     config:     PORT_DOWN\n     state:      LIVE\n     current:    1GB-FD AUTO_NEG\n     speed: 2500 Mbps now, 10000 Mbps max",
            OfpPrint.Print(bytes));
        Assert.Equal(new PortStatus(2, P3), OfCodec.Decode(bytes, Of13));

        // 1.4 carries the same port with an ethernet property; 1.0 without speeds or LIVE, AUTO_NEG renumbered.
        byte[] b14 = OfCodec.Encode(new PortStatus(2, P3), Of14, 1);
        Assert.StartsWith("OFPT_PORT_STATUS (OF1.4) (xid=0x1): MOD: 3(p3): addr:aa:55:aa:55:00:0f\n     config:     PORT_DOWN\n     state:      LIVE\n     current:    1GB-FD AUTO_NEG\n     speed: 2500 Mbps now, 10000 Mbps max", OfpPrint.Print(b14));
        Assert.Equal(new PortStatus(2, P3), OfCodec.Decode(b14, Of14));
        byte[] b10 = OfCodec.Encode(new PortStatus(2, P3), Of10, 1);
        Assert.Equal("OFPT_PORT_STATUS (xid=0x1): MOD: 3(p3): addr:aa:55:aa:55:00:0f\n     config:     PORT_DOWN\n     state:      0\n     current:    1GB-FD AUTO_NEG\n     speed: 1000 Mbps now, 0 Mbps max", OfpPrint.Print(b10));
        Assert.Equal(new PortStatus(2, P3 with { State = 0, CurrSpeed = 0, MaxSpeed = 0 }), OfCodec.Decode(b10, Of10));
    }

    [Fact]
    public void FeaturesReplyCarriesPortsOnlyInOpenFlow10()
    {
        var reply = new FeaturesReply(1, 0, 254, 0xc7, Actions: 0xfff, Ports: [P3 with { State = 0, CurrSpeed = 0, MaxSpeed = 0 }]);
        byte[] b10 = OfCodec.Encode(reply, Of10, 2);
        Assert.StartsWith("OFPT_FEATURES_REPLY (xid=0x2): dpid:0000000000000001\nn_tables:254, n_buffers:0\ncapabilities: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS ARP_MATCH_IP", OfpPrint.Print(b10));
        var back = (FeaturesReply)OfCodec.Decode(b10, Of10);
        Assert.Equal(reply.Ports, back.Ports);
        byte[] b13 = OfCodec.Encode(reply with { Ports = [], Actions = 0, AuxiliaryId = 1 }, Of13, 2);
        Assert.Equal(32, b13.Length);
        Assert.Equal(1, ((FeaturesReply)OfCodec.Decode(b13, Of13)).AuxiliaryId);
    }

    [Fact]
    public void RoleTravelsAsNiciraOnOpenFlow10AndStandardAfter()
    {
        byte[] nx = OfCodec.Encode(new RoleMessage(false, RoleMessage.Master), Of10, 1);
        Assert.Equal("NXT_ROLE_REQUEST (xid=0x1): role=primary", OfpPrint.Print(nx));
        Assert.Equal(new RoleMessage(false, RoleMessage.Master), OfCodec.Decode(nx, Of10));
        byte[] nxReply = OfCodec.Encode(new RoleMessage(true, RoleMessage.Slave), Of10, 1);
        Assert.StartsWith("NXT_ROLE_REPLY (xid=0x1): role=secondary", OfpPrint.Print(nxReply));
        byte[] of13 = OfCodec.Encode(new RoleMessage(false, RoleMessage.Master, 5), Of13, 1);
        Assert.Equal("OFPT_ROLE_REQUEST (OF1.3) (xid=0x1): role=primary generation_id=5", OfpPrint.Print(of13));
        Assert.Equal(OfError.RoleRequestFailedBadRole, Assert.Throws<OfErrorException>(() => OfCodec.Encode(new RoleMessage(false, RoleMessage.NoChange), Of10, 1)).Error);
        byte[] badNx = Convert.FromHexString("0104001400000001000023200000000a00000007");
        Assert.Equal(OfError.RoleRequestFailedBadRole, Assert.Throws<OfErrorException>(() => OfCodec.Decode(badNx, Of10)).Error);
    }

    [Fact]
    public void AsyncConfigIsAStructIn13PropertiesIn14AndNiciraIn10()
    {
        var set = new AsyncConfig(true, 3, 1, 7, 3, 1, 0);
        byte[] b13 = OfCodec.Encode(set, Of13, 1);
        Assert.StartsWith("OFPT_SET_ASYNC (OF1.3) (xid=0x1):", OfpPrint.Print(b13));
        Assert.Equal(set, OfCodec.Decode(b13, Of13));
        byte[] b10 = OfCodec.Encode(set, Of10, 1);
        Assert.StartsWith("NXT_SET_ASYNC_CONFIG (xid=0x1):", OfpPrint.Print(b10));
        Assert.Equal(set, OfCodec.Decode(b10, Of10));
        var partial = new AsyncConfig(true, 3, null, null, null, null, null);
        byte[] b14 = OfCodec.Encode(partial, Of14, 1);
        Assert.Equal(16, b14.Length); // one property
        Assert.Equal(partial, OfCodec.Decode(b14, Of14));
        byte[] badProp = Convert.FromHexString("051c001000000001" + "000c000800000001");
        Assert.Equal(OfError.BadPropertyBadType, Assert.Throws<OfErrorException>(() => OfCodec.Decode(badProp, Of14)).Error);
    }

    [Fact]
    public void QueueGetConfigIsGoneIn14()
    {
        byte[] req = OfCodec.Encode(new QueueGetConfigRequest(1), Of13, 1);
        Assert.Equal(new QueueGetConfigRequest(1), OfCodec.Decode(req, Of13));
        byte[] req14 = [0x05, .. req[1..]];
        Assert.Equal(OfError.BadRequestBadType, Assert.Throws<OfErrorException>(() => OfCodec.Decode(req14, Of14)).Error);
        Assert.Throws<NotSupportedException>(() => OfCodec.Encode(new QueueGetConfigRequest(1), Of14, 1));
    }

    [Fact]
    public void PortModWithAPortOpenFlow10CannotNumberIsBadPort()
    {
        var mod = new PortMod(0xfffff000, 1, 0, 0, 0);
        Assert.Equal(OfError.BadRequestBadPort, Assert.Throws<OfErrorException>(() => OfCodec.Encode(mod, Of10, 1)).Error);
        Assert.Equal(OfPorts.Local, PortNumbers.From10(0xfffe));
    }
}

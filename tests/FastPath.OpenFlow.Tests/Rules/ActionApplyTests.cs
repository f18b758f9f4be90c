using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Rules;
using FastPath.Packets;

namespace FastPath.OpenFlow.Tests.Rules;

/// <summary>set_field, load and move change exactly the bits they name in a pipeline key.</summary>
public class ActionApplyTests
{
    [Fact]
    public void SetFieldLoadAndMoveWriteTheKey()
    {
        FlowRule r = FlowText.Parse("ip,actions=mod_nw_src:10.1.2.3,mod_nw_tos:184,load:0x5->NXM_NX_REG1[4..7],move:NXM_NX_REG1[4..7]->NXM_NX_REG2[28..31],set_field:0x10/0xf0->metadata");
        PipelineKey k = default;
        k.PacketPart.EthType = EtherTypes.Ipv4;
        k.PacketPart.NwTos = 0x03;
        k.SetReg(1, 0xffffff0f);
        k.Metadata = 0xab;
        foreach (OfAction a in r.Instructions.ApplyActions)
        {
            switch (a)
            {
                case SetFieldAction sf:
                    sf.Apply(ref k);
                    break;
                case MoveAction mv:
                    mv.Apply(ref k);
                    break;
            }
        }

        Assert.Equal(0x0a010203u, k.PacketPart.Ipv4Src);
        Assert.Equal(184 | 3, k.PacketPart.NwTos);
        Assert.Equal(0xffffff5fu, k.Reg(1));
        Assert.Equal(0x50000000u, k.Reg(2));
        Assert.Equal(0x1bul, k.Metadata);
        Assert.Equal(0x0a010203u, (uint)OfFields.IpSrc.Read(k));
    }
}

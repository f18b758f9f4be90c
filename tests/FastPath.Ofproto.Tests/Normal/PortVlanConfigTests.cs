using FastPath.Ofproto.Normal;

namespace FastPath.Ofproto.Tests.Normal;

/// <summary>Port VLAN settings as ovs-vswitchd.conf.db(5) describes and ovs-vswitchd normalizes them.</summary>
public class PortVlanConfigTests
{
    [Fact]
    public void WithoutAModeATaggedPortIsAccessAndAnUntaggedOneATrunk()
    {
        PortVlanConfig access = PortVlanConfig.Create(tag: 10, trunks: [20]);
        Assert.Equal(PortVlanMode.Access, access.Mode);
        Assert.Equal((ushort)10, access.Vlan);
        Assert.False(access.Trunks(20));
        Assert.False(access.Trunks(10));

        PortVlanConfig trunk = PortVlanConfig.Create();
        Assert.Equal(PortVlanMode.Trunk, trunk.Mode);
        Assert.True(trunk.Trunks(0));
        Assert.True(trunk.Trunks(4095));
        Assert.Equal("trunk", trunk.ToString());
        Assert.Equal("access tag=10", access.ToString());
    }

    [Fact]
    public void AnAccessPortTakesOnlyUntaggedOrPriorityTaggedFramesIntoItsVlan()
    {
        PortVlanConfig p = PortVlanConfig.AccessPort(10);
        Assert.True(p.AcceptsInput(0));
        Assert.False(p.AcceptsInput(10));
        Assert.False(p.AcceptsInput(11));
        Assert.Equal((ushort)10, p.InputVlan(0));
        Assert.True(p.CarriesVlan(10));
        Assert.False(p.CarriesVlan(10, innerVid: 5));
        Assert.False(p.CarriesVlan(0));

        // An explicit access mode without a tag is VLAN 0.
        PortVlanConfig zero = PortVlanConfig.Create(PortVlanMode.Access);
        Assert.Equal((ushort)0, zero.Vlan);
        Assert.True(zero.CarriesVlan(0));
    }

    [Fact]
    public void ATrunkCarriesItsTrunksAndTakesTheVlanFromTheHeader()
    {
        PortVlanConfig p = PortVlanConfig.TrunkPort(10, 20);
        Assert.True(p.AcceptsInput(10));
        Assert.False(p.AcceptsInput(30));
        Assert.False(p.AcceptsInput(0));
        Assert.Equal((ushort)20, p.InputVlan(20));
        Assert.True(p.CarriesVlan(20));
        Assert.True(p.CarriesVlan(20, innerVid: 7));
        Assert.False(p.CarriesVlan(0));
    }

    [Fact]
    public void ANativePortAlwaysTrunksItsNativeVlanAndNeverVlan0()
    {
        foreach (PortVlanMode mode in new[] { PortVlanMode.NativeTagged, PortVlanMode.NativeUntagged })
        {
            PortVlanConfig all = PortVlanConfig.Create(mode, tag: 10);
            Assert.True(all.Trunks(10));
            Assert.True(all.Trunks(4095));
            Assert.False(all.Trunks(0));
            Assert.True(all.AcceptsInput(0));
            Assert.Equal((ushort)10, all.InputVlan(0));
            Assert.Equal((ushort)30, all.InputVlan(30));

            PortVlanConfig some = PortVlanConfig.Create(mode, tag: 20, trunks: [0, 10]);
            Assert.True(some.Trunks(20));
            Assert.True(some.Trunks(10));
            Assert.False(some.Trunks(0));
            Assert.False(some.Trunks(30));
            Assert.False(some.AcceptsInput(30));
            Assert.True(some.AcceptsInput(20));

            // Native VLAN 0: trunks are taken as given.
            PortVlanConfig zero = PortVlanConfig.Create(mode, tag: 0);
            Assert.True(zero.Trunks(0));
            Assert.True(zero.Trunks(100));
        }
    }

    [Fact]
    public void BadSettingsAreRejectedClearly()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PortVlanConfig.Create(tag: 4096));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortVlanConfig.Create(tag: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortVlanConfig.Create(trunks: [10, 4096]));
        ArgumentException e = Assert.Throws<ArgumentException>(() => PortVlanConfig.Create(PortVlanMode.Trunk, tag: 10));
        Assert.Contains("trunk port has no tag", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => PortVlanConfig.Create((PortVlanMode)42));
    }
}

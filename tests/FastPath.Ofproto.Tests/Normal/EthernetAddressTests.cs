using FastPath.Ofproto.Normal;

namespace FastPath.Ofproto.Tests.Normal;

/// <summary>Ethernet addresses as integers, and the reserved set Open vSwitch never forwards.</summary>
public class EthernetAddressTests
{
    [Fact]
    public void ReadsWritesFormatsAndParsesInNetworkOrder()
    {
        byte[] b = [0x02, 0x1b, 0x21, 0xaa, 0xbb, 0xcc];
        ulong a = EthernetAddress.Read(b);
        Assert.Equal(0x021b_21aa_bbccUL, a);
        Assert.Equal("02:1b:21:aa:bb:cc", EthernetAddress.Format(a));
        Assert.Equal(a, EthernetAddress.Parse("02:1B:21:aa:bb:cc"));
        var back = new byte[6];
        EthernetAddress.Write(a, back);
        Assert.Equal(b, back);
        Assert.Throws<ArgumentException>(() => EthernetAddress.Read(new byte[5]));
        Assert.Throws<FormatException>(() => EthernetAddress.Parse("02:1b:21:aa:bb"));
        Assert.Throws<FormatException>(() => EthernetAddress.Parse("02:1b:21:aa:bb:zz"));
    }

    [Fact]
    public void MulticastIsTheGroupBitOfTheFirstByte()
    {
        Assert.True(EthernetAddress.IsMulticast(EthernetAddress.Broadcast));
        Assert.True(EthernetAddress.IsMulticast(EthernetAddress.Parse("01:00:5e:00:00:01")));
        Assert.True(EthernetAddress.IsMulticast(EthernetAddress.Parse("33:33:00:00:00:01")));
        Assert.False(EthernetAddress.IsMulticast(EthernetAddress.Parse("02:00:00:00:00:01")));
        Assert.False(EthernetAddress.IsMulticast(EthernetAddress.Parse("00:00:5e:00:00:01")));
    }

    [Theory]
    [InlineData("01:80:c2:00:00:00", true)]
    [InlineData("01:80:c2:00:00:0e", true)]
    [InlineData("01:80:c2:00:00:0f", true)]
    [InlineData("01:80:c2:00:00:10", false)]
    [InlineData("01:80:c2:00:01:00", false)]
    [InlineData("00:e0:2b:00:00:00", true)]
    [InlineData("00:e0:2b:00:00:04", true)]
    [InlineData("00:e0:2b:00:00:06", true)]
    [InlineData("00:e0:2b:00:00:05", false)]
    [InlineData("01:00:0c:00:00:00", true)]
    [InlineData("01:00:0c:cc:cc:cc", true)]
    [InlineData("01:00:0c:cc:cc:cd", true)]
    [InlineData("01:00:0c:cd:cd:cd", true)]
    [InlineData("01:00:0c:cc:cc:c0", true)]
    [InlineData("01:00:0c:cc:cc:c7", true)]
    [InlineData("01:00:0c:cc:cc:c8", false)]
    [InlineData("ff:ff:ff:ff:ff:ff", false)]
    public void TheReservedAddressesAreOpenVswitchs(string address, bool reserved) =>
        Assert.Equal(reserved, EthernetAddress.IsReserved(EthernetAddress.Parse(address)));
}

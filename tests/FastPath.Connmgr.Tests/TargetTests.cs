using System.Net;

namespace FastPath.Connmgr.Tests;

public class TargetTests
{
    [Theory]
    [InlineData("tcp:127.0.0.1", OfTargetMethod.Tcp, "127.0.0.1", 6653)]
    [InlineData("tcp:10.0.0.1:6633", OfTargetMethod.Tcp, "10.0.0.1", 6633)]
    [InlineData("tcp:[::1]:6653", OfTargetMethod.Tcp, "::1", 6653)]
    [InlineData("tcp:[fe80::1]", OfTargetMethod.Tcp, "fe80::1", 6653)]
    [InlineData("ssl:controller.example:6654", OfTargetMethod.Ssl, "controller.example", 6654)]
    public void Active_targets(string text, OfTargetMethod method, string host, int port)
    {
        OfTarget t = OfTarget.Parse(text);
        Assert.Equal(method, t.Method);
        Assert.Equal(host, t.Host);
        Assert.Equal(port, t.Port);
        Assert.False(t.IsPassive);
        Assert.Equal(text, t.ToString());
    }

    [Theory]
    [InlineData("ptcp:", "0.0.0.0", 6653)]
    [InlineData("ptcp:6633", "0.0.0.0", 6633)]
    [InlineData("ptcp:0:127.0.0.1", "127.0.0.1", 0)]
    [InlineData("pssl:6653:[::1]", "::1", 6653)]
    [InlineData("ptcp::127.0.0.1", "127.0.0.1", 6653)]
    public void Passive_targets(string text, string address, int port)
    {
        OfTarget t = OfTarget.Parse(text);
        Assert.True(t.IsPassive);
        Assert.Equal(IPAddress.Parse(address), t.ListenAddress);
        Assert.Equal(port, t.Port);
    }

    [Fact]
    public void Unix_targets()
    {
        Assert.Equal("/run/fp/br0.mgmt", OfTarget.Parse("punix:/run/fp/br0.mgmt").Path);
        Assert.Equal(OfTargetMethod.Unix, OfTarget.Parse("unix:/tmp/x").Method);
    }

    [Theory]
    [InlineData("controller", "controller: missing connection method (tcp:, ssl:, unix:, ptcp:, pssl:, punix:)")]
    [InlineData("127.0.0.1:6653", "127.0.0.1:6653: unknown connection method \"127.0.0.1\"")]
    [InlineData("udp:1.2.3.4", "udp:1.2.3.4: unknown connection method \"udp\"")]
    [InlineData("tcp:1.2.3.4:x", "tcp:1.2.3.4:x: bad port number \"x\"")]
    [InlineData("tcp:1.2.3.4:70000", "tcp:1.2.3.4:70000: bad port number \"70000\"")]
    [InlineData("tcp:1.2.3.4:0", "tcp:1.2.3.4:0: bad port number \"0\"")]
    [InlineData("tcp:", "tcp:: missing host")]
    [InlineData("tcp:::1", "tcp:::1: an IPv6 address must be written in [brackets]")]
    [InlineData("tcp:[::1", "tcp:[::1: unterminated [IPv6 address]")]
    [InlineData("ptcp:6653:not-an-ip", "ptcp:6653:not-an-ip: \"not-an-ip\" is not an IP address")]
    [InlineData("ptcp:-1", "ptcp:-1: bad port number \"-1\"")]
    [InlineData("punix:", "punix:: missing socket path")]
    public void Bad_targets_are_one_line_errors(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => OfTarget.Parse(text));
        Assert.Equal(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(OfTarget.TryParse(text, out _, out string? error));
        Assert.Equal(message, error);
    }
}

using FastPath.Datapath.Flows;
using FastPath.Ofproto.Revalidation;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Revalidation;

/// <summary>Forgotten ukeys are handed out again, blank, so a steady churn of flows allocates no ukey.</summary>
public sealed class UkeyTableTests
{
    private static FlowMatch Match(uint inPort)
    {
        var key = new FlowKey { InPort = inPort };
        var mask = new FlowKey { InPort = uint.MaxValue };
        return new FlowMatch(key, mask);
    }

    private static Ukey Filled(UkeyTable t, uint inPort)
    {
        Ukey u = t.Rent();
        u.Megaflow = Match(inPort);
        u.Key = new FlowKey { InPort = inPort };
        u.Actions = [1, 2, 3];
        u.Version = 7;
        u.Packets = 10;
        u.Bytes = 640;
        u.LastActiveTicks = 5;
        u.InstalledTicks = 5;
        return u;
    }

    [Fact]
    public void ARemovedUkeyIsRentedAgainBlank()
    {
        var t = new UkeyTable(1);
        Ukey a = Filled(t, 1);
        t.Set(0, a);
        Assert.Equal(0, t.Spare);

        Assert.True(t.Remove(0, Match(1)));
        Assert.False(t.Remove(0, Match(1)));
        Assert.Equal(1, t.Spare);

        Ukey again = t.Rent();
        Assert.Same(a, again);
        Assert.Equal(0, t.Spare);
        Assert.Empty(again.Actions);
        Assert.Equal(0, again.Packets);
        Assert.Equal(0, again.Bytes);
        Assert.Equal(0, again.Version);
        Assert.Equal(0, again.InstalledTicks);
        Assert.Null(again.Credited);
        Assert.Equal(0u, again.Key.InPort);
    }

    [Fact]
    public void AReplacedUkeyAndOnesThatVanishedAreKeptForReuse()
    {
        var t = new UkeyTable(1);
        Ukey first = Filled(t, 1);
        t.Set(0, first);
        Ukey second = Filled(t, 1);
        t.Set(0, second);
        Assert.Equal(1, t.Count);
        Assert.Equal(1, t.Spare);
        Assert.True(t.TryGet(0, Match(1), out Ukey? now));
        Assert.Same(second, now);

        // Setting the same ukey again keeps it out of the spares.
        t.Set(0, second);
        Assert.Equal(1, t.Spare);

        // Not seen by pass 1, installed before it began: forgotten, and kept.
        Assert.Equal(1, t.RemoveUnseen(0, pass: 1, passStartTicks: 100));
        Assert.Equal(0, t.Count);
        Assert.Equal(2, t.Spare);
        Assert.Same(second, t.Rent());
        Assert.Same(first, t.Rent());
        Assert.Equal(0, t.Spare);
    }
}

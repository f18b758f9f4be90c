namespace FastPath.Datapath.Tests.Afxdp;

/// <summary>Runs the AF_XDP network tests one at a time: each spins a forwarding thread, and the machine has two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AfxdpCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "afxdp network";
}

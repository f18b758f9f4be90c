namespace FastPath.Ofproto.Tests.Interop;

/// <summary>Runs the tests with real controllers and AF_XDP ports one at a time: each runs a PMD and a controller, and the machine has two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ControllerInteropCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "controller interop";
}

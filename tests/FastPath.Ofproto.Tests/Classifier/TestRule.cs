namespace FastPath.Ofproto.Tests.Classifier;

/// <summary>A rule object for tests: only its identity matters to the classifier.</summary>
internal sealed class TestRule(string name)
{
    public string Name { get; } = name;

    public override string ToString() => Name;
}

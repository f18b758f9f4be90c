namespace FastPath.Tests;

/// <summary>Where the repository's test data lives (tests/data), found from the test binaries wherever they run.</summary>
internal static class TestData
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root: the directory above the test binaries that holds FastPath.sln.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>A path under tests/data.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, "tests", "data", .. parts]);

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(d.FullName, "FastPath.sln")))
            {
                return d.FullName;
            }
        }

        throw new DirectoryNotFoundException("FastPath.sln not found above " + AppContext.BaseDirectory);
    }
}

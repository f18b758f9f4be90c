namespace FastPath.Unixctl.Tests;

/// <summary>A private run directory under /tmp (short, so socket paths fit), deleted on dispose.</summary>
public sealed class TempRunDir : IDisposable
{
    /// <summary>Creates the directory.</summary>
    public TempRunDir()
    {
        Path = System.IO.Path.Combine("/tmp", "fp-unixctl-" + System.IO.Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A socket still closing: the OS cleans /tmp.
        }
    }
}

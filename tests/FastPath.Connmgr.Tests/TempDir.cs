namespace FastPath.Connmgr.Tests;

/// <summary>A temporary directory for Unix sockets and PEM files, removed on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    // Unix socket paths are limited to 108 bytes: stay short.
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fpcm-" + Guid.NewGuid().ToString("N")[..10]);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

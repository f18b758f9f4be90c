namespace FastPath.OpenFlow.Actions;

/// <summary>Open vSwitch's note: bytes a controller keeps with a rule; it does nothing to the packet.</summary>
/// <param name="Data">The note's bytes (the wire form pads them with zeros, which are kept).</param>
public sealed record NoteAction(byte[] Data) : OfAction
{
    /// <inheritdoc/>
    public bool Equals(NoteAction? other) => other is not null && Data.AsSpan().SequenceEqual(other.Data);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.AddBytes(Data);
        return h.ToHashCode();
    }
}

namespace FastPath.OpenFlow.Wire.Multipart;

/// <summary>
/// A multipart reply whose body is a list of entries (flows, ports, tables...): the multipart layer encodes and
/// decodes it entry by entry, so a long list is split across messages at entry boundaries and the parts of a
/// decoded list can be joined.
/// </summary>
/// <typeparam name="TSelf">The reply record.</typeparam>
/// <typeparam name="TItem">One entry.</typeparam>
public interface IMultipartListReply<TSelf, TItem>
    where TSelf : MultipartReply
{
    /// <summary>The entries, in wire order.</summary>
    IReadOnlyList<TItem> Items { get; }

    /// <summary>A reply holding <paramref name="items"/>.</summary>
    static abstract TSelf Create(IReadOnlyList<TItem> items);
}

using System.Runtime.CompilerServices;
using FastPath.Ofproto.Upcalls;

namespace FastPath.Ofproto.Xlate;

/// <summary>
/// One shared, immutable copy of each action program and each list of credited rules that translations
/// produce: the many megaflows a flood of new flows makes mostly differ only in their key, so their upcalls
/// then allocate no program or rule list of their own.
/// </summary>
/// <remarks>
/// Bounded: each set is emptied once it holds <see cref="Capacity"/> entries, and the rule lists also whenever
/// the translation version changes, so a deleted rule is not kept alive by a list nobody uses any more. Emptying
/// keeps the sets' storage, and what megaflows already hold stays valid (nothing shared is ever written).
/// </remarks>
internal sealed class TranslationInterner
{
    /// <summary>Entries a set holds at most before it starts over.</summary>
    public const int Capacity = 4096;

    private readonly HashSet<byte[]> programs = new(ProgramComparer.Instance);
    private readonly HashSet<IFlowStatsSink[]> credits = new(CreditComparer.Instance);
    private long creditsVersion = long.MinValue;

    /// <summary>The shared copy of <paramref name="program"/>.</summary>
    public byte[] Program(ReadOnlySpan<byte> program)
    {
        if (program.IsEmpty)
        {
            return [];
        }

        HashSet<byte[]>.AlternateLookup<ReadOnlySpan<byte>> lookup = programs.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(program, out byte[]? shared))
        {
            return shared;
        }

        if (programs.Count >= Capacity)
        {
            programs.Clear();
        }

        shared = program.ToArray();
        programs.Add(shared);
        return shared;
    }

    /// <summary>The shared copy of <paramref name="sinks"/>, for translations under <paramref name="version"/>.</summary>
    public IFlowStatsSink[] Credited(ReadOnlySpan<IFlowStatsSink> sinks, long version)
    {
        if (sinks.IsEmpty)
        {
            return [];
        }

        if (version != creditsVersion || credits.Count >= Capacity)
        {
            credits.Clear();
            creditsVersion = version;
        }

        HashSet<IFlowStatsSink[]>.AlternateLookup<ReadOnlySpan<IFlowStatsSink>> lookup = credits.GetAlternateLookup<ReadOnlySpan<IFlowStatsSink>>();
        if (lookup.TryGetValue(sinks, out IFlowStatsSink[]? shared))
        {
            return shared;
        }

        shared = sinks.ToArray();
        credits.Add(shared);
        return shared;
    }

    private sealed class ProgramComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly ProgramComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var h = default(HashCode);
            h.AddBytes(alternate);
            return h.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }

    // Rules and counters are compared by identity: the same objects in the same order.
    private sealed class CreditComparer : IEqualityComparer<IFlowStatsSink[]>, IAlternateEqualityComparer<ReadOnlySpan<IFlowStatsSink>, IFlowStatsSink[]>
    {
        public static readonly CreditComparer Instance = new();

        public bool Equals(IFlowStatsSink[]? x, IFlowStatsSink[]? y) => x is not null && y is not null && Equals((ReadOnlySpan<IFlowStatsSink>)x, y);

        public int GetHashCode(IFlowStatsSink[] obj) => GetHashCode((ReadOnlySpan<IFlowStatsSink>)obj);

        public bool Equals(ReadOnlySpan<IFlowStatsSink> alternate, IFlowStatsSink[] other)
        {
            if (alternate.Length != other.Length)
            {
                return false;
            }

            for (int i = 0; i < alternate.Length; i++)
            {
                if (!ReferenceEquals(alternate[i], other[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(ReadOnlySpan<IFlowStatsSink> alternate)
        {
            var h = default(HashCode);
            foreach (IFlowStatsSink s in alternate)
            {
                h.Add(RuntimeHelpers.GetHashCode(s));
            }

            return h.ToHashCode();
        }

        public IFlowStatsSink[] Create(ReadOnlySpan<IFlowStatsSink> alternate) => alternate.ToArray();
    }
}

namespace FastPath.Datapath.Actions;

/// <summary>The outcome of <see cref="ActionProgram.Validate"/>: valid, or where and why not.</summary>
public readonly struct ProgramValidation
{
    private ProgramValidation(int offset, string? error)
    {
        Offset = offset;
        Error = error;
    }

    /// <summary>A valid program.</summary>
    public static ProgramValidation Valid => new(-1, null);

    /// <summary>Whether the program is safe to execute.</summary>
    public bool IsValid => Error is null;

    /// <summary>Byte offset of the offending action, or -1 when valid.</summary>
    public int Offset { get; }

    /// <summary>What is wrong, or null when valid.</summary>
    public string? Error { get; }

    /// <summary>An invalid program, with the offset of the bad action.</summary>
    public static ProgramValidation Invalid(int offset, string error) => new(offset, error);

    /// <inheritdoc />
    public override string ToString() => IsValid ? "valid" : $"invalid action program at byte {Offset}: {Error}";
}

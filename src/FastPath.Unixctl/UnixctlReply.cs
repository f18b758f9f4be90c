namespace FastPath.Unixctl;

/// <summary>
/// What a command answers: text for <c>ovs-appctl</c> to print, or an error (printed on standard error, exit
/// status 2). As Open vSwitch's unixctl does, a non-empty text without a final newline gets one.
/// </summary>
/// <param name="Text">The body.</param>
/// <param name="IsError">Whether the body is an error.</param>
public readonly record struct UnixctlReply(string Text, bool IsError)
{
    /// <summary>A successful reply with <paramref name="text"/> (empty for none).</summary>
    public static UnixctlReply Ok(string text = "") => new(text, false);

    /// <summary>An error reply with <paramref name="text"/>.</summary>
    public static UnixctlReply Error(string text) => new(text, true);

    /// <summary>The body as it goes on the wire: a newline is added to a non-empty body that lacks one.</summary>
    public string WireText => Text.Length > 0 && Text[^1] != '\n' ? Text + "\n" : Text;
}

namespace FastPath.OpenFlow.Text;

/// <summary>A flow, match or action string that is not valid Open vSwitch flow syntax (the message says what and where).</summary>
public sealed class FlowSyntaxException : FormatException
{
    /// <summary>Makes the exception with its message.</summary>
    public FlowSyntaxException(string message)
        : base(message)
    {
    }
}

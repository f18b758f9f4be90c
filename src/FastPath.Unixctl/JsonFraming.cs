namespace FastPath.Unixctl;

/// <summary>
/// Finds where one JSON value ends in a byte stream: JSON-RPC over a stream socket has no framing of its own, a
/// message ends where its top-level object or array closes (as Open vSwitch's jsonrpc reads it).
/// </summary>
internal static class JsonFraming
{
    /// <summary>
    /// The length of the first complete top-level object or array in <paramref name="data"/> (leading white space
    /// included), 0 if it is incomplete, or -1 if the data cannot start one (a bare scalar or garbage).
    /// </summary>
    public static int ValueEnd(ReadOnlySpan<byte> data)
    {
        int depth = 0;
        bool inString = false, escaped = false;
        for (int i = 0; i < data.Length; i++)
        {
            byte c = data[i];
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (depth == 0 && c is not ((byte)'{' or (byte)'[' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return -1;
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is (byte)'{' or (byte)'[')
            {
                depth++;
            }
            else if (c is (byte)'}' or (byte)']' && --depth == 0)
            {
                return i + 1;
            }
        }

        return 0;
    }
}

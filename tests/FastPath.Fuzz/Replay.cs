namespace FastPath.Fuzz;

/// <summary>Runs saved inputs (afl-fuzz's crashes, a regression's bytes) once each, outside the fuzzer, and says what each did.</summary>
internal static class Replay
{
    /// <summary>Runs every file through <paramref name="target"/>; 1 if any is a finding, 0 otherwise.</summary>
    public static int Files(FuzzTarget target, IEnumerable<string> files)
    {
        int findings = 0;
        foreach (string file in files)
        {
            byte[] input = File.ReadAllBytes(file);
            try
            {
                target.Run(input);
                Console.WriteLine($"{file}: ok");
            }
            catch (Exception e)
            {
                findings++;
                Console.WriteLine($"{file}: FINDING {e.GetType().FullName}: {e.Message}");
                Console.WriteLine($"  input: {Convert.ToHexString(input)}");
                Console.WriteLine(e.StackTrace);
            }
        }

        return findings > 0 ? 1 : 0;
    }
}

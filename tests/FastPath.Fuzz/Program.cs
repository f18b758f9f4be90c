using FastPath.Fuzz;
using SharpFuzz;

// The fuzzing harness behind scripts/fuzz.sh. Under afl-fuzz it runs SharpFuzz's fork server (out of process,
// so a stack overflow is reported as a crash instead of killing the server); outside it replays saved inputs and
// writes the starting corpus.
FuzzTarget[] targets = [new OpenFlowTarget(), new FlowSyntaxTarget()];
const string Usage = "usage: FastPath.Fuzz TARGET [--replay FILE... | --seeds REPO_ROOT OUT_DIR | --dict FILE]  (TARGET: openflow, flow)";

FuzzTarget? target = args.Length > 0 ? Array.Find(targets, t => t.Name == args[0]) : null;
if (target is null)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

if (args.Length == 1)
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
    return 0;
}

if (args[1] == "--replay" && args.Length > 2)
{
    return Replay.Files(target, args[2..]);
}

if (args[1] == "--seeds" && args.Length == 4)
{
    int n = 0;
    Directory.CreateDirectory(args[3]);
    foreach (byte[] seed in target.Seeds(args[2]))
    {
        File.WriteAllBytes(Path.Combine(args[3], $"seed-{n++:d5}"), seed);
    }

    Console.WriteLine($"{n} seeds for {target.Name} in {args[3]}");
    return n > 0 ? 0 : 1;
}

if (args[1] == "--dict" && args.Length == 3)
{
    // afl-fuzz's dictionary format: one quoted word a line, with \ and " escaped and other bytes as \xNN.
    IEnumerable<string> words = target.Dictionary().Select((w, i) => $"w{i}=\"{AflDictionary.Escape(w)}\"");
    File.WriteAllLines(args[2], words);
    return 0;
}

Console.Error.WriteLine(Usage);
return 2;

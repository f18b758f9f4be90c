namespace FastPath.Datapath.Classifier;

/// <summary>
/// Walks the ids of installed megaflows in ascending order without allocating (for flow dumps and
/// revalidation); usable directly in <c>foreach</c>.
/// </summary>
public struct MegaflowIdEnumerator
{
    private readonly MegaflowClassifier classifier;
    private int current;

    internal MegaflowIdEnumerator(MegaflowClassifier classifier)
    {
        this.classifier = classifier;
        current = -1;
    }

    /// <summary>The id at the enumerator's position.</summary>
    public readonly int Current => current;

    /// <summary>Lets <c>foreach</c> use the enumerator as its own enumerable.</summary>
    public readonly MegaflowIdEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next installed flow; slots freed meanwhile are skipped, so flows may be removed during the walk.</summary>
    public bool MoveNext()
    {
        int end = classifier.HighWater;
        while (++current < end)
        {
            if (classifier.IsSlotLive(current))
            {
                return true;
            }
        }

        current = end;
        return false;
    }
}

namespace FastPath.Datapath;

/// <summary>How rx queues are spread over PMDs (OVS's pmd-rxq-assign).</summary>
public enum RxqAssignment
{
    /// <summary>In turn, one queue per PMD.</summary>
    RoundRobin,
    /// <summary>Busiest queue first onto the least-loaded PMD, by measured busy cycles.</summary>
    Cycles,
}

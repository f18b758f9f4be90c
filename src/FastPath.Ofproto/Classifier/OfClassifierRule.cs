using FastPath.OpenFlow.Flows;

namespace FastPath.Ofproto.Classifier;

/// <summary>One rule held by an <see cref="OfClassifier{TRule}"/>: its match, its priority and the caller's rule object.</summary>
/// <typeparam name="TRule">The caller's rule type.</typeparam>
/// <param name="Match">The rule's match (values pre-masked).</param>
/// <param name="Priority">The rule's priority; higher wins.</param>
/// <param name="Rule">The caller's rule object.</param>
public readonly record struct OfClassifierRule<TRule>(PipelineMatch Match, int Priority, TRule Rule)
    where TRule : class;

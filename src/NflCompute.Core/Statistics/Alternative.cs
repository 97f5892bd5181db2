namespace NflCompute.Core.Statistics;

/// <summary>The alternative hypothesis about the mean difference d = loss_A - loss_B.</summary>
public enum Alternative
{
    /// <summary>E[d] != 0, judged by |T| (for permutation tests) or both tails.</summary>
    TwoSided,

    /// <summary>E[d] &gt; 0: model B has the lower loss.</summary>
    Greater,

    /// <summary>E[d] &lt; 0: model A has the lower loss.</summary>
    Less,
}

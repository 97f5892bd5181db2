namespace NflCompute.Core.Statistics;

/// <summary>Ways to adjust p-values for testing many models at once.</summary>
public enum Adjustment
{
    /// <summary>Holm's step-down (controls the family-wise error rate; the default).</summary>
    Holm,

    /// <summary>Bonferroni: min(1, m p).</summary>
    Bonferroni,

    /// <summary>Benjamini-Hochberg (false discovery rate, independent or positively dependent tests).</summary>
    BenjaminiHochberg,

    /// <summary>Benjamini-Yekutieli (false discovery rate under any dependence).</summary>
    BenjaminiYekutieli,

    /// <summary>No adjustment.</summary>
    None,
}

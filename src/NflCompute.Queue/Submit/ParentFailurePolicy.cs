namespace NflCompute.Queue;

/// <summary>What a waiting task does when one of its parents fails or is cancelled.</summary>
public enum ParentFailurePolicy
{
    /// <summary>It fails too, into the dead-letter queue, with the parent named as the reason.</summary>
    Fail,

    /// <summary>It is cancelled.</summary>
    Cancel,
}

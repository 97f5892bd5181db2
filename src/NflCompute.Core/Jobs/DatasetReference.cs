namespace NflCompute.Core.Jobs;

/// <summary>
/// How a job spec names a dataset a parent task made instead of an id: <c>parent:NAME</c>, the
/// dataset the parent's result lists under <c>datasets.NAME</c> (a chain's later steps use it).
/// </summary>
public static class DatasetReference
{
    /// <summary>The prefix of a reference to a parent's dataset.</summary>
    public const string ParentPrefix = "parent:";

    /// <summary>The reference to the dataset a parent's result names <paramref name="name"/>.</summary>
    public static string FromParent(string name) => ParentPrefix + name;
}

namespace NflCompute.Jobs.CompareModels;

/// <summary>One model of a comparison.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Predictions">Dataset id of its predictions.</param>
public sealed record ModelInput(string Name, string Predictions);

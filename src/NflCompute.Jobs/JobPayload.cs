using System.Text.Json;
using NflCompute.Core.Jobs;

namespace NflCompute.Jobs;

/// <summary>Reads a task's payload into its job spec.</summary>
public static class JobPayload
{
    /// <summary>Reads a <paramref name="kind"/> payload.</summary>
    /// <exception cref="JobInputException">It is not valid JSON for <typeparamref name="T"/>; the message names where.</exception>
    public static T Parse<T>(string payload, string kind)
        where T : class
    {
        try
        {
            return (T?)JobJson.DeserializeSpec(payload, typeof(T)) ?? throw new JobInputException($"payload is null; expected a {kind} object.");
        }
        catch (JsonException e)
        {
            throw new JobInputException($"payload is not a valid {kind} input at {e.Path ?? "$"}: {e.Message}", e);
        }
    }
}

using System.Text.Json;
using NflCompute.Core.Jobs;

namespace NflCompute.Jobs;

/// <summary>Reads a task's payload into its job spec.</summary>
public static class JobPayload
{
    /// <summary>Reads the task's payload and checks it against the worker's <see cref="JobContext.Limits"/>.</summary>
    /// <exception cref="JobInputException">It is not valid JSON for <typeparamref name="T"/>, or asks for more than the limits allow; the message names the field.</exception>
    public static T Parse<T>(JobContext context, string kind)
        where T : class, IJobSpec
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = Parse<T>(context.Task.Payload, kind);
        var problems = spec.Problems(context.Limits).ToList();
        return problems.Count == 0 ? spec : throw new JobInputException(string.Join(" ", problems));
    }

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

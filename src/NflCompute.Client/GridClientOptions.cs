using System.ComponentModel.DataAnnotations;
using NflCompute.Core.Configuration;
using NflCompute.Core.Errors;
using NflCompute.Core.Jobs;
using NflCompute.Queue;

namespace NflCompute.Client;

/// <summary>How a client reaches its grid. Bind from configuration sections Redis and Queue (NFLC_Redis__*, NFLC_Queue__*).</summary>
public sealed class GridClientOptions : IValidatableObject
{
    /// <summary>The default of <see cref="DatasetTtl"/>.</summary>
    public static readonly TimeSpan DefaultDatasetTtl = TimeSpan.FromDays(1);

    /// <summary>The default of <see cref="PollInterval"/>.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>The grid's Redis.</summary>
    public RedisOptions Redis { get; set; } = new();

    /// <summary>The grid's queue settings; the namespace must match the workers'.</summary>
    public QueueOptions Queue { get; set; } = new();

    /// <summary>How long an uploaded dataset waits in Redis for a worker to move it to Postgres.</summary>
    /// <value>The default is 1 day.</value>
    [Duration("00:01:00")]
    public TimeSpan DatasetTtl { get; set; } = DefaultDatasetTtl;

    /// <summary>The bounds on what one job may ask for, checked before submitting (section Jobs; the workers check their own too).</summary>
    public JobLimits Limits { get; set; } = new();

    /// <summary>
    /// Who this client submits as, for fair share between submitters (TaskSubmission.Submitter).
    /// The same name on two machines shares one turn.
    /// </summary>
    /// <value>The default is user@machine.</value>
    public string Submitter { get; set; } = DefaultSubmitter();

    /// <summary>
    /// The grid's Postgres as its read-only role (User nflc_reader and its PasswordFile), for results
    /// too big to come back through Redis; unset, such a result is only in Postgres (<c>nflc results</c>).
    /// </summary>
    public NflCompute.Storage.PostgresOptions? ResultsDatabase { get; set; }

    /// <summary>How often a wait checks the task when no event arrives.</summary>
    /// <value>The default is 1 s.</value>
    [Duration("0", Exclusive = true)]
    public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    /// <summary>Throws naming every bad setting, of these options and of the ones they hold.</summary>
    /// <exception cref="OptionsValidationException">A setting cannot work.</exception>
    public void Validate() => OptionsValidationException.ThrowIfAny(SettingsValidator.Problems(this));

    /// <summary>The submitter's name and the nested options; the attributes check the rest.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        var nested = new[] { Redis.Validate(), Queue.Validate(), Limits.Validate(), ResultsDatabase?.Validate() ?? [] }.SelectMany(p => p);
        var submitter = Submitter is not { Length: > 0 and <= 128 } || Submitter.AsSpan().ContainsAnyInRange('\0', ' ')
            ? [$"GridClientOptions.Submitter is '{Submitter}'; it must be 1..128 characters with no spaces or control characters."]
            : Array.Empty<string>();
        return nested.Concat(submitter).Select(p => new ValidationResult(p));
    }

    /// <summary>user@machine, with anything a submitter name may not hold (spaces, control characters) as '_'.</summary>
    public static string DefaultSubmitter()
    {
        var name = $"{Environment.UserName}@{Environment.MachineName}";
        return string.Create(Math.Min(name.Length, 128), name, (span, n) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = n[i] <= ' ' ? '_' : n[i];
            }
        });
    }
}

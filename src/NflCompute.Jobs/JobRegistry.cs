using System.Collections.Frozen;

namespace NflCompute.Jobs;

/// <summary>The handlers of a worker, found by task kind.</summary>
public sealed class JobRegistry
{
    private readonly FrozenDictionary<string, IJobHandler> _handlers;

    /// <summary>Creates the registry; two handlers for one kind is an error.</summary>
    public JobRegistry(IEnumerable<IJobHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var byKind = new Dictionary<string, IJobHandler>(StringComparer.Ordinal);
        foreach (var h in handlers)
        {
            if (!byKind.TryAdd(h.Kind, h))
            {
                throw new ArgumentException($"Two handlers for kind '{h.Kind}'.", nameof(handlers));
            }
        }

        _handlers = byKind.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The kinds this registry runs.</summary>
    public IReadOnlyCollection<string> Kinds => _handlers.Keys;

    /// <summary>The handler for <paramref name="kind"/>.</summary>
    /// <exception cref="JobInputException">No handler runs this kind.</exception>
    public IJobHandler Resolve(string kind) =>
        _handlers.TryGetValue(kind, out var handler)
            ? handler
            : throw new JobInputException($"No handler for task kind '{kind}'; this worker runs {string.Join(", ", _handlers.Keys)}.");
}

using System.Text.RegularExpressions;

namespace NflCompute.Queue.Redis;

/// <summary>
/// Redis ACL users for the grid's roles, each limited to one namespace's keys (<c>~{ns}</c>, <c>~{ns}:*</c>) and
/// channels (<c>&amp;{ns}:*</c>) and to the commands the grid sends: its scripts, the staged-dataset
/// reads and writes, pub/sub and the client's handshake. None can run FLUSHALL, CONFIG, KEYS, or
/// anything on another namespace's keys. Scripts run with their caller's key permissions, so the
/// roles that run the queue's writing scripts (submitter, worker, admin) read and write the grid's
/// keys; the dashboard's user may only read them.
/// </summary>
public static partial class RedisRoles
{
    /// <summary>The roles, as the user names end (nflc-&lt;role&gt;-&lt;namespace&gt;).</summary>
    public static readonly IReadOnlyList<string> All = ["submitter", "worker", "dashboard", "admin"];

    // What every role's client sends, and what the scripts call inside (Redis checks both): data
    // reads and writes, pub/sub, the client's handshake and the scripts; never the dangerous or
    // admin commands (FLUSHALL, KEYS, CONFIG, DEBUG, ...), save what the client reads to learn
    // the server's version, role and, on a cluster, its nodes.
    private const string Commands =
        "-@all +@read +@write +@keyspace +@pubsub -@dangerous -@admin " +
        "+hello +auth +ping +echo +info +role +client|setname +client|id +readonly +readwrite " +
        "+cluster|nodes +cluster|slots +cluster|shards +cluster|info +cluster|myid " +
        "+evalsha +eval +evalsha_ro +eval_ro +script|load +script|exists";

    /// <summary>The user name of <paramref name="role"/> on grid <paramref name="ns"/>.</summary>
    public static string UserOf(string role, string ns) => $"nflc-{role}-{ns}";

    /// <summary>The ACL rules (after the user name and password) for <paramref name="role"/> on <paramref name="ns"/>.</summary>
    public static string RulesOf(string role, string ns)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        if (!All.Contains(role))
        {
            throw new ArgumentException($"'{role}' is not one of the grid's Redis roles ({string.Join(", ", All)}).", nameof(role));
        }

        if (!SafeNamespace().IsMatch(ns))
        {
            throw new ArgumentException($"Namespace '{ns}' has characters an ACL pattern would read as a wildcard; use letters, digits, '-' and '_'.", nameof(ns));
        }

        // The scripts name the grid's prefix itself as their first key, then keys under it.
        var access = role == "dashboard" ? "%R~" : "~";
        return $"resetkeys {access}{{{ns}}} {access}{{{ns}}}:* resetchannels &{{{ns}}}:* &__Booksleeve_MasterChanged {Commands}";
    }

    /// <summary>
    /// Creates or updates the users of grid <paramref name="ns"/>, one per role in
    /// <paramref name="passwords"/>, on every server <paramref name="admin"/> reaches (ACL users are
    /// per server: each node of a cluster has its own). Run with an admin's connection.
    /// </summary>
    public static async Task SetUsersAsync(RedisGateway admin, string ns, IReadOnlyDictionary<string, string> passwords)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(passwords);
        foreach (var server in admin.Servers)
        {
            foreach (var (role, password) in passwords)
            {
                ArgumentException.ThrowIfNullOrEmpty(password);
                object[] args = ["SETUSER", UserOf(role, ns), "reset", "on", ">" + password, .. RulesOf(role, ns).Split(' ', StringSplitOptions.RemoveEmptyEntries)];
                await server.ExecuteAsync("ACL", args).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes the users of grid <paramref name="ns"/> from every server <paramref name="admin"/> reaches.</summary>
    public static async Task RemoveUsersAsync(RedisGateway admin, string ns)
    {
        ArgumentNullException.ThrowIfNull(admin);
        foreach (var server in admin.Servers)
        {
            await server.ExecuteAsync("ACL", ["DELUSER", .. All.Select(r => (object)UserOf(r, ns))]).ConfigureAwait(false);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex SafeNamespace();
}

using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace NflCompute.Queue.Scripts;

/// <summary>
/// The queue's Lua scripts as embedded at build time, each with lua/common.lua prepended, and the
/// SHA-1 of each, by which it is called (EVALSHA).
/// </summary>
public sealed class ScriptLibrary
{
    // Named once (before Embedded, which reads them): every call's span and error message uses its script's name.
    private static readonly FrozenDictionary<QueueScript, string> FileNames = Enum.GetValues<QueueScript>().ToFrozenDictionary(s => s, SnakeFileName);

    private readonly FrozenDictionary<QueueScript, string> _scripts;
    private readonly FrozenDictionary<QueueScript, byte[]> _sha1s;

    private ScriptLibrary(FrozenDictionary<QueueScript, string> scripts)
    {
        _scripts = scripts;
        _sha1s = scripts.ToFrozenDictionary(s => s.Key, s => SHA1.HashData(Encoding.UTF8.GetBytes(s.Value)));
    }

    /// <summary>The library embedded in this assembly.</summary>
    public static ScriptLibrary Embedded { get; } = Load();

    /// <summary>The full text of a script.</summary>
    public string this[QueueScript script] => _scripts[script];

    /// <summary>The SHA-1 of a script's full text: the name Redis keeps it under (EVALSHA).</summary>
    public byte[] Sha1Of(QueueScript script) => _sha1s[script];

    /// <summary>Whether a script only reads (it runs as EVALSHA_RO, so a read-only user may run it).</summary>
    public static bool IsReadOnly(QueueScript script) =>
        script is QueueScript.Counts or QueueScript.Status or QueueScript.Overview or QueueScript.Running or QueueScript.Settings or QueueScript.DlqList or QueueScript.Schedules;

    /// <summary>The file name of a script in lua/, e.g. <c>register_worker.lua</c>.</summary>
    public static string FileName(QueueScript script) => FileNames[script];

    private static string SnakeFileName(QueueScript script)
    {
        var name = script.ToString();
        var snake = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(name[i]));
        }

        return snake.Append(".lua").ToString();
    }

    private static ScriptLibrary Load()
    {
        var assembly = typeof(ScriptLibrary).Assembly;
        var common = Read(assembly, "common.lua");
        var scripts = Enum.GetValues<QueueScript>().ToFrozenDictionary(
            s => s,
            s => common + "\n" + Read(assembly, FileName(s)));
        return new ScriptLibrary(scripts);
    }

    private static string Read(Assembly assembly, string file)
    {
        using var stream = assembly.GetManifestResourceStream("lua/" + file)
            ?? throw new InvalidOperationException($"lua/{file} is not embedded in {assembly.GetName().Name}; the build should have failed.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

namespace NflCompute.Core;

/// <summary>Conversions between <see cref="TaskState"/> and the one-letter codes stored in Redis.</summary>
public static class TaskStates
{
    /// <summary>The state a stored one-letter code stands for.</summary>
    /// <exception cref="FormatException">The code is not one of W, D, P, R, C, F, X.</exception>
    public static TaskState FromCode(char code) => code switch
    {
        'W' => TaskState.Waiting,
        'D' => TaskState.Delayed,
        'P' => TaskState.Pending,
        'R' => TaskState.Running,
        'C' => TaskState.Completed,
        'F' => TaskState.Failed,
        'X' => TaskState.Cancelled,
        _ => throw new FormatException($"'{code}' is not a task state code (expected one of W, D, P, R, C, F, X)."),
    };

    /// <summary>The one-letter code stored for a state.</summary>
    public static char ToCode(this TaskState state) => state switch
    {
        TaskState.Waiting => 'W',
        TaskState.Delayed => 'D',
        TaskState.Pending => 'P',
        TaskState.Running => 'R',
        TaskState.Completed => 'C',
        TaskState.Failed => 'F',
        TaskState.Cancelled => 'X',
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown task state."),
    };

    /// <summary>True for the states a task never leaves on its own: completed, failed, cancelled.</summary>
    public static bool IsFinal(this TaskState state) =>
        state is TaskState.Completed or TaskState.Failed or TaskState.Cancelled;
}

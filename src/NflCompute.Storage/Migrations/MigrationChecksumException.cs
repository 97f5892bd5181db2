using NflCompute.Core.Errors;

namespace NflCompute.Storage.Migrations;

/// <summary>
/// An applied migration's text no longer matches what was applied. Migrations are immutable once
/// applied: add a new one instead of editing an old one.
/// </summary>
public sealed class MigrationChecksumException : NflComputeException
{
    /// <summary>Creates the exception.</summary>
    public MigrationChecksumException(int version, string name, string applied, string current)
        : base($"Migration {version:D4}_{name} was changed after it was applied (checksum {applied[..12]}... applied, {current[..12]}... now). Restore its text and add a new migration for the change.")
        => Version = version;

    /// <summary>The changed migration's version.</summary>
    public int Version { get; }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace NflCompute.Worker.Observability;

/// <summary>
/// Prometheus text format (0.0.4) for the instruments of chosen meters: a MeterListener keeps a
/// running total per counter and label set, and cumulative buckets per histogram.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, Series>> _series = new();

    /// <summary>Starts listening to the meters named.</summary>
    public PrometheusExporter(params string[] meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meters.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Everything recorded so far, as Prometheus text.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        foreach (var (instrument, series) in _series.OrderBy(s => s.Key.Name, StringComparer.Ordinal))
        {
            var histogram = instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);
            var counter = instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal);
            text.Append("# HELP ").Append(instrument.Name).Append(' ').Append(instrument.Description ?? instrument.Name).Append('\n');
            text.Append("# TYPE ").Append(instrument.Name).Append(' ').Append(histogram ? "histogram" : counter ? "counter" : "gauge").Append('\n');
            foreach (var (labels, s) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                lock (s)
                {
                    if (!histogram)
                    {
                        Line(text, instrument.Name, labels, null, s.Sum);
                        continue;
                    }

                    for (var b = 0; b < Buckets.Length; b++)
                    {
                        Line(text, instrument.Name + "_bucket", labels, Buckets[b].ToString(CultureInfo.InvariantCulture), s.Counts[b]);
                    }

                    Line(text, instrument.Name + "_bucket", labels, "+Inf", s.Count);
                    Line(text, instrument.Name + "_sum", labels, null, s.Sum);
                    Line(text, instrument.Name + "_count", labels, null, s.Count);
                }
            }
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new StringBuilder();
        foreach (var tag in tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            labels.Append(labels.Length == 0 ? "" : ",").Append(tag.Key).Append("=\"")
                .Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture)?.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('"');
        }

        var series = _series.GetOrAdd(instrument, _ => new ConcurrentDictionary<string, Series>(StringComparer.Ordinal))
            .GetOrAdd(labels.ToString(), _ => new Series());
        lock (series)
        {
            series.Sum += value;
            series.Count++;
            for (var b = 0; b < Buckets.Length; b++)
            {
                series.Counts[b] += value <= Buckets[b] ? 1 : 0;
            }
        }
    }

    private static void Line(StringBuilder text, string name, string labels, string? le, double value)
    {
        text.Append(name);
        if (labels.Length > 0 || le is not null)
        {
            text.Append('{').Append(labels);
            if (le is not null)
            {
                text.Append(labels.Length > 0 ? "," : "").Append("le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }

    private sealed class Series
    {
        public double Sum { get; set; }

        public long Count { get; set; }

        public long[] Counts { get; } = new long[Buckets.Length];
    }
}

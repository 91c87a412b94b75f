using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NCrontab;
using Serverless2FA.WorkerHost.Rpc;

namespace Serverless2FA.WorkerHost;

/// <summary>The <see cref="InvocationRequest"/>s the Functions host sends, per trigger.</summary>
internal static class TriggerPayloads
{
    /// <summary>
    /// A proxied HTTP request: the request itself goes to the worker's HTTP endpoint, so the trigger's input is an
    /// empty <see cref="RpcHttp"/>; the binding data is the HTTP trigger's (body properties, query values, route
    /// values, then <c>Query</c> and <c>Headers</c> as JSON), from which the worker binds parameters such as route values.
    /// </summary>
    public static async Task<InvocationRequest> HttpAsync(LoadedFunction function, string invocationId, HttpRequest request, RouteValueDictionary route)
    {
        var invocation = New(function, invocationId);
        invocation.InputData.Add(new ParameterBinding { Name = function.Trigger.Name, Data = new TypedData { Http = new RpcHttp() } });

        var data = new Dictionary<string, TypedData>(StringComparer.OrdinalIgnoreCase);
        if (request.ContentLength > 0)
        {
            // The host reads the body for binding data and still forwards it whole: buffer, read, rewind.
            request.EnableBuffering();
            using var reader = new StreamReader(request.Body, leaveOpen: true);
            AddBodyProperties(await reader.ReadToEndAsync().ConfigureAwait(false), data);
            request.Body.Position = 0;
        }

        foreach (var (key, value) in request.Query)
        {
            // "code" carries the function key; the host keeps it out of binding data.
            if (!string.Equals(key, "code", StringComparison.OrdinalIgnoreCase))
            {
                data[key] = new TypedData { String = value.ToString() };
            }
        }

        foreach (var (key, value) in route)
        {
            if (value is not null)
            {
                data[key] = new TypedData { String = Convert.ToString(value, CultureInfo.InvariantCulture) };
            }
        }

        data.TryAdd("Query", Json(request.Query.ToDictionary(q => q.Key, q => q.Value.ToString())));
        data.TryAdd("Headers", Json(request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        foreach (var (key, value) in data)
        {
            invocation.TriggerMetadata.Add(key, value);
        }

        return invocation;
    }

    /// <summary>A timer firing now: the trigger's input is the serialized <c>TimerInfo</c>, its binding data the firing time.</summary>
    public static InvocationRequest Timer(LoadedFunction function, string invocationId, string schedule, DateTimeOffset now)
    {
        var cron = CrontabSchedule.Parse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 });
        var next = cron.GetNextOccurrence(now.UtcDateTime);
        var timer = new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { Last = now.UtcDateTime, Next = next, LastUpdated = now.UtcDateTime },
            IsPastDue = false,
        };
        var invocation = New(function, invocationId);
        invocation.InputData.Add(new ParameterBinding { Name = function.Trigger.Name, Data = Json(timer) });
        invocation.TriggerMetadata.Add("TimerTrigger", new TypedData { String = now.LocalDateTime.ToString(CultureInfo.CurrentCulture) });
        return invocation;
    }

    /// <summary>
    /// A queue message, as the Storage Queues extension hands it to an isolated worker: the trigger's input is the
    /// message as SDK-type binding data (JSON, source <c>AzureStorageQueues</c>, which the worker turns into a
    /// <c>QueueMessage</c>), its binding data the message's fields.
    /// </summary>
    public static InvocationRequest Queue(LoadedFunction function, string invocationId, QueueMessageData message)
    {
        var content = JsonSerializer.SerializeToUtf8Bytes(new
        {
            message.MessageId,
            message.PopReceipt,
            message.MessageText,
            message.DequeueCount,
            InsertedOn = message.InsertedOn.UtcDateTime,
            ExpiresOn = DateTime.MaxValue,
            NextVisibleOn = message.InsertedOn.UtcDateTime,
        });
        var invocation = New(function, invocationId);
        invocation.InputData.Add(new ParameterBinding
        {
            Name = function.Trigger.Name,
            Data = new TypedData
            {
                ModelBindingData = new ModelBindingData
                {
                    Version = "1.0",
                    Source = "AzureStorageQueues",
                    ContentType = "application/json",
                    Content = Google.Protobuf.ByteString.CopyFrom(content),
                },
            },
        });
        invocation.TriggerMetadata.Add("QueueTrigger", new TypedData { String = message.MessageText });
        invocation.TriggerMetadata.Add("Id", new TypedData { String = message.MessageId });
        invocation.TriggerMetadata.Add("PopReceipt", new TypedData { String = message.PopReceipt });
        invocation.TriggerMetadata.Add("DequeueCount", new TypedData { String = message.DequeueCount.ToString(CultureInfo.InvariantCulture) });
        return invocation;
    }

    private static InvocationRequest New(LoadedFunction function, string invocationId) => new()
    {
        InvocationId = invocationId,
        FunctionId = function.FunctionId,
        // The worker reads the trace context of every invocation; the host always sends one.
        TraceContext = new RpcTraceContext
        {
            TraceParent = Activity.Current?.Id ?? $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00",
            TraceState = Activity.Current?.TraceStateString ?? "",
        },
    };

    private static TypedData Json(object value) => new() { Json = JsonSerializer.Serialize(value) };

    /// <summary>A JSON object body's top-level properties become binding data, as the HTTP trigger does.</summary>
    private static void AddBodyProperties(string body, Dictionary<string, TypedData> data)
    {
        if (!body.TrimStart().StartsWith('{'))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var property in document.RootElement.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null))
            {
                // As the HTTP trigger reads it: objects and arrays as JSON, any other value as its text; nulls are left out.
                var value = property.Value;
                data[property.Name] = value.ValueKind switch
                {
                    JsonValueKind.Object or JsonValueKind.Array => new TypedData { Json = value.GetRawText() },
                    JsonValueKind.String => new TypedData { String = value.GetString() },
                    JsonValueKind.True => new TypedData { String = "True" },
                    JsonValueKind.False => new TypedData { String = "False" },
                    _ => new TypedData { String = value.GetRawText() },
                };
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: no binding data from the body, as in the host.
        }
    }
}

/// <summary>A queue message as the host read it from the queue.</summary>
public sealed record QueueMessageData(string MessageId, string PopReceipt, string MessageText, long DequeueCount, DateTimeOffset InsertedOn);

using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Serverless2FA.WorkerHost.Rpc;

namespace Serverless2FA.WorkerHost;

/// <summary>
/// The host's end of <c>FunctionRpc.EventStream</c>: one ordered writer, and answers matched to what asked for them
/// (init and metadata by kind, loads by function id, invocations by invocation id). Logs the worker sends are kept.
/// </summary>
internal sealed class WorkerChannel
{
    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new();
    private readonly TaskCompletionSource<StartStream> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<RpcLog> _log;
    private int _attached;

    public WorkerChannel(Action<RpcLog> log) => _log = log;

    /// <summary>Completes when the worker has opened the stream and said who it is.</summary>
    public Task<StartStream> Started => _started.Task;

    /// <summary>Completes when the stream ends (the worker stopped or died).</summary>
    public Task Ended => _ended.Task;

    /// <summary>Serves the stream the worker opened, until it ends.</summary>
    public async Task AttachAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _attached, 1) == 1)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.AlreadyExists, "This host serves one stream per worker."));
        }

        var writer = WriteAllAsync(responses, cancellationToken);
        try
        {
            while (await requests.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                Receive(requests.Current);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or Grpc.Core.RpcException)
        {
            // The worker went away; what was pending fails below.
        }
        finally
        {
            _outbound.Writer.TryComplete();
            _started.TrySetException(new InvalidOperationException("The worker closed the stream before StartStream."));
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new InvalidOperationException("The worker closed its stream before answering."));
            }

            _ended.TrySetResult();
        }

        await writer.ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="message"/> and waits for the answer filed under <paramref name="key"/>.</summary>
    public async Task<StreamingMessage> RequestAsync(string key, StreamingMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(key, answer))
        {
            throw new InvalidOperationException($"A request '{key}' is already waiting.");
        }

        try
        {
            Send(message);
            return await answer.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    public void Send(StreamingMessage message)
    {
        if (!_outbound.Writer.TryWrite(message))
        {
            throw new InvalidOperationException("The worker's stream is closed.");
        }
    }

    public static string KeyOf(StreamingMessage message) => message.ContentCase switch
    {
        StreamingMessage.ContentOneofCase.WorkerInitResponse => "init",
        StreamingMessage.ContentOneofCase.FunctionMetadataResponse => "metadata",
        StreamingMessage.ContentOneofCase.FunctionLoadResponse => "load:" + message.FunctionLoadResponse.FunctionId,
        StreamingMessage.ContentOneofCase.InvocationResponse => "invocation:" + message.InvocationResponse.InvocationId,
        StreamingMessage.ContentOneofCase.WorkerStatusResponse => "status:" + message.RequestId,
        _ => "",
    };

    private void Receive(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.StartStream:
                _started.TrySetResult(message.StartStream);
                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                _log(message.RpcLog);
                break;
            default:
                if (_pending.TryGetValue(KeyOf(message), out var waiting))
                {
                    waiting.TrySetResult(message);
                }

                break;
        }
    }

    private async Task WriteAllAsync(IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await responses.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The stream ended under the writer.
        }
    }
}

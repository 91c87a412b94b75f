using Grpc.Core;
using Serverless2FA.WorkerHost.Rpc;

namespace Serverless2FA.WorkerHost;

/// <summary>The gRPC service the worker connects to (<c>--functions-uri</c>).</summary>
internal sealed class FunctionRpcService(WorkerChannel channel) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
        => channel.AttachAsync(requestStream, responseStream, context.CancellationToken);
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Serverless2FA.IntegrationTests.Fakes;

/// <summary>
/// Counts how many bytes of a request body the host read, for requests that carry <see cref="Header"/>: the
/// request body is wrapped, as the first middleware, in a stream that counts what is read through it.
/// </summary>
public sealed class BodyReadProbe : IStartupFilter
{
    public const string Header = "X-Test-Body-Probe";

    private readonly ConcurrentDictionary<string, long> _read = new(StringComparer.Ordinal);

    public long BytesRead(string probe) => _read.TryGetValue(probe, out var read) ? read : 0;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers[Header].ToString() is { Length: > 0 } probe)
            {
                _read[probe] = 0;
                context.Request.Body = new CountingStream(context.Request.Body, read => _read.AddOrUpdate(probe, read, (_, total) => total + read));
            }

            return nextMiddleware(context);
        });
        next(app);
    };

    private sealed class CountingStream(Stream inner, Action<int> counted) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            counted(read);
            return read;
        }
    }
}

using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;

namespace Serverless2FA.Core.Events;

/// <summary>
/// The events queue and its poison queue (<c>&lt;queue&gt;-poison</c>, the name the Functions host parks failed messages
/// under), each created on first use. A creation that failed (storage down) is forgotten, so the next call tries again.
/// Messages never expire: a parked event waits until someone replays or deletes it.
/// </summary>
public sealed class EventQueues(QueueServiceClient service, IOptions<EventsOptions> options)
{
    /// <summary>Azure's "never expires" time-to-live; the default would silently drop a message after 7 days.</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private readonly CreatedOnFirstUse _queue = new(service, options.Value.Queue);
    private readonly CreatedOnFirstUse _poison = new(service, PoisonNameOf(options.Value.Queue));

    public string Name => options.Value.Queue;

    public string PoisonName => PoisonNameOf(Name);

    public static string PoisonNameOf(string queue) => queue + "-poison";

    /// <summary>Puts <paramref name="message"/> on the queue, visible after <paramref name="delay"/> (whole seconds, as the service counts them).</summary>
    public async Task SendAsync(EventMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var queue = await _queue.GetAsync(cancellationToken).ConfigureAwait(false);
        await queue.SendMessageAsync(message.ToJson(), Ceiling(delay), NeverExpires, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Parks a message's text in the poison queue, where it stays until it is replayed (README) or deleted.</summary>
    public async Task ParkAsync(string text, CancellationToken cancellationToken)
    {
        var poison = await _poison.GetAsync(cancellationToken).ConfigureAwait(false);
        await poison.SendMessageAsync(text, visibilityTimeout: null, NeverExpires, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The queue, for whoever reads it (the local host's trigger; tests).</summary>
    public Task<QueueClient> QueueAsync(CancellationToken cancellationToken) => _queue.GetAsync(cancellationToken);

    /// <summary>The poison queue, for whoever reads it (tests; a replay).</summary>
    public Task<QueueClient> PoisonQueueAsync(CancellationToken cancellationToken) => _poison.GetAsync(cancellationToken);

    private static TimeSpan Ceiling(TimeSpan delay)
        => delay <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds));

    private sealed class CreatedOnFirstUse(QueueServiceClient service, string name)
    {
        private readonly Lock _gate = new();
        private Task<QueueClient>? _creation;

        public Task<QueueClient> GetAsync(CancellationToken cancellationToken)
        {
            Task<QueueClient> creation;
            lock (_gate)
            {
                if (_creation is null || _creation.IsFaulted || _creation.IsCanceled)
                {
                    _creation = CreateAsync();
                }

                creation = _creation;
            }

            return creation.WaitAsync(cancellationToken);
        }

        private async Task<QueueClient> CreateAsync()
        {
            var queue = service.GetQueueClient(name);
            await queue.CreateIfNotExistsAsync().ConfigureAwait(false);
            return queue;
        }
    }
}

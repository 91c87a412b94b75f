namespace Serverless2FA.Local.Functions;

/// <summary>The functions the local host discovered, looked up by name like Core Tools does (case-insensitive).</summary>
internal sealed class FunctionCatalog(IReadOnlyList<FunctionDescriptor> functions)
{
    private readonly Dictionary<string, FunctionDescriptor> _byName =
        functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<FunctionDescriptor> All => functions;

    public IEnumerable<FunctionDescriptor> Http => functions.Where(f => f.Trigger is HttpTriggerInfo);

    public IEnumerable<FunctionDescriptor> Timers => functions.Where(f => f.Trigger is TimerTriggerInfo);

    public IEnumerable<FunctionDescriptor> Queues => functions.Where(f => f.Trigger is QueueTriggerInfo);

    public FunctionDescriptor? Find(string name) => _byName.GetValueOrDefault(name);
}

using Serverless2FA.Functions;
using Serverless2FA.Local.Hosting;

var builder = WebApplication.CreateBuilder(LocalDefaults.Options(args));
builder.ApplyLocalDefaults(args);
await builder.UseAzuriteWhenNoStorageAsync();
builder.AddServerless2FA();
builder.AddLocalHost();

var app = builder.Build();
app.MapLocalHost();
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory.</summary>
public partial class Program;

using Microsoft.EntityFrameworkCore;
using Serverless2FA.DemoApp;
using Serverless2FA.DemoApp.Data;
using Serverless2FA.DemoApp.TwoFactor;

var builder = WebApplication.CreateBuilder(args);

var database = Path.GetFullPath(builder.Configuration["Demo:Database"] ?? ".local/demo-app.db", builder.Environment.ContentRootPath);
Directory.CreateDirectory(Path.GetDirectoryName(database)!);
builder.Services.AddDbContext<DemoDb>(o => o.UseSqlite($"Data Source={database}"));
builder.Services.AddIdentity<DemoUser, Microsoft.AspNetCore.Identity.IdentityRole>(o =>
    {
        o.User.RequireUniqueEmail = true;
        o.Password.RequiredLength = 10;
        o.Password.RequireNonAlphanumeric = false;
        o.Password.RequireUppercase = false;
    })
    .AddEntityFrameworkStores<DemoDb>()
    .AddServerless2FA();
builder.Services.ConfigureApplicationCookie(o =>
{
    o.LoginPath = "/Account/SignIn";
    o.Cookie.HttpOnly = true;
    o.Cookie.SameSite = SameSiteMode.Lax;
});
builder.Services.AddServerless2FAClient(o => builder.Configuration.GetSection("Serverless2FA").Bind(o));
builder.Services.AddScoped<TwoFactorPanels>();
builder.Services.AddSingleton<EventsSecret>();
builder.Services.AddSingleton<WaitingStatusReads>();
builder.Services.AddRazorPages(o => o.Conventions.AuthorizePage("/Settings"));

var app = builder.Build();
app.Logger.LogInformation("{Events}", app.Services.GetRequiredService<EventsSecret>().Source);
using (var scope = app.Services.CreateScope())
{
    // A demo: the schema is made on first start; delete the file to start over.
    scope.ServiceProvider.GetRequiredService<DemoDb>().Database.EnsureCreated();
}

app.UseSecurityHeaders();
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.MapRazorPages();
app.MapServerless2FAEvents("/webhooks/serverless2fa");
app.Run();

/// <summary>The demo app's entry point (named so tests can start it).</summary>
public partial class Program;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless2FA.AspNetCore;
using Serverless2FA.Client;

namespace Serverless2FA.ClientTests.Infrastructure;

/// <summary>
/// A relying app on ASP.NET Core Identity (Identity's EF Core stores over the EF in-memory database) with
/// <c>AddServerless2FA()</c>, served over https in-process; its endpoints are the calls a log-in page makes.
/// Identity's own lockout is off, so any lockout a test sees is the service's.
/// </summary>
public sealed class IdentityTestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IdentityTestApp(WebApplication app) => _app = app;

    public static async Task<IdentityTestApp> StartAsync(ClientFixture service)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        var database = Guid.NewGuid().ToString("N");
        builder.Services.AddDbContext<IdentityDbContext>(o => o.UseInMemoryDatabase(database));
        builder.Services.AddIdentity<IdentityUser, IdentityRole>(o =>
            {
                o.Lockout.AllowedForNewUsers = false;
                o.Password.RequireNonAlphanumeric = false;
            })
            .AddEntityFrameworkStores<IdentityDbContext>()
            .AddServerless2FA();
        builder.Services.AddServerless2FAClient(o => o.BaseUrl = service.Factory.Server.BaseAddress)
            .ConfigurePrimaryHttpMessageHandler(service.Factory.Server.CreateHandler);

        var app = builder.Build();
        app.UseAuthentication();
        app.MapPost("/signup", async (Credentials c, UserManager<IdentityUser> users) =>
        {
            var user = new IdentityUser(c.Email) { Email = c.Email };
            var created = await users.CreateAsync(user, c.Password);
            return created.Succeeded ? Results.Ok(user.Id) : Results.BadRequest(created.Errors);
        });
        app.MapPost("/enable", async (Credentials c, UserManager<IdentityUser> users) =>
        {
            await users.SetTwoFactorEnabledAsync((await users.FindByNameAsync(c.Email))!, true);
            return Results.NoContent();
        });
        app.MapPost("/signin", async (Credentials c, SignInManager<IdentityUser> signIn)
            => Results.Ok(Describe(await signIn.PasswordSignInAsync(c.Email, c.Password, false, lockoutOnFailure: true))));
        app.MapPost("/code/start", async (SignInManager<IdentityUser> signIn, UserManager<IdentityUser> users, Serverless2FALogin<IdentityUser> login) =>
        {
            var user = await signIn.GetTwoFactorAuthenticationUserAsync();
            if (user is null)
            {
                return Results.Unauthorized();
            }

            await users.GenerateTwoFactorTokenAsync(user, Serverless2FAIdentityOptions.DefaultProviderName);
            return Results.Ok((await login.PendingAsync(user))?.Method?.ToString());
        });
        app.MapPost("/code", async (CodeForm form, SignInManager<IdentityUser> signIn, Serverless2FALogin<IdentityUser> login)
            => Results.Ok(new CodeAnswer(
                Describe(await signIn.TwoFactorSignInAsync(Serverless2FAIdentityOptions.DefaultProviderName, form.Code, false, form.Remember)),
                login.LastCheck?.GetType().Name,
                (login.LastCheck as VerificationCheck.Denied)?.AttemptsLeft)));
        app.MapPost("/code/authenticator", async (CodeForm form, SignInManager<IdentityUser> signIn)
            => Results.Ok(new CodeAnswer(Describe(await signIn.TwoFactorAuthenticatorSignInAsync(form.Code, false, form.Remember)), null, null)));
        app.MapGet("/me", (HttpContext http) => http.User.Identity?.IsAuthenticated == true ? Results.Ok(http.User.Identity.Name) : Results.Unauthorized());
        app.MapPost("/signout", async (SignInManager<IdentityUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.NoContent();
        });

        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<IdentityDbContext>().Database.EnsureCreatedAsync();
        }

        await app.StartAsync();
        return new IdentityTestApp(app);
    }

    /// <summary>A browser: its own cookie jar, over https.</summary>
    public Browser NewBrowser()
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new CookieContainerHandler(cookies) { InnerHandler = _app.GetTestServer().CreateHandler() })
        {
            BaseAddress = new Uri("https://localhost/"),
        };
        return new Browser(client, cookies);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static string Describe(SignInResult result)
        => result.Succeeded ? "Succeeded" : result.RequiresTwoFactor ? "RequiresTwoFactor" : result.IsLockedOut ? "LockedOut" : result.IsNotAllowed ? "NotAllowed" : "Failed";

    public sealed record Credentials(string Email, string Password);

    public sealed record CodeForm(string Code, bool Remember);

    public sealed record CodeAnswer(string Result, string? Check, int? AttemptsLeft);

    public sealed class Browser(HttpClient client, CookieContainer cookies)
    {
        public HttpClient Client => client;

        public CookieContainer Cookies => cookies;

        /// <summary>Set-Cookie headers of the last answer that set any.</summary>
        public IReadOnlyList<string> LastSetCookies { get; private set; } = [];

        public async Task<string> SignUpAsync(string email, string password = "Passw0rd-long")
            => await (await PostAsync("/signup", new Credentials(email, password))).Content.ReadFromJsonAsync<string>() ?? "";

        public Task EnableTwoFactorAsync(string email) => PostAsync("/enable", new Credentials(email, ""));

        public async Task<string> SignInAsync(string email, string password = "Passw0rd-long")
            => await (await PostAsync("/signin", new Credentials(email, password))).Content.ReadFromJsonAsync<string>() ?? "";

        public async Task<string?> StartCodeAsync()
            => JsonSerializer.Deserialize<string?>(await (await PostAsync("/code/start", new { })).Content.ReadAsStringAsync());

        public async Task<CodeAnswer> EnterCodeAsync(string code, bool remember = false)
            => (await (await PostAsync("/code", new CodeForm(code, remember))).Content.ReadFromJsonAsync<CodeAnswer>())!;

        public async Task<CodeAnswer> EnterAuthenticatorCodeAsync(string code)
            => (await (await PostAsync("/code/authenticator", new CodeForm(code, false))).Content.ReadFromJsonAsync<CodeAnswer>())!;

        public async Task<bool> IsSignedInAsync() => (await client.GetAsync("/me")).IsSuccessStatusCode;

        public Task SignOutAsync() => PostAsync("/signout", new { });

        private async Task<HttpResponseMessage> PostAsync(string path, object body)
        {
            var response = await client.PostAsJsonAsync(path, body);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
            {
                LastSetCookies = [.. set];
            }

            return response;
        }
    }
}

using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Serverless2FA.DemoApp.Data;

/// <summary>The demo's users, in a SQLite file: no database server to run.</summary>
public sealed class DemoDb(DbContextOptions<DemoDb> options) : IdentityDbContext<DemoUser>(options);

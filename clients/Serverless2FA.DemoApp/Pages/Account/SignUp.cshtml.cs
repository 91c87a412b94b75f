using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Serverless2FA.DemoApp.Data;

namespace Serverless2FA.DemoApp.Pages.Account;

public sealed class SignUpModel(UserManager<DemoUser> users, SignInManager<DemoUser> signIn) : PageModel
{
    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnPostAsync()
    {
        var user = new DemoUser { UserName = Email.Trim(), Email = Email.Trim() };
        var created = await users.CreateAsync(user, Password);
        if (!created.Succeeded)
        {
            Errors = [.. created.Errors.Select(e => e.Description)];
            return Page();
        }

        await signIn.SignInAsync(user, isPersistent: false);
        return RedirectToPage("/Settings");
    }
}

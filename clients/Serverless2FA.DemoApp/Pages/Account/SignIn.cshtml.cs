using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Serverless2FA.DemoApp.Data;

namespace Serverless2FA.DemoApp.Pages.Account;

public sealed class SignInModel(SignInManager<DemoUser> signIn) : PageModel
{
    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        // The password first; for a user with two-factor on, Identity answers "requires two-factor" unless the
        // service says this computer is remembered.
        var result = await signIn.PasswordSignInAsync(Email.Trim(), Password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Account/TwoStep", new { ReturnUrl });
        }

        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/Settings");
        }

        Error = result.IsLockedOut ? "Too many wrong passwords. Try again in a few minutes." : "The email or the password is not right.";
        return Page();
    }
}

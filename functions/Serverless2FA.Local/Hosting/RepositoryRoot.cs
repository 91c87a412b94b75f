namespace Serverless2FA.Local.Hosting;

/// <summary>Finds the repository root: the nearest folder up that holds both <c>package.json</c> and <c>Serverless2FA.sln</c>.</summary>
public static class RepositoryRoot
{
    /// <summary>Searches up from each start folder in turn; <see langword="null"/> when none is inside the repository.</summary>
    public static string? Find(params string?[] startFolders)
    {
        foreach (var start in startFolders)
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "Serverless2FA.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>Like <see cref="Find"/>, from the base directory and the working directory, or throws.</summary>
    public static string Locate(params string?[] startFolders)
    {
        string?[] starts = [.. startFolders, AppContext.BaseDirectory, Directory.GetCurrentDirectory()];
        return Find(starts) ?? throw new InvalidOperationException(
            $"Cannot find the repository root (a folder with package.json and Serverless2FA.sln) above {string.Join(" or ", starts.Where(s => s is not null))}.");
    }
}

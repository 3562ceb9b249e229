namespace Portal.Jobs;

/// <summary>The worker host: runs the portal's jobs against the shared database (arrives with the jobs issue).</summary>
public static class Program
{
    public static int Main()
    {
        Console.Error.WriteLine("Portal.Jobs: the worker host arrives with the jobs issue; the web host runs everything for now.");
        return 0;
    }
}

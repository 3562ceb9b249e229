using System.Security.Claims;

namespace Portal.Web.Hosting;

/// <summary>Whether the page being rendered gets a circuit: not when its user already holds as many as allowed.</summary>
public sealed class PageAdmission(PerUserLimit<OpenPagesHandler> limit)
{
    /// <summary>Set by <see cref="Check"/>: this page renders statically, with a notice saying why.</summary>
    public bool AtCap { get; private set; }

    public int Max => limit.Max;

    public void Check(ClaimsPrincipal user) => AtCap = limit.IsFull(PerUserLimit<OpenPagesHandler>.Key(user));
}

using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Jobs.Workflow;
using Portal.Web.Identity;

namespace Portal.Web.Components.Shared;

/// <summary>A page that acts for the signed-in user: <see cref="GetActorAsync"/> gives the workflow's <see cref="Actor"/>.</summary>
public abstract class SignedInComponent : ComponentBase
{
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected async Task<Actor> GetActorAsync() => (await AuthenticationState).User.ToActor();
}

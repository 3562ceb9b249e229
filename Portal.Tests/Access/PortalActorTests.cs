using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Portal.Jobs.Workflow;
using Portal.Tests.Postgres;
using Portal.Web.Identity;

namespace Portal.Tests.Access;

/// <summary>
/// Claims to person (<see cref="PortalActor.ToActor"/>) for each way of signing in, with the principals built as the
/// portal's own handlers and options build them: a person's browser cookie and API token are one key.
/// </summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed class PortalActorTests(PortalHost host)
{
    [Fact]
    public void TheDevelopmentCookieAndTokenOfOneUserAreOnePerson()
    {
        var cookie = AsCookieStoresIt(DevelopmentUsers.Principal("bob", [PortalRoles.Approver], CookieAuthenticationDefaults.AuthenticationScheme));
        var token = DevelopmentUsers.Principal("bob", [PortalRoles.Approver], DevelopmentTokenHandler.SchemeName);

        Assert.Equal(PersonId.Development("bob"), cookie.ToActor().Id);
        Assert.Equal(cookie.ToActor().Id, token.ToActor().Id);
        Assert.Equal("bob", cookie.ToActor().DisplayName);
    }

    [Fact]
    public async Task TheOpenIdConnectCookieAndTheProvidersAccessTokenAreOnePersonWhateverNamesTheyShow()
    {
        using var provider = new TestIdentityProvider();
        using var host = new ConfiguredHost(TestIdentityProvider.Settings(await TestDatabase.SettingsAsync()), services => provider.Trust(services));
        var oidc = host.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
        var bearer = host.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        // As the OpenID Connect handler signs a browser in: validate the ID token, run the claim actions over the
        // user info, and keep the principal in the cookie.
        var idToken = await oidc.TokenHandler.ValidateTokenAsync(provider.Token("bob-id", "bob", [PortalRoles.Approver]), Trusting(oidc.TokenValidationParameters, provider));
        Assert.True(idToken.IsValid, idToken.Exception?.Message);
        using var userInfo = JsonDocument.Parse("""{ "sub": "bob-id", "groups": ["approver"] }""");
        foreach (var action in oidc.ClaimActions) action.Run(userInfo.RootElement, idToken.ClaimsIdentity, oidc.ClaimsIssuer ?? OpenIdConnectDefaults.AuthenticationScheme);
        var cookie = AsCookieStoresIt(new ClaimsPrincipal(idToken.ClaimsIdentity));
        // As JWT bearer authenticates an API call, with a token that shows another name.
        var accessToken = await bearer.TokenHandlers[0].ValidateTokenAsync(provider.Token("bob-id", "Robert", [PortalRoles.Approver]), Trusting(bearer.TokenValidationParameters, provider));
        Assert.True(accessToken.IsValid, accessToken.Exception?.Message);
        var api = new ClaimsPrincipal(accessToken.ClaimsIdentity);

        Assert.Equal(TestIdentityProvider.Issuer, cookie.FindFirst(PortalActor.IssuerClaim)?.Value);
        Assert.Equal(new PersonId(TestIdentityProvider.Issuer, "bob-id"), cookie.ToActor().Id);
        Assert.Equal(cookie.ToActor().Id, api.ToActor().Id);
        Assert.Equal(("bob", "Robert"), (cookie.ToActor().DisplayName, api.ToActor().DisplayName));
        Assert.True(cookie.ToActor().MayDecide && api.ToActor().MayDecide);
    }

    [Fact]
    public async Task ACookieFromBeforePeopleHadKeysSignsNobodyIn()
    {
        var cookies = host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        // What the development sign-in wrote into its cookie while people were stored by name: a name and roles, no subject.
        var byName = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "alice"), new Claim(ClaimTypes.Role, PortalRoles.Engineer)],
            CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
        var cookie = cookies.TicketDataFormat.Protect(new AuthenticationTicket(byName, CookieAuthenticationDefaults.AuthenticationScheme));
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/environments") { Headers = { { "Cookie", $"{cookies.Cookie.Name}={cookie}" } } };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin?", BrowserSession.RedirectPath(response));
    }

    [Fact]
    public void ASubjectNoIssuerVouchesForIsNobody()
    {
        var unvouched = new ClaimsPrincipal(new ClaimsIdentity([new Claim(PortalActor.SubjectClaim, "bob")], "test"));

        Assert.Throws<InvalidOperationException>(() => unvouched.ToActor());
    }

    /// <summary>The principal as the cookie handler writes it into the cookie and reads it back.</summary>
    private static ClaimsPrincipal AsCookieStoresIt(ClaimsPrincipal principal) =>
        TicketSerializer.Default.Deserialize(TicketSerializer.Default.Serialize(
            new AuthenticationTicket(principal, CookieAuthenticationDefaults.AuthenticationScheme)))!.Principal;

    /// <summary>The handler's own validation parameters, given the provider's issuer, audience and key as its metadata would.</summary>
    private static TokenValidationParameters Trusting(TokenValidationParameters parameters, TestIdentityProvider provider)
    {
        var trusting = parameters.Clone();
        trusting.ValidIssuer = TestIdentityProvider.Issuer;
        trusting.ValidAudience = TestIdentityProvider.ClientId;
        trusting.IssuerSigningKey = provider.SigningKey;
        return trusting;
    }
}

using System.Reflection;
using Amazon.JSII.Runtime.Deputy;
using Amazon.JSII.Runtime.Services;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Infra.Synthesis;

/// <summary>
/// The process's jsii runtime (jsii's services and their Node child), replaced after <see cref="UsesPerRuntime"/>
/// uses. jsii keeps every object a synth creates, in Node and in .NET, for as long as its runtime lives: Node grew
/// about 0.75 MB a synth (444 → 644 MB over 270 warm synths), so a portal that plans for months would grow without
/// bound. A new runtime costs one cold start (about 4 s of CPU, Node and .NET) per 200 synths of about 200 ms each, 10%.
/// jsii reads its services through <see cref="ServiceContainer.ServiceProviderOverride"/> when set, so the portal
/// builds them itself and can dispose them, which ends their Node. Callers serialize (the synth gate).
/// </summary>
internal static class JsiiRuntime
{
    /// <summary>
    /// jsii remembers in a static list which assemblies it loaded into Node, and a new Node has none of them; its own
    /// test fixture clears the list when it ends a runtime (<c>JsiiTypeAttributeBase.Reset</c>, internal). Looked up
    /// once: a jsii without it fails the first synth that would replace a runtime, loudly.
    /// </summary>
    private static readonly Lazy<Action> ForgetLoadedAssemblies = new(() =>
    {
        var reset = typeof(JsiiTypeAttributeBase).GetMethod("Reset", BindingFlags.NonPublic | BindingFlags.Static, Type.EmptyTypes)
                    ?? throw new InvalidOperationException("jsii's JsiiTypeAttributeBase.Reset is gone: a jsii runtime cannot be replaced");
        return reset.CreateDelegate<Action>();
    });

    private static ServiceProvider? _services;
    private static int _uses;

    /// <summary>Synths (and other jsii uses) one runtime serves before the next use starts a new one.</summary>
    internal static int UsesPerRuntime { get; set; } = 200;

    /// <summary>Whether the next use starts a runtime: none runs yet, or the current one has served its uses.</summary>
    public static bool StartsNext => _services is null || _uses >= UsesPerRuntime;

    /// <summary>Counts one use, starting a runtime when none runs; its Node starts with the process's environment as it is now.</summary>
    public static void BeginUse()
    {
        if (_services is null)
        {
            _services = ServiceContainer.BuildServiceProvider();
            ServiceContainer.ServiceProviderOverride = _services;
        }
        _uses++;
    }

    /// <summary>Ends the runtime, if one runs: its Node leaves (jsii asks it to exit, and kills it after 5 s).</summary>
    public static void Stop()
    {
        if (_services is null)
            return;
        ServiceContainer.ServiceProviderOverride = null;
        _services.Dispose();
        _services = null;
        _uses = 0;
        ForgetLoadedAssemblies.Value();
    }
}

using System.Net;
using System.Net.Sockets;

namespace Portal.Tests.Support;

/// <summary>A loopback port nobody listens on, for a server that must be told its port before it starts.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

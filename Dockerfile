# The portal, web host and worker from one image:
#   docker build -t portal .
#   docker run portal web      (dotnet Portal.Web.dll; listens on :8080)
#   docker run portal worker   (dotnet Portal.Jobs.dll; runs the jobs)
# Configuration by environment variables (README, "Run on AWS ECS"), e.g. Database__Provider=Postgres.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props Portal.sln appsettings.json ./
COPY .config/ .config/
COPY Portal.Infra/Portal.Infra.csproj Portal.Infra/
COPY Portal.Sandbox/Portal.Sandbox.csproj Portal.Sandbox/
COPY Portal.Jobs/Portal.Jobs.csproj Portal.Jobs/
COPY Portal.Web/Portal.Web.csproj Portal.Web/
RUN dotnet restore Portal.Web/Portal.Web.csproj && dotnet restore Portal.Jobs/Portal.Jobs.csproj
COPY Portal.Infra/ Portal.Infra/
COPY Portal.Sandbox/ Portal.Sandbox/
COPY Portal.Jobs/ Portal.Jobs/
COPY Portal.Web/ Portal.Web/
RUN dotnet publish Portal.Web/Portal.Web.csproj -c Release --no-restore -o /out/web \
 && dotnet publish Portal.Jobs/Portal.Jobs.csproj -c Release --no-restore -o /out/worker

# Synthesis runs in the portal's process and starts jsii, which wants Node 22: take the official binary.
FROM node:22-bookworm-slim AS node

FROM mcr.microsoft.com/dotnet/aspnet:10.0
COPY --from=node /usr/local/bin/node /opt/node/bin/node
ENV JSII_NODE=/opt/node/bin/node \
    JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1 \
    ASPNETCORE_HTTP_PORTS=8080 \
    Portal__DataDir=/data \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
WORKDIR /app
COPY --from=build /out/ /app/
RUN printf '#!/bin/sh\nset -e\nrole="${1:-web}"; [ $# -gt 0 ] && shift\ncase "$role" in\n  web) cd /app/web && exec dotnet Portal.Web.dll "$@" ;;\n  worker) cd /app/worker && exec dotnet Portal.Jobs.dll "$@" ;;\n  *) echo "usage: web | worker" >&2; exit 2 ;;\nesac\n' > /usr/local/bin/portal \
 && chmod +x /usr/local/bin/portal && mkdir -p /data && chown "$APP_UID" /data
# The SQLite default keeps its files here; with PostgreSQL nothing is written to disk.
VOLUME /data
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["portal"]
CMD ["web"]

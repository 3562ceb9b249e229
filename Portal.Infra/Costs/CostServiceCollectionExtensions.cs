using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Portal.Infra.Costs;

public static class CostServiceCollectionExtensions
{
    /// <summary>
    /// The price table (section <c>Pricing</c>, validated at start-up against the configured targets) and the
    /// <see cref="CostEstimator"/>. Needs the targets (<c>AddCloudFormation</c>).
    /// </summary>
    public static IServiceCollection AddCostEstimates(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PriceTable>().Bind(configuration.GetSection(PriceTable.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PriceTable>, PriceTableValidator>();
        services.AddSingleton<CostEstimator>();
        return services;
    }
}

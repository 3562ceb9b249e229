using System.Globalization;

namespace Portal.Web.Components.Costs;

/// <summary>Amounts as the estimate shows them: invariant digits, whatever the server's culture.</summary>
public static class Money
{
    public static string Format(decimal amount, string currency) =>
        currency == "USD"
            ? (amount < 0 ? "−$" : "$") + Math.Abs(amount).ToString("N2", CultureInfo.InvariantCulture)
            : (amount < 0 ? "−" : "") + Math.Abs(amount).ToString("N2", CultureInfo.InvariantCulture) + " " + currency;

    /// <summary>A difference with its sign: +$18.02, −$14.77, $0.00.</summary>
    public static string Signed(decimal amount, string currency) => (amount > 0 ? "+" : "") + Format(amount, currency);

    /// <summary>A unit price to its last significant digit ($0.004445).</summary>
    public static string UnitPrice(decimal price, string currency) =>
        (currency == "USD" ? "$" : "") + price.ToString("0.00####", CultureInfo.InvariantCulture) + (currency == "USD" ? "" : " " + currency);

    public static string Quantity(decimal quantity) => quantity.ToString("#,0.###", CultureInfo.InvariantCulture);
}

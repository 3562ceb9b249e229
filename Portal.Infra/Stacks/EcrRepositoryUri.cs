namespace Portal.Infra.Stacks;

/// <summary>A full ECR repository URI, <c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com[.cn]/&lt;name&gt;</c>.</summary>
public sealed record EcrRepositoryUri(string Account, string Region, string Partition, string Name)
{
    public static EcrRepositoryUri? TryParse(string repository)
    {
        var slash = repository.IndexOf('/');
        if (slash < 0) return null;
        var host = repository[..slash].Split('.');
        // 123456789012 . dkr . ecr . us-east-1 . amazonaws . com [. cn]
        if (host.Length is < 6 or > 7 || host[1] != "dkr" || host[2] != "ecr" || host[4] != "amazonaws") return null;
        var partition = host.Length == 7 && host[6] == "cn" ? "aws-cn" : "aws";
        return new EcrRepositoryUri(host[0], host[3], partition, repository[(slash + 1)..]);
    }
}

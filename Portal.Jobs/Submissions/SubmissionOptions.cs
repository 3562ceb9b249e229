namespace Portal.Jobs.Submissions;

/// <summary>
/// Configuration section <c>Submissions</c>: how fast one person may open revisions, and how many of theirs are planned
/// at once. Every revision costs a synthesis and a CloudFormation change set (a create also makes a stack), so a script
/// looping on the API could fill the account's stack quota and hold the plan queue for everyone else.
/// </summary>
public sealed class SubmissionOptions
{
    public const string Section = "Submissions";

    /// <summary>Revisions (requests, changes, destroys) one person may submit within <see cref="Window"/>.</summary>
    public int PerUser { get; set; } = 20;

    /// <summary>The sliding window <see cref="PerUser"/> counts over.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How many of one person's revisions are planned at the same time; the rest wait, and a waiting revision of someone
    /// with fewer plans running goes first (<see cref="Deployments.PlanAdmission"/>).
    /// </summary>
    public int PlansPerUser { get; set; } = 3;

    /// <summary>Throws naming the first invalid setting.</summary>
    public void Validate()
    {
        if (PerUser < 1)
            throw new ArgumentException($"{Section}:PerUser must be at least 1 (was {PerUser}).");
        if (Window <= TimeSpan.Zero)
            throw new ArgumentException($"{Section}:Window must be positive (was {Window}).");
        if (PlansPerUser < 1)
            throw new ArgumentException($"{Section}:PlansPerUser must be at least 1 (was {PlansPerUser}).");
    }
}

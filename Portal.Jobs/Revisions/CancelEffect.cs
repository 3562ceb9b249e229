namespace Portal.Jobs.Revisions;

/// <summary>What cancelling a revision does, by the state it is in (see <see cref="CancelRules"/>).</summary>
public enum CancelEffect
{
    /// <summary>An open revision that is not deploying yet is withdrawn: it ends Cancelled.</summary>
    Withdraw,

    /// <summary>An update that is deploying is cancelled in CloudFormation, which rolls it back; the revision ends Failed.</summary>
    RollBack,
}

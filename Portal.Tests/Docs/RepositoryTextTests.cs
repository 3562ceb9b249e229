using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Tests.Docs;

/// <summary>
/// The repository's text speaks of the portal only and stands on its own: no file tells how the portal was built (work
/// items, numbered steps of its making), nothing points at a place outside the checkout, the README stays a short
/// front page, and every link of the documentation leads to a file (and heading) that exists.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class RepositoryTextTests
{
    /// <summary>
    /// This file, which necessarily spells out every pattern it looks for (in the patterns and in the examples that
    /// prove them), so it is the one file the scan skips.
    /// </summary>
    private const string ThisFile = "Portal.Tests/Docs/RepositoryTextTests.cs";

    /// <summary>Generated or third-party text the repository keeps but does not write.</summary>
    private static readonly string[] NotOurText = ["package-lock.json"];

    private const int ReadmeMaxLines = 200;

    private static readonly Lazy<string> Root = new(FindRoot);

    private static readonly Lazy<IReadOnlyList<string>> TextFiles = new(ListTextFiles);

    /// <summary>
    /// Words that narrate how the project came about, or point outside the repository. "Session" and "issuer" have
    /// domain senses (a browser session, a token's issuer) that none of these match.
    /// </summary>
    private static readonly (string Why, Regex Pattern)[] Narration =
    [
        ("a numbered work item", new(@"\b(issue|session|ticket|step|round|iteration|milestone)s?\s*#?\d+\b", RegexOptions.IgnoreCase)),
        ("a work item by name", new(@"\b(the|this|that|our|previous|earlier|next)\s+([\w-]+\s+)?issue\b", RegexOptions.IgnoreCase)),
        ("a work session", new(@"\b(after|before|since|during|this|that|previous|earlier|later|next|last)\s+session\b(?!\s*(cookie|token|state|storage|key|id|lock|level|-))", RegexOptions.IgnoreCase)),
        ("a ticket", new(@"\btickets?\b", RegexOptions.IgnoreCase)),
        ("a review of the work", new(@"\breview(er)?s?\s+(found|noted|flagged|asked|said|pointed)\b", RegexOptions.IgnoreCase)),
        ("a stand-in that was later replaced", new(@"\breplac\w*\s+the\s+placeholder\b", RegexOptions.IgnoreCase)),
        ("a document outside the repository", new(@"\bDESIGN\.md\b|aws-architecture\.md|\.\./shared\b|\bshared/seed\b|(?<![\w.])/work/", RegexOptions.IgnoreCase)),
        ("the outside design document, by a nickname", new(@"\bthe seed'?s?\b(?!\s+(data|database|of|environments|revisions))", RegexOptions.IgnoreCase)),
    ];

    // The examples are assembled from these words so that the file holds no narrating sentence of its own.
    private const string WorkItem = "issue", Sitting = "session";

    [Theory]
    [InlineData("Every figure of " + WorkItem + " 7 is met.")]
    [InlineData("After " + Sitting + " 3 the queue is fair.")]
    [InlineData("As the jobs " + WorkItem + " asks, plans are fair.")]
    [InlineData("See ticket PORTAL-12.")]
    [InlineData("The review found a race.")]
    [InlineData("The deploy job replaces the placeholder scheduler.")]
    [InlineData("The design is in ../shared/DESIGN.md.")]
    [InlineData("Built from the seed's architecture.")]
    [InlineData("Read /work/shared/seed/aws-architecture.md first.")]
    public void TheNarrationPatternsCatchWhatTheyAreFor(string line) =>
        Assert.NotEmpty(NarrationIn(line));

    [Theory]
    [InlineData("A browser session keeps its cookie; the session has its own antiforgery token.")]
    [InlineData("The token's issuer and subject; an AuthenticationTicket from TicketDataFormat.")]
    [InlineData("jsii leaves temp folders (aws/jsii#700); see aws/aws-sam-cli#2671.")]
    [InlineData("A session-level advisory lock; a new session is asked for while this one still signs.")]
    [InlineData("The placeholder plan scheduler moves a revision to AwaitingApproval at once.")]
    [InlineData("A benchmark database from the seed of 10,000 environments.")]
    public void TheNarrationPatternsLeaveTheDomainsWordsAlone(string line) =>
        Assert.Empty(NarrationIn(line));

    [Fact]
    public void NoFileNarratesHowTheProjectWasBuiltOrPointsOutsideIt()
    {
        var findings = new List<string>();
        foreach (var file in TextFiles.Value)
        {
            var lines = File.ReadAllLines(Path.Combine(Root.Value, file));
            for (var i = 0; i < lines.Length; i++)
                findings.AddRange(NarrationIn(lines[i]).Select(why => $"{file}:{i + 1}: {why}: {lines[i].Trim()}"));
        }

        Assert.True(findings.Count == 0, "Text that narrates how the project was built or points outside it:\n" + string.Join("\n", findings));
    }

    [Fact]
    public void TheReadmeIsAShortFrontPage()
    {
        var lines = File.ReadAllLines(Path.Combine(Root.Value, "README.md")).Length;

        Assert.True(lines <= ReadmeMaxLines, $"README.md has {lines} lines; at most {ReadmeMaxLines}: move details into docs/.");
    }

    [Fact]
    public void EveryLinkOfTheDocumentationLeadsToAFileOrHeadingInTheRepositoryOrToTheWeb()
    {
        var markdown = TextFiles.Value.Where(f => f.EndsWith(".md", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Contains("README.md", markdown);
        var findings = new List<string>();
        foreach (var file in markdown)
        {
            var lines = ProseLines(File.ReadAllLines(Path.Combine(Root.Value, file)));
            foreach (var (number, line) in lines)
                foreach (Match link in MarkdownLink().Matches(InlineCode().Replace(line, "")))
                {
                    var problem = LinkProblem(file, link.Groups["target"].Value);
                    if (problem is not null)
                        findings.Add($"{file}:{number}: {link.Groups["target"].Value}: {problem}");
                }
        }

        Assert.True(findings.Count == 0, "Links that lead nowhere or out of the repository:\n" + string.Join("\n", findings));
    }

    private static IEnumerable<string> NarrationIn(string line) =>
        Narration.Where(n => n.Pattern.IsMatch(line)).Select(n => $"{n.Why} (\"{n.Pattern.Match(line).Value}\")");

    /// <summary>Why <paramref name="target"/>, linked from <paramref name="file"/>, is no good; null when it is.</summary>
    private static string? LinkProblem(string file, string target)
    {
        if (target.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            return null;
        if (SchemeOrRooted().IsMatch(target))
            return "leaves the repository (only http(s) addresses may)";

        var hash = target.IndexOf('#');
        var path = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
        var anchor = hash < 0 ? null : target[(hash + 1)..];
        var linked = path.Length == 0
            ? Path.Combine(Root.Value, file)
            : Path.GetFullPath(Path.Combine(Root.Value, Path.GetDirectoryName(file) ?? "", path));
        var root = Root.Value.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!linked.StartsWith(root, StringComparison.Ordinal) && linked != Root.Value)
            return "leaves the repository";
        if (!File.Exists(linked) && !Directory.Exists(linked))
            return "no such file";
        if (anchor is null || !linked.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            return null;
        return HeadingAnchors(File.ReadAllLines(linked)).Contains(anchor)
            ? null
            : $"no heading with anchor #{anchor} in {Path.GetRelativePath(Root.Value, linked)}";
    }

    /// <summary>The anchors GitHub gives a file's headings: lowercase, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    private static HashSet<string> HeadingAnchors(string[] lines)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, line) in ProseLines(lines))
        {
            var heading = Heading().Match(line);
            if (!heading.Success)
                continue;
            var text = MarkdownLink().Replace(heading.Groups["text"].Value, m => m.Groups["text"].Value);
            var slug = new StringBuilder();
            foreach (var c in text.Trim().ToLowerInvariant())
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                    slug.Append(c);
                else if (c == ' ')
                    slug.Append('-');
            var anchor = slug.ToString();
            var count = seen.GetValueOrDefault(anchor);
            seen[anchor] = count + 1;
            anchors.Add(count == 0 ? anchor : $"{anchor}-{count}");
        }

        return anchors;
    }

    /// <summary>Numbered lines outside fenced code blocks: where links and headings are.</summary>
    private static IEnumerable<(int Number, string Line)> ProseLines(string[] lines)
    {
        var fenced = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (!fenced)
                yield return (i + 1, lines[i]);
        }
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Portal.sln")))
                return folder.FullName;
        throw new InvalidOperationException($"No Portal.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The repository's text files, as paths relative to its root with '/' separators.</summary>
    private static IReadOnlyList<string> ListTextFiles()
    {
        var files = TrackedFiles() ?? UntrackedCheckoutFiles();
        return files
            .Where(f => f != ThisFile && !NotOurText.Contains(Path.GetFileName(f)))
            .Where(f => File.Exists(Path.Combine(Root.Value, f)) && IsText(Path.Combine(Root.Value, f)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>What git tracks or would (new files not ignored), or null where there is no git (a source copy without its history).</summary>
    private static List<string>? TrackedFiles()
    {
        try
        {
            var git = new ProcessStartInfo("git", ["-C", Root.Value, "ls-files", "-z", "--cached", "--others", "--exclude-standard"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(git)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static readonly string[] BuildOutput = ["bin", "obj", "node_modules", ".tools", "TestResults", ".git", "data", "cdk.out"];

    private static List<string> UntrackedCheckoutFiles() =>
        Directory.EnumerateFiles(Root.Value, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root.Value, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.Split('/').SkipLast(1).Any(BuildOutput.Contains))
            .ToList();

    /// <summary>Small files without a NUL byte in their first 8 KiB.</summary>
    private static bool IsText(string path)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length > 2_000_000)
            return false;
        var head = new byte[Math.Min(8192, stream.Length)];
        stream.ReadExactly(head);
        return !head.Contains((byte)0);
    }

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^(#{1,6})\s+(?<text>.*?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    /// <summary>A URI scheme (mailto:, file:, ftp:), an absolute path, or a Windows drive.</summary>
    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9+.-]*:|/|\\)")]
    private static partial Regex SchemeOrRooted();
}

// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace NanoMempool.DocTests
{
    /// <summary>
    /// The project's own links agree: every github.com link to this project, in any Markdown, YAML or nuspec file of
    /// the repository, names the repository the nuspec's projectUrl names, and every link to one of its files points
    /// to a file that exists. The contribution guide and the issue templates are where users look for them.
    /// </summary>
    public class ProjectLinksTests
    {
        private static readonly Regex s_github = new Regex("https://github\\.com/(?<owner>[A-Za-z0-9_.-]+)/(?<repo>[A-Za-z0-9_.-]+?)(?:\\.git)?(?<rest>(?:/[^\\s)\"'<>`]*)?)(?=[\\s)\"'<>`]|$)");

        [Fact]
        public void EveryLinkToThisProject_NamesTheNuspecsRepository_AndAnExistingFile()
        {
            string projectUrl = ProjectUrl();
            Match project = s_github.Match(projectUrl);
            Assert.True(project.Success && project.Groups["rest"].Value.Length == 0, "the nuspec's projectUrl is not a GitHub repository: " + projectUrl);
            string owner = project.Groups["owner"].Value;
            string repo = project.Groups["repo"].Value;

            List<string> wrong = new List<string>();
            int links = 0;
            foreach (string file in ProjectFiles())
            {
                string relative = Path.GetRelativePath(TestPaths.RepoRoot, file);
                foreach (Match link in s_github.Matches(File.ReadAllText(file)))
                {
                    if (!string.Equals(link.Groups["owner"].Value, owner, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;   // another project (nanoFramework, ...)
                    }

                    links++;
                    if (link.Groups["owner"].Value != owner || link.Groups["repo"].Value != repo)
                    {
                        wrong.Add(relative + ": " + link.Value + " (the nuspec says " + owner + "/" + repo + ")");
                        continue;
                    }

                    string rest = link.Groups["rest"].Value.TrimEnd('.', ',', ':', ';');
                    Match blob = Regex.Match(rest, "^/(?:blob|tree)/main/(?<path>[^#?]+)");
                    if (blob.Success && !File.Exists(Path.Combine(TestPaths.RepoRoot, blob.Groups["path"].Value))
                        && !Directory.Exists(Path.Combine(TestPaths.RepoRoot, blob.Groups["path"].Value)))
                    {
                        wrong.Add(relative + ": " + link.Value + " points to nothing in the repository");
                    }
                    else if (!blob.Success && rest.Length > 0 && !Regex.IsMatch(rest, "^/issues(?:/new/choose)?$"))
                    {
                        wrong.Add(relative + ": " + link.Value + " is neither a file of the repository nor its issues");
                    }
                }
            }

            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
            Assert.True(links >= 10, "expected the package readme, CONTRIBUTING.md and the issue templates to link the project; found " + links + " links");
        }

        [Fact]
        public void EveryRelativeMarkdownLink_PointsToAFileOrFolderOfTheRepository()
        {
            Regex relative = new Regex("\\]\\((?<target>[^)\\s#]+)(?:#[^)\\s]*)?\\)");
            List<string> broken = new List<string>();
            int links = 0;
            foreach (string file in ProjectFiles().Where(f => f.EndsWith(".md", StringComparison.Ordinal)))
            {
                foreach (Match link in relative.Matches(File.ReadAllText(file)))
                {
                    string target = link.Groups["target"].Value;
                    if (Regex.IsMatch(target, "^[a-z]+:", RegexOptions.IgnoreCase))
                    {
                        continue;   // https:, mailto: and the like
                    }

                    links++;
                    string path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, Uri.UnescapeDataString(target)));
                    if (!File.Exists(path) && !Directory.Exists(path))
                    {
                        broken.Add(Path.GetRelativePath(TestPaths.RepoRoot, file) + ": " + link.Value);
                    }
                }
            }

            Assert.True(broken.Count == 0, "links to nothing:\n" + string.Join("\n", broken));
            Assert.True(links >= 20, "expected the READMEs and docs to link each other; found " + links + " relative links");
        }

        [Fact]
        public void ContributingGuide_SaysWhereToReportAndHowToTest()
        {
            string guide = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "CONTRIBUTING.md"));
            Assert.Contains(ProjectUrl() + "/issues/new/choose", guide, StringComparison.Ordinal);
            Assert.Contains("./test.sh", guide, StringComparison.Ordinal);
            Assert.Contains("CHANGELOG.md", guide, StringComparison.Ordinal);
        }

        [Fact]
        public void IssueTemplates_HaveTheFrontMatterGitHubNeeds_AndAskForTheCallingContext()
        {
            string folder = Path.Combine(TestPaths.RepoRoot, ".github", "ISSUE_TEMPLATE");
            string[] templates = Directory.GetFiles(folder, "*.md");
            Assert.NotEmpty(templates);
            foreach (string template in templates)
            {
                string text = File.ReadAllText(template).Replace("\r\n", "\n");
                Match front = Regex.Match(text, "\\A---\n(?<yaml>.*?)\n---\n", RegexOptions.Singleline);
                Assert.True(front.Success, Path.GetFileName(template) + ": no YAML front matter");
                Assert.Matches("(?m)^name: \\S", front.Groups["yaml"].Value);
                Assert.Matches("(?m)^about: \\S", front.Groups["yaml"].Value);
            }

            string bug = File.ReadAllText(Path.Combine(folder, "bug_report.md"));
            foreach (string asked in new[] { "package version", "firmware", "Calling context", "new BlockPool(" })
            {
                Assert.Contains(asked, bug, StringComparison.Ordinal);
            }
        }

        private static string ProjectUrl()
        {
            XDocument nuspec = XDocument.Load(Path.Combine(TestPaths.RepoRoot, "NanoMempool.nuspec"));
            return (string)nuspec.Descendants(nuspec.Root.Name.Namespace + "projectUrl").Single();
        }

        private static IEnumerable<string> ProjectFiles()
        {
            string[] skipped = { "bin", "obj", "artifacts", ".git", "packages", "TestResults" };
            Stack<string> folders = new Stack<string>();
            folders.Push(TestPaths.RepoRoot);
            while (folders.Count > 0)
            {
                string folder = folders.Pop();
                foreach (string sub in Directory.GetDirectories(folder).Where(d => !skipped.Contains(Path.GetFileName(d))))
                {
                    folders.Push(sub);
                }

                foreach (string file in Directory.GetFiles(folder).Where(f => f.EndsWith(".md", StringComparison.Ordinal)
                    || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".nuspec", StringComparison.Ordinal)))
                {
                    yield return file;
                }
            }
        }
    }
}

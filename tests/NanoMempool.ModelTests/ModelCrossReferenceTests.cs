// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace NanoMempool.ModelTests
{
    /// <summary>
    /// The C# and the Promela models name their shared steps with the same tags: a comment
    /// "// Model: model/FILE [Name.step] ..." in NanoMempool/*.cs, and "[Name.step]" at the modelled step in model/FILE.
    /// Both directions must hold: every tag the C# cites is in that model, and every step tag of a model is cited
    /// by the C#. No spin run: reads the files only.
    /// </summary>
    public sealed class ModelCrossReferenceTests
    {
        private static readonly Regex CSharpReference = new Regex(@"//\s*Model:\s*model/(?<file>[a-z]+\.pml)(?<tags>(\s*\[[A-Za-z]+\.[A-Za-z]+\])+)");
        private static readonly Regex Tag = new Regex(@"\[(?<tag>[A-Z][A-Za-z]*\.[a-z][A-Za-z]*)\]");

        [Theory]
        [InlineData("nanomempool.pml")]
        [InlineData("blockqueue.pml")]
        public void EveryTagIsInBothTheCSharpAndTheModel(string model)
        {
            string modelPath = SpinRunner.FindModel(model);
            string sources = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(modelPath)), "NanoMempool");
            Assert.True(Directory.Exists(sources), "NanoMempool/ not found beside model/: " + sources);

            HashSet<string> cited = new HashSet<string>();
            foreach (string file in Directory.GetFiles(sources, "*.cs"))
            {
                foreach (Match reference in CSharpReference.Matches(File.ReadAllText(file)))
                {
                    if (reference.Groups["file"].Value == model)
                    {
                        foreach (Match tag in Tag.Matches(reference.Groups["tags"].Value))
                        {
                            cited.Add(tag.Groups["tag"].Value);
                        }
                    }
                }
            }

            HashSet<string> modelled = new HashSet<string>(
                Tag.Matches(File.ReadAllText(modelPath)).Cast<Match>().Select(m => m.Groups["tag"].Value));

            Assert.True(cited.Count > 0, "no '// Model: model/" + model + " [...]' reference in NanoMempool/*.cs");
            string[] missingInModel = cited.Except(modelled).OrderBy(t => t).ToArray();
            string[] missingInCSharp = modelled.Except(cited).OrderBy(t => t).ToArray();
            Assert.True(missingInModel.Length == 0, "cited by the C# but not in model/" + model + ": " + string.Join(" ", missingInModel));
            Assert.True(missingInCSharp.Length == 0, "in model/" + model + " but cited by no '// Model:' comment in NanoMempool/*.cs: " + string.Join(" ", missingInCSharp));
        }
    }
}

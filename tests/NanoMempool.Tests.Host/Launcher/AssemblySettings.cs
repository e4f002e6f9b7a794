// Licensed under the MIT License. See LICENSE in the repository root.

using Xunit;

// One launcher session at a time, like the device: the session and the launcher self-tests share the
// OutputHelper capture, and device tests may be timing-sensitive.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;

namespace NanoMempool.Benchmarks
{
    /// <summary>
    /// BlockQueue on one thread: one enqueue and one dequeue per operation (the handler side and the
    /// consumer's fast path, when a block is already there), against ConcurrentQueue as the baseline; and
    /// the sample's whole per-sample path: TryAlloc, TryEnqueue, Dequeue, Free.
    /// </summary>
    public class QueueBenchmarks
    {
        private const int QueueCapacity = 8;

        private BlockPool _pool;
        private BlockQueue _queue;
        private ConcurrentQueue<Block> _concurrentQueue;
        private Block _block;

        [GlobalSetup]
        public void Setup()
        {
            _pool = new BlockPool(64, QueueCapacity * 2);
            _queue = new BlockQueue(QueueCapacity);
            _concurrentQueue = new ConcurrentQueue<Block>();
            if (!_pool.TryAlloc(out _block))
            {
                throw new InvalidOperationException("A new pool had no free block.");
            }
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _queue.Dispose();
            _pool.Dispose();
        }

        [Benchmark(Baseline = true, Description = "ConcurrentQueue Enqueue+TryDequeue")]
        public Block ConcurrentQueuePair()
        {
            Block block;
            _concurrentQueue.Enqueue(_block);
            _concurrentQueue.TryDequeue(out block);
            return block;
        }

        [Benchmark(Description = "BlockQueue TryEnqueue+TryDequeue")]
        public Block QueueTryPair()
        {
            Block block;
            if (!_queue.TryEnqueue(_block) || !_queue.TryDequeue(out block))
            {
                throw new InvalidOperationException("The queue refused a block or lost it.");
            }

            return block;
        }

        [Benchmark(Description = "BlockQueue TryEnqueue+Dequeue() (block present)")]
        public Block QueueDequeuePair()
        {
            if (!_queue.TryEnqueue(_block))
            {
                throw new InvalidOperationException("The queue refused a block.");
            }

            return _queue.Dequeue();
        }

        [Benchmark(Description = "sample path: TryAlloc+TryEnqueue+Dequeue+Free")]
        public Block SamplePath()
        {
            Block block;
            if (!_pool.TryAlloc(out block) || !_queue.TryEnqueue(block))
            {
                throw new InvalidOperationException("The pool or the queue refused.");
            }

            Block taken = _queue.Dequeue();
            _pool.Free(taken);
            return taken;
        }
    }
}

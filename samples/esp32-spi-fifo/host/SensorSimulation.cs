// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using NanoMempool;

namespace Esp32SpiFifo.Host
{
    /// <summary>
    /// Runs the unchanged <see cref="FifoPipeline"/> and <see cref="Mpu6500Fifo"/> against a <see cref="SimulatedMpu6500"/>
    /// in simulated time, on one thread: the sensor samples at its rate and raises data-ready at each sample; the
    /// handler runs at that time, or later when the interrupt thread is busy elsewhere (--irq-busy), and each call
    /// takes the time its SPI transfers need; the main thread works --process us per frame while it holds the block,
    /// stalls now and then (--stall), and waits when the queue is empty. The same result on every machine.
    /// </summary>
    public static class SensorSimulation
    {
        /// <summary>A handler call's cost beside its SPI bytes (dispatch, pool and queue calls), in us.</summary>
        public const long HandlerOverheadMicroseconds = 30;

        public static SensorResult Run(Options o)
        {
            SimulatedMpu6500 sensor = new SimulatedMpu6500();
            Mpu6500Fifo driver = new Mpu6500Fifo(sensor, FifoPipeline.FramesPerBlock(o.BlockSize));
            byte id = driver.Configure((byte)o.Divider);
            BlockPool pool = new BlockPool(o.BlockSize, o.PoolSize);
            BlockQueue queue = new BlockQueue(o.QueueCapacity);

            long now = 0;          // the interrupt side's clock: what the handler reads as its capture time
            long main = 0;         // the main thread's clock
            long end = (long)(o.DurationSeconds * 1000000);
            FifoPipeline pipeline = new FifoPipeline(pool, queue, driver, () => now);
            sensor.StartClock(0);
            long period = sensor.SamplePeriodMicroseconds;

            SensorResult r = new SensorResult { Options = o, WhoAmI = id, SamplePeriodMicroseconds = period };
            Queue<long> edges = new Queue<long>();
            long irqFreeAt = 0;
            List<long> lateness = new List<long>();
            List<long> ages = new List<long>();
            List<int> framesPerBlock = new List<int>();
            long expected = 0;     // the sample number of the next frame the main thread should see

            // Runs every sensor sample and every handler call due at or before t, in time order.
            void DispatchUntil(long t)
            {
                while (true)
                {
                    long sample = sensor.NextSampleMicroseconds < end ? sensor.NextSampleMicroseconds : long.MaxValue;
                    long dispatch = edges.Count > 0 ? IrqAvailable(o, Math.Max(edges.Peek(), irqFreeAt)) : long.MaxValue;
                    if (sample <= dispatch && sample <= t)
                    {
                        sensor.AdvanceTo(sample);
                        edges.Enqueue(sample);
                    }
                    else if (dispatch <= t)
                    {
                        lateness.Add(dispatch - edges.Dequeue());
                        now = dispatch;
                        long before = sensor.TransferredBytes;
                        pipeline.OnDataReady();
                        irqFreeAt = dispatch + HandlerOverheadMicroseconds + ((sensor.TransferredBytes - before) * 8 * 1000000 / o.SpiClockHertz);
                    }
                    else
                    {
                        return;
                    }
                }
            }

            long NextInterruptEvent()
            {
                long sample = sensor.NextSampleMicroseconds < end ? sensor.NextSampleMicroseconds : long.MaxValue;
                long dispatch = edges.Count > 0 ? IrqAvailable(o, Math.Max(edges.Peek(), irqFreeAt)) : long.MaxValue;
                return Math.Min(sample, dispatch);
            }

            // The main thread's work on each frame, block held: interrupts due meanwhile run "during" it.
            int framesInBlock = 0;
            pipeline.Sink = (x, y, z) =>
            {
                long sampleNumber = expected + (short)(x - (short)expected);   // X carries the sample number, mod 2^16
                if (sampleNumber < expected)
                {
                    r.OutOfOrder++;
                }
                else
                {
                    r.Gaps += sampleNumber - expected;
                    expected = sampleNumber + 1;
                }

                ages.Add(main - ((sampleNumber + 1) * period));
                framesInBlock++;
                main += o.ProcessMicrosecondsPerFrame;
                DispatchUntil(main);
            };

            long nextStall = o.StallEveryMilliseconds > 0 ? o.StallEveryMilliseconds * 1000L : long.MaxValue;
            while (true)
            {
                if (main >= nextStall && main < end)
                {
                    main = Math.Max(main, nextStall) + (o.StallMilliseconds * 1000L);
                    nextStall += o.StallEveryMilliseconds * 1000L;
                    DispatchUntil(main);
                    continue;
                }

                DispatchUntil(main);
                if (queue.Count > 0)
                {
                    framesInBlock = 0;
                    pipeline.ProcessNext(0);
                    framesPerBlock.Add(framesInBlock);
                    continue;
                }

                long next = NextInterruptEvent();
                if (next == long.MaxValue)
                {
                    break;
                }

                // Queue empty: the main thread sleeps in Dequeue until a handler queues a block.
                main = Math.Max(main, next);
            }

            // Sampling has stopped and nothing is queued. Frames still in the FIFO get no further data-ready pulse on
            // the board; here drain calls read them, so that every frame is accounted for.
            while (sensor.FifoCount >= Mpu6500Fifo.FrameSize && r.DrainCalls < 1000)
            {
                r.DrainCalls++;
                pipeline.OnDataReady();
                while (queue.Count > 0)
                {
                    framesInBlock = 0;
                    pipeline.ProcessNext(0);
                    framesPerBlock.Add(framesInBlock);
                }
            }

            r.Seconds = end / 1e6;
            r.NextExpected = expected;
            r.FramesSampled = sensor.FramesWritten + sensor.FramesNotWritten;
            r.FramesNotWritten = sensor.FramesNotWritten;
            r.FramesDiscardedByReset = sensor.FramesDiscardedByReset;
            r.FramesLeftInFifo = sensor.FifoCount / Mpu6500Fifo.FrameSize;
            r.EmptyFifoReads = sensor.EmptyFifoReads;
            r.SensorFifoPeak = sensor.FifoPeak;
            r.FramesDelivered = pipeline.FramesProcessed;
            r.FramesLostQueueFull = pipeline.FramesLostQueueFull;
            r.Events = pipeline.Events;
            r.BlocksQueued = pipeline.BlocksQueued;
            r.BlocksProcessed = pipeline.BlocksProcessed;
            r.DeferredPoolEmpty = pipeline.DeferredPoolEmpty;
            r.DeferredQueueFull = pipeline.DeferredQueueFull;
            r.EmptyReads = pipeline.EmptyReads;
            r.Overflows = pipeline.Overflows;
            r.PoolPeakInUse = pool.Statistics.PeakInUse;
            r.QueueHighWater = queue.Statistics.HighWater;
            r.FreeAtEnd = pool.FreeCount;
            r.FramesPerBlock = framesPerBlock.ToArray();
            r.LatenessMicroseconds = lateness.ToArray();
            r.FrameAgeMicroseconds = ages.ToArray();
            return r;
        }

        // The interrupt thread is busy elsewhere for --irq-busy ms in the middle of every --irq-busy-every ms.
        private static long IrqAvailable(Options o, long t)
        {
            if (o.IrqBusyEveryMilliseconds == 0 || o.IrqBusyMilliseconds == 0)
            {
                return t;
            }

            long every = o.IrqBusyEveryMilliseconds * 1000L;
            long busyFrom = (t / every * every) + (every / 2);
            long busyTo = busyFrom + (o.IrqBusyMilliseconds * 1000L);
            return t >= busyFrom && t < busyTo ? busyTo : t;
        }
    }
}

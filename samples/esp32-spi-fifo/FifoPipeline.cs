// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using NanoMempool;

namespace Esp32SpiFifo
{
    /// <summary>Returns a monotonic time in microseconds (on the device: <c>HighResTimer.GetCurrent()</c>).</summary>
    public delegate long MicrosecondClock();

    /// <summary>Called by <see cref="FifoPipeline.ProcessNext"/> for each frame, in order: X, Y, Z in 1/8192 g.</summary>
    public delegate void FrameSink(int x, int y, int z);

    /// <summary>
    /// The sample's logic, with no hardware in it: the sensor's data-ready handler takes a block, drains the sensor's
    /// FIFO into it, sets the block's <see cref="Block.Length"/> and queues it; the main thread takes blocks, reads their
    /// frames and frees them. Program.cs wires an MPU-6500's INT pin and SPI bus to it on an ESP32; the host
    /// simulation drives the same file with a simulated MPU-6500.
    /// </summary>
    /// <remarks>
    /// <para>Handler (<see cref="OnDataReady"/>): any context, never waits, allocates nothing itself (the SPI driver
    /// call does, see README.md). When it cannot queue a block (queue full, or no free block) it leaves the frames in
    /// the sensor's FIFO and returns: they are read by a later call, so nothing is lost until the FIFO itself fills,
    /// which the handler then counts and resets. A call that finds the FIFO empty (an earlier, late call already
    /// read its frame) frees its block. Main thread (<see cref="ProcessNext"/>, <see cref="Run"/>): may block.</para>
    /// <para>Block layout: [0..3] capture time in us (low 32 bits, little-endian), [4] frames n, then n 6-byte frames
    /// as the sensor sent them; <see cref="Block.Length"/> = 5 + 6n. The SPI burst reads 1 + 6n bytes from [4]: its
    /// first byte, clocked in while the address went out, lands on [4] and is then overwritten with n.</para>
    /// <para>The queue holds fewer blocks than the pool owns (checked by the constructor), like esp32-irq's, so that
    /// a thread's Alloc from the same pool always completes.</para>
    /// </remarks>
    public sealed class FifoPipeline
    {
        /// <summary>Bytes before the frames in a block.</summary>
        public const int HeaderSize = 5;

        /// <summary>The FIFO holds no room for another whole frame at this many bytes: samples are being lost.</summary>
        public const int FifoFullAt = Mpu6500Fifo.FifoSize - Mpu6500Fifo.FrameSize + 1;

        private readonly BlockPool _pool;
        private readonly BlockQueue _queue;
        private readonly Mpu6500Fifo _sensor;
        private readonly MicrosecondClock _clock;
        private readonly int _maxFrames;
        private readonly long _startMicroseconds;

        // Handler-side counters: written by the data-ready handler only (one context), read by the main thread.
        private int _events;
        private int _blocksQueued;
        private int _framesQueued;
        private int _deferredPoolEmpty;
        private int _deferredQueueFull;
        private int _emptyReads;
        private int _overflows;
        private int _framesLostQueueFull;
        private int _fifoPeak;

        // Main-thread state.
        private int _blocksProcessed;
        private int _framesProcessed;
        private int _mostFramesInABlock;
        private long _sumX;
        private long _sumY;
        private long _sumZ;
        private int _peakX;
        private int _peakY;
        private int _peakZ;

        /// <summary>Creates the pipeline over a pool, a queue and a configured sensor the caller made. Threads only.</summary>
        /// <param name="pool">Blocks with room for the header and at least one frame (11 bytes or more).</param>
        /// <param name="queue">A queue with fewer blocks of room than the pool owns.</param>
        /// <param name="sensor">The sensor, created for at least <see cref="FramesPerBlock"/> frames per read.</param>
        /// <param name="clock">The time source for capture times.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">The blocks are too small, or the queue is not smaller than the pool.</exception>
        public FifoPipeline(BlockPool pool, BlockQueue queue, Mpu6500Fifo sensor, MicrosecondClock clock)
        {
            if (pool == null)
            {
                throw new ArgumentNullException("pool");
            }

            if (queue == null)
            {
                throw new ArgumentNullException("queue");
            }

            if (sensor == null)
            {
                throw new ArgumentNullException("sensor");
            }

            if (clock == null)
            {
                throw new ArgumentNullException("clock");
            }

            if (pool.BlockSize < HeaderSize + Mpu6500Fifo.FrameSize)
            {
                throw new ArgumentException("Blocks must hold the 5-byte header and one 6-byte frame.", "pool");
            }

            if (queue.Capacity >= pool.Capacity)
            {
                throw new ArgumentException("The queue must hold fewer blocks than the pool owns, or a thread's Alloc could wait forever.", "queue");
            }

            _pool = pool;
            _queue = queue;
            _sensor = sensor;
            _clock = clock;
            _maxFrames = FramesPerBlock(pool.BlockSize);
            _startMicroseconds = clock();
        }

        /// <summary>Optional work on each frame, run by the main thread before the frame's block is freed.</summary>
        public FrameSink Sink { get; set; }

        /// <summary>Data-ready handler calls so far.</summary>
        public int Events
        {
            get { return _events; }
        }

        /// <summary>Blocks filled and queued, and the frames in them.</summary>
        public int BlocksQueued
        {
            get { return _blocksQueued; }
        }

        /// <summary>Frames read from the sensor and queued.</summary>
        public int FramesQueued
        {
            get { return _framesQueued; }
        }

        /// <summary>Handler calls that left the frames in the FIFO because the pool had no free block.</summary>
        public int DeferredPoolEmpty
        {
            get { return _deferredPoolEmpty; }
        }

        /// <summary>Handler calls that left the frames in the FIFO because the queue was full.</summary>
        public int DeferredQueueFull
        {
            get { return _deferredQueueFull; }
        }

        /// <summary>Handler calls that found the FIFO empty (an earlier call had read its frame).</summary>
        public int EmptyReads
        {
            get { return _emptyReads; }
        }

        /// <summary>Times the FIFO was found full (samples lost on the sensor) and reset.</summary>
        public int Overflows
        {
            get { return _overflows; }
        }

        /// <summary>Frames read but not queued (the queue filled between the check and the enqueue): 0 on the device.</summary>
        public int FramesLostQueueFull
        {
            get { return _framesLostQueueFull; }
        }

        /// <summary>The most bytes a handler call found in the FIFO.</summary>
        public int FifoPeak
        {
            get { return _fifoPeak; }
        }

        /// <summary>Blocks the main thread has taken, read and freed.</summary>
        public int BlocksProcessed
        {
            get { return _blocksProcessed; }
        }

        /// <summary>Frames the main thread has read.</summary>
        public int FramesProcessed
        {
            get { return _framesProcessed; }
        }

        /// <summary>The most frames one block carried.</summary>
        public int MostFramesInABlock
        {
            get { return _mostFramesInABlock; }
        }

        /// <summary>The pool the blocks come from.</summary>
        public BlockPool Pool
        {
            get { return _pool; }
        }

        /// <summary>The queue from the handler to the main thread.</summary>
        public BlockQueue Queue
        {
            get { return _queue; }
        }

        /// <summary>Frames that fit in one block of <paramref name="blockSize"/> bytes (at most 255).</summary>
        public static int FramesPerBlock(int blockSize)
        {
            int frames = (blockSize - HeaderSize) / Mpu6500Fifo.FrameSize;
            return frames > 255 ? 255 : frames;
        }

        /// <summary>
        /// The sensor's data-ready handler (its INT pin's rising edge): drains up to one block's worth of frames from
        /// the sensor's FIFO into a block and queues it. Any context: never waits; allocates nothing itself.
        /// </summary>
        public void OnDataReady()
        {
            _events++;
            long now = _clock();

            // Only this handler enqueues, and the main thread only dequeues: a queue with room now still has it at
            // TryEnqueue. Without room, leave the frames where they are safe, in the sensor's FIFO.
            if (_queue.Count >= _queue.Capacity)
            {
                _deferredQueueFull++;
                return;
            }

            Block block;
            if (!_pool.TryAlloc(out block))
            {
                _deferredPoolEmpty++;
                return;
            }

            int bytes = _sensor.FifoCount();
            if (bytes > _fifoPeak)
            {
                _fifoPeak = bytes;
            }

            int frames = bytes / Mpu6500Fifo.FrameSize;
            if (frames > _maxFrames)
            {
                frames = _maxFrames;
            }

            if (frames == 0)
            {
                _pool.Free(block);
                _emptyReads++;
                return;
            }

            byte[] buffer = block.Buffer;
            _sensor.ReadFrames(buffer, HeaderSize - 1, frames);
            buffer[0] = (byte)now;
            buffer[1] = (byte)(now >> 8);
            buffer[2] = (byte)(now >> 16);
            buffer[3] = (byte)(now >> 24);
            buffer[4] = (byte)frames;
            block.Length = HeaderSize + (frames * Mpu6500Fifo.FrameSize);

            // A full FIFO took no samples for a while: what is left of it is read after a gap, so start it again.
            if (bytes >= FifoFullAt)
            {
                _sensor.ResetFifo();
                _overflows++;
            }

            if (_queue.TryEnqueue(block))
            {
                _blocksQueued++;
                _framesQueued += frames;
            }
            else
            {
                _pool.Free(block);
                _framesLostQueueFull += frames;
            }
        }

        /// <summary>
        /// Main thread: takes one block (waiting up to <paramref name="millisecondsTimeout"/>), reads its frames through
        /// a <c>SpanByte</c> over its filled part and frees it. Threads only.
        /// </summary>
        /// <returns>False when no block came in time.</returns>
        /// <exception cref="InvalidOperationException">A block's length does not match its frame count.</exception>
        public bool ProcessNext(int millisecondsTimeout)
        {
            Block block = _queue.Dequeue(millisecondsTimeout);
            if (block == null)
            {
                return false;
            }

            try
            {
                // Built in a local: on nanoFramework a SpanByte passed to or returned from a method is copied to the heap.
                SpanByte data = new SpanByte(block.Buffer, 0, block.Length);
                int frames = data[HeaderSize - 1];
                if (data.Length != HeaderSize + (frames * Mpu6500Fifo.FrameSize))
                {
                    throw new InvalidOperationException("A block of " + data.Length + " bytes says it holds " + frames + " frames.");
                }

                FrameSink sink = Sink;
                for (int at = HeaderSize; at < data.Length; at += Mpu6500Fifo.FrameSize)
                {
                    int x = (short)((data[at] << 8) | data[at + 1]);
                    int y = (short)((data[at + 2] << 8) | data[at + 3]);
                    int z = (short)((data[at + 4] << 8) | data[at + 5]);
                    Accumulate(x, y, z);
                    if (sink != null)
                    {
                        sink(x, y, z);
                    }
                }

                _framesProcessed += frames;
                _blocksProcessed++;
                if (frames > _mostFramesInABlock)
                {
                    _mostFramesInABlock = frames;
                }
            }
            finally
            {
                _pool.Free(block);
            }

            return true;
        }

        /// <summary>
        /// Main thread, forever: processes blocks and prints <see cref="StatusLine"/> every
        /// <paramref name="reportIntervalMilliseconds"/>. Threads only; never returns.
        /// </summary>
        public void Run(int reportIntervalMilliseconds)
        {
            long interval = reportIntervalMilliseconds * 1000L;
            long nextReport = _clock() + interval;
            while (true)
            {
                ProcessNext(reportIntervalMilliseconds);
                if (_clock() >= nextReport)
                {
                    Console.WriteLine(StatusLine());
                    nextReport += interval;
                }
            }
        }

        /// <summary>One line of counters and the mean acceleration, for the serial console. Threads only (it allocates).</summary>
        public string StatusLine()
        {
            long seconds = (_clock() - _startMicroseconds) / 1000000;
            int frames = _framesProcessed > 0 ? _framesProcessed : 1;
            return "[" + seconds + " s] frames " + _framesProcessed + " in " + _blocksProcessed + " blocks (up to " + _mostFramesInABlock + " per block)"
                + " | deferred: pool empty " + _deferredPoolEmpty + ", queue full " + _deferredQueueFull
                + " | empty reads " + _emptyReads + " | FIFO peak " + _fifoPeak + " B, overflows " + _overflows
                + " | pool free " + _pool.FreeCount + "/" + _pool.Capacity
                + " | mean mg x " + MilliG(_sumX / frames) + " y " + MilliG(_sumY / frames) + " z " + MilliG(_sumZ / frames)
                + " | peak mg x " + MilliG(_peakX) + " y " + MilliG(_peakY) + " z " + MilliG(_peakZ);
        }

        private void Accumulate(int x, int y, int z)
        {
            _sumX += x;
            _sumY += y;
            _sumZ += z;
            _peakX = Peak(_peakX, x);
            _peakY = Peak(_peakY, y);
            _peakZ = Peak(_peakZ, z);
        }

        private static int Peak(int peak, int value)
        {
            int magnitude = value < 0 ? -value : value;
            return magnitude > peak ? magnitude : peak;
        }

        // +-4 g full scale: 8192 per g.
        private static long MilliG(long value)
        {
            return value * 1000 / 8192;
        }
    }
}

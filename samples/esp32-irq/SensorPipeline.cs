// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using NanoMempool;

namespace Esp32Irq
{
    /// <summary>Returns a monotonic time in microseconds (on the device: <c>HighResTimer.GetCurrent()</c>).</summary>
    public delegate long MicrosecondClock();

    /// <summary>
    /// Called by <see cref="SensorPipeline.ProcessNext"/> for each sample, while the main thread still holds the
    /// sample's block: the place for real work on the sample. <paramref name="ageMicroseconds"/> is the time from
    /// capture (in the handler) to now.
    /// </summary>
    public delegate void SampleProcessor(Block sample, long ageMicroseconds);

    /// <summary>
    /// The sample's logic, with no hardware in it: interrupt-style handlers capture samples into pool blocks and
    /// queue them; the main thread takes them, packs them into outgoing packets and frees every block. Program.cs
    /// wires a GPIO pin and a HighResTimer to it on the device; the host simulation drives the same file on Linux.
    /// </summary>
    /// <remarks>
    /// <para>Handlers (<see cref="OnTimerTick"/>, <see cref="OnEdge"/>): any context, never wait, allocate nothing.
    /// A miss is counted by cause: no free block in the pool, or no room in the queue (then the block is freed at
    /// once). Main thread (<see cref="ProcessNext"/>, <see cref="Run(int)"/>, <see cref="Stop"/>): may block.</para>
    /// <para>Forward progress. The main thread allocates its packet block with the blocking
    /// <see cref="BlockPool.Alloc()"/>, and only while it holds no other block. The queue holds fewer blocks than
    /// the pool owns (checked by the constructor), and a handler holds a block only until its TryEnqueue, which
    /// either queues it or frees it. So when the main thread asks, at least one block is free or about to be freed,
    /// and the pool hands it to the waiting main thread before any handler can take it: the Alloc always
    /// returns.</para>
    /// <para>Sample block layout (little-endian): [0] kind (1 = timer, 2 = edge), [1] pin, [2..3] value,
    /// [4..7] sequence number, [8..15] capture time in µs. Packet block layout: [0] 0xA5, [1] records,
    /// [2..3] packet number, then 8-byte records: kind, pin, value (2), capture time low 32 bits (4).</para>
    /// </remarks>
    public sealed class SensorPipeline
    {
        /// <summary>Sample kind written by <see cref="OnTimerTick"/>.</summary>
        public const byte KindTimer = 1;

        /// <summary>Sample kind written by <see cref="OnEdge"/>.</summary>
        public const byte KindEdge = 2;

        /// <summary>Smallest block size the layouts above fit in.</summary>
        public const int MinBlockSize = 16;

        private const int PacketHeaderSize = 4;
        private const int RecordSize = 8;

        private readonly BlockPool _pool;
        private readonly BlockQueue _queue;
        private readonly MicrosecondClock _clock;
        private readonly int _recordsPerPacket;
        private readonly long _startMicroseconds;

        // Handler-side counters: Interlocked, because on the host the two handlers run on two threads.
        private int _events;
        private int _captured;
        private int _droppedPoolEmpty;
        private int _droppedQueueFull;

        // Sequence numbers: each written by one handler only.
        private int _timerSequence;
        private int _edgeSequence;

        // Main-thread state: written by the main thread only.
        private Block _packet;
        private int _packetRecords;
        private int _processed;
        private int _packetsSent;
        private int _checksum;
        private long _longestWaitMicroseconds;
        private long _oldestAgeMicroseconds;

        /// <summary>
        /// Creates the pipeline over a pool and a queue the caller made (and keeps owning). Threads only.
        /// </summary>
        /// <param name="pool">Blocks of at least <see cref="MinBlockSize"/> bytes.</param>
        /// <param name="queue">A queue with fewer blocks of room than the pool owns (see Forward progress).</param>
        /// <param name="clock">The time source for capture times and wait measurements.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">The blocks are too small, or the queue is not smaller than the pool.</exception>
        public SensorPipeline(BlockPool pool, BlockQueue queue, MicrosecondClock clock)
        {
            if (pool == null)
            {
                throw new ArgumentNullException("pool");
            }

            if (queue == null)
            {
                throw new ArgumentNullException("queue");
            }

            if (clock == null)
            {
                throw new ArgumentNullException("clock");
            }

            if (pool.BlockSize < MinBlockSize)
            {
                throw new ArgumentException("Blocks must be at least 16 bytes.", "pool");
            }

            if (queue.Capacity >= pool.Capacity)
            {
                throw new ArgumentException("The queue must hold fewer blocks than the pool owns, or the main thread's Alloc could wait forever.", "queue");
            }

            _pool = pool;
            _queue = queue;
            _clock = clock;
            _recordsPerPacket = (pool.BlockSize - PacketHeaderSize) / RecordSize;
            _startMicroseconds = clock();
        }

        /// <summary>
        /// How long <see cref="ProcessNext"/> waits for its packet block, in ms: <see cref="Timeout.Infinite"/> (the
        /// default; by the forward-progress argument it always returns) or a bound, for test harnesses that must
        /// fail instead of hanging if a block ever leaks.
        /// </summary>
        public int PacketAllocTimeout { get; set; } = Timeout.Infinite;

        /// <summary>Optional work on each sample, run by the main thread before the sample's block is freed.</summary>
        public SampleProcessor Processor { get; set; }

        /// <summary>The pool the samples and packets come from.</summary>
        public BlockPool Pool
        {
            get { return _pool; }
        }

        /// <summary>The queue from the handlers to the main thread.</summary>
        public BlockQueue Queue
        {
            get { return _queue; }
        }

        /// <summary>Handler calls so far (timer ticks and edges).</summary>
        public int Events
        {
            get { return _events; }
        }

        /// <summary>Samples captured and queued.</summary>
        public int Captured
        {
            get { return _captured; }
        }

        /// <summary>Samples lost because the pool had no free block.</summary>
        public int DroppedPoolEmpty
        {
            get { return _droppedPoolEmpty; }
        }

        /// <summary>Samples lost because the queue was full (their block was freed at once).</summary>
        public int DroppedQueueFull
        {
            get { return _droppedQueueFull; }
        }

        /// <summary>Samples the main thread has taken, packed and freed.</summary>
        public int Processed
        {
            get { return _processed; }
        }

        /// <summary>Packets completed (and their blocks freed).</summary>
        public int PacketsSent
        {
            get { return _packetsSent; }
        }

        /// <summary>Sample records that fit in one packet block.</summary>
        public int RecordsPerPacket
        {
            get { return _recordsPerPacket; }
        }

        /// <summary>A running sum over every sent packet's bytes (what a receiver would check).</summary>
        public int Checksum
        {
            get { return _checksum; }
        }

        /// <summary>Longest time the main thread spent blocked in one Dequeue or Alloc, in µs.</summary>
        public long LongestWaitMicroseconds
        {
            get { return _longestWaitMicroseconds; }
        }

        /// <summary>Oldest sample age seen at processing (capture to main thread), in µs.</summary>
        public long OldestAgeMicroseconds
        {
            get { return _oldestAgeMicroseconds; }
        }

        /// <summary>
        /// HighResTimer handler: captures one timer sample. Any context: never waits, allocates nothing.
        /// </summary>
        public void OnTimerTick()
        {
            long now = _clock();
            int sequence = _timerSequence++;

            // A triangle wave stands in for an ADC reading (0..255..0 every 512 samples).
            int phase = sequence & 511;
            int value = phase < 256 ? phase : 511 - phase;
            Capture(KindTimer, 0, value, sequence, now);
        }

        /// <summary>
        /// GPIO ValueChanged handler: captures one edge. Any context: never waits, allocates nothing.
        /// </summary>
        /// <param name="pin">The pin that changed.</param>
        /// <param name="rising">True for a rising edge.</param>
        public void OnEdge(int pin, bool rising)
        {
            long now = _clock();
            int sequence = _edgeSequence++;
            Capture(KindEdge, pin, rising ? 1 : 0, sequence, now);
        }

        /// <summary>
        /// Main thread: takes one sample (waiting up to <paramref name="millisecondsTimeout"/>), packs it into the
        /// current packet and frees its block; sends (and frees) the packet when it is full. Starts a packet with
        /// the blocking <see cref="BlockPool.Alloc()"/> when none is open. Threads only.
        /// </summary>
        /// <returns>False when no sample came in time.</returns>
        /// <exception cref="InvalidOperationException">No packet block within <see cref="PacketAllocTimeout"/>.</exception>
        public bool ProcessNext(int millisecondsTimeout)
        {
            if (_packet == null)
            {
                // We hold no block here: see Forward progress in the class remarks.
                long askedAt = _clock();
                _packet = _pool.Alloc(PacketAllocTimeout);
                NoteWait(askedAt);
                if (_packet == null)
                {
                    throw new InvalidOperationException("No block for a packet in time: blocks have leaked.");
                }

                _packet.Buffer[0] = 0xA5;
                _packet.Buffer[1] = 0;
                WriteUInt16(_packet.Buffer, 2, _packetsSent);
                _packetRecords = 0;
            }

            long waitedFrom = _clock();
            Block sample = _queue.Dequeue(millisecondsTimeout);
            NoteWait(waitedFrom);
            if (sample == null)
            {
                return false;
            }

            byte[] from = sample.Buffer;
            byte[] to = _packet.Buffer;
            int at = PacketHeaderSize + (_packetRecords * RecordSize);
            to[at] = from[0];
            to[at + 1] = from[1];
            to[at + 2] = from[2];
            to[at + 3] = from[3];
            to[at + 4] = from[8];
            to[at + 5] = from[9];
            to[at + 6] = from[10];
            to[at + 7] = from[11];
            _packetRecords++;
            to[1] = (byte)_packetRecords;

            long age = _clock() - ReadInt64(from, 8);
            if (age > _oldestAgeMicroseconds)
            {
                _oldestAgeMicroseconds = age;
            }

            SampleProcessor processor = Processor;
            if (processor != null)
            {
                processor(sample, age);
            }

            _pool.Free(sample);
            _processed++;
            if (_packetRecords == _recordsPerPacket)
            {
                SendPacket();
            }

            return true;
        }

        /// <summary>
        /// Main thread, forever: processes samples and prints <see cref="StatusLine"/> every
        /// <paramref name="reportIntervalMilliseconds"/>. Threads only; never returns.
        /// </summary>
        public void Run(int reportIntervalMilliseconds)
        {
            Run(reportIntervalMilliseconds, Timeout.Infinite);
        }

        /// <summary>
        /// Main thread: as <see cref="Run(int)"/>, but returns once <paramref name="runMilliseconds"/> have passed
        /// (<see cref="Timeout.Infinite"/>: never). The handlers keep running; call <see cref="Stop"/> after them.
        /// Threads only.
        /// </summary>
        public void Run(int reportIntervalMilliseconds, int runMilliseconds)
        {
            long interval = reportIntervalMilliseconds * 1000L;
            long nextReport = _clock() + interval;
            long end = runMilliseconds == Timeout.Infinite ? long.MaxValue : _clock() + (runMilliseconds * 1000L);
            while (_clock() < end)
            {
                ProcessNext(reportIntervalMilliseconds);
                if (_clock() >= nextReport)
                {
                    Console.WriteLine(StatusLine());
                    nextReport += interval;
                }
            }
        }

        /// <summary>
        /// Main thread, after the handlers have stopped: sends the open packet, takes every sample still queued
        /// and frees all blocks, so the pool is whole again. Threads only.
        /// </summary>
        /// <returns>Samples that were still queued (they count as captured, not processed).</returns>
        public int Stop()
        {
            if (_packet != null)
            {
                if (_packetRecords > 0)
                {
                    SendPacket();
                }
                else
                {
                    _pool.Free(_packet);
                    _packet = null;
                }
            }

            int drained = 0;
            Block sample;
            while (_queue.TryDequeue(out sample))
            {
                _pool.Free(sample);
                drained++;
            }

            return drained;
        }

        /// <summary>One line of counters for the serial console. Threads only (it allocates the string).</summary>
        public string StatusLine()
        {
            BlockPoolStatistics pool = _pool.Statistics;
            BlockQueueStatistics queue = _queue.Statistics;
            long seconds = (_clock() - _startMicroseconds) / 1000000;
            return "[" + seconds + " s] samples " + _captured + " processed " + _processed
                + " dropped " + (_droppedPoolEmpty + _droppedQueueFull)
                + " (pool empty " + _droppedPoolEmpty + ", queue full " + _droppedQueueFull + ")"
                + " | pool free " + _pool.FreeCount + "/" + _pool.Capacity + " peak in use " + pool.PeakInUse
                + " | queue " + _queue.Count + "/" + _queue.Capacity + " peak " + queue.HighWater
                + " | waits " + (queue.Waits + pool.Waits) + " longest " + (_longestWaitMicroseconds / 1000) + " ms"
                + " | packets " + _packetsSent;
        }

        // capturedAt: the clock read first thing in the handler, so that the sample's time is the handler's entry.
        private void Capture(byte kind, int pin, int value, int sequence, long capturedAt)
        {
            Interlocked.Increment(ref _events);
            Block block;
            if (!_pool.TryAlloc(out block))
            {
                Interlocked.Increment(ref _droppedPoolEmpty);
                return;
            }

            byte[] buffer = block.Buffer;
            buffer[0] = kind;
            buffer[1] = (byte)pin;
            WriteUInt16(buffer, 2, value);
            WriteInt32(buffer, 4, sequence);
            WriteInt64(buffer, 8, capturedAt);
            if (_queue.TryEnqueue(block))
            {
                Interlocked.Increment(ref _captured);
            }
            else
            {
                _pool.Free(block);
                Interlocked.Increment(ref _droppedQueueFull);
            }
        }

        private void SendPacket()
        {
            // A real application would transmit the packet here (UART, radio, network). The checksum stands in
            // for the receiver, so that a test can see every record arrive.
            byte[] bytes = _packet.Buffer;
            int length = PacketHeaderSize + (_packetRecords * RecordSize);
            int sum = _checksum;
            for (int i = 0; i < length; i++)
            {
                sum += bytes[i];
            }

            _checksum = sum;
            _packetsSent++;
            _pool.Free(_packet);
            _packet = null;
        }

        private void NoteWait(long since)
        {
            long waited = _clock() - since;
            if (waited > _longestWaitMicroseconds)
            {
                _longestWaitMicroseconds = waited;
            }
        }

        private static void WriteUInt16(byte[] buffer, int at, int value)
        {
            buffer[at] = (byte)value;
            buffer[at + 1] = (byte)(value >> 8);
        }

        private static void WriteInt32(byte[] buffer, int at, int value)
        {
            buffer[at] = (byte)value;
            buffer[at + 1] = (byte)(value >> 8);
            buffer[at + 2] = (byte)(value >> 16);
            buffer[at + 3] = (byte)(value >> 24);
        }

        private static void WriteInt64(byte[] buffer, int at, long value)
        {
            WriteInt32(buffer, at, (int)value);
            WriteInt32(buffer, at + 4, (int)(value >> 32));
        }

        private static long ReadInt64(byte[] buffer, int at)
        {
            long value = 0;
            for (int i = 7; i >= 0; i--)
            {
                value = (value << 8) | buffer[at + i];
            }

            return value;
        }
    }
}

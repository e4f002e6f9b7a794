// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    /// <summary>
    /// A bounded first-in first-out queue of <see cref="Block"/>s, for moving blocks filled in interrupt-style
    /// handlers to a thread: handlers call <see cref="TryEnqueue"/>, which never waits and fails when the queue is
    /// full; a thread calls <see cref="Dequeue(int)"/>, which waits for a block. The capacity is fixed at
    /// construction and nothing is allocated after that.
    /// </summary>
    /// <remarks>
    /// <para>Calling contexts, as for <see cref="BlockPool"/>. "Any context" members (<see cref="TryEnqueue"/>,
    /// <see cref="TryDequeue"/>, <see cref="Count"/>, <see cref="Statistics"/>) never wait, take no lock and allocate
    /// nothing: call them from GPIO <c>ValueChanged</c>, <c>HighResTimer</c> and <c>Timer</c> callbacks. "Threads
    /// only" members (<see cref="Dequeue()"/>, <see cref="Dequeue(int)"/>, <see cref="Dispose"/>) may block.</para>
    /// <para>The queue does not own the blocks it carries: whoever dequeues a block holds it and must free it.
    /// When <see cref="TryEnqueue"/> returns false the caller still holds its block (free it and count a drop). A
    /// block is in one queue at most, once: while it is queued, neither <see cref="TryEnqueue"/> (of any queue) nor
    /// <see cref="BlockPool.Free(Block)"/> accepts it.</para>
    /// <para>Give the queue fewer blocks of room than the pool owns, so that a thread's blocking
    /// <see cref="BlockPool.Alloc()"/> can always be served while the queue is full.</para>
    /// </remarks>
    public sealed class BlockQueue : IDisposable
    {
        // Design: a ring of slots, each with a sequence word (D. Vyukov's bounded MPMC queue) on int CAS only, plus
        // one AutoResetEvent for the threads that wait. The counts of enqueued and dequeued blocks are the positions
        // themselves (with their laps), so counting costs the fast path nothing. A block's place is its pool's link
        // (BlockLink.Queued while it is inside a queue), moved by TryEnqueue's CAS and back by TryDequeue.
        //
        // ------------------------------------------------------------------------------------------------
        // INVARIANTS (checked by Validate at quiescent points; written so that a Promela or Coyote
        // model can state them as they are):
        //
        // Positions. _head and _tail count dequeue and enqueue positions modulo _wrap (a multiple of the
        // capacity, about 2^28). Position p lives in slot p % capacity. Each moves forward only, by one
        // successful CAS of the context that claims that position.
        // Q1 Bounds. 0 <= (_tail - _head) mod _wrap <= capacity. Positions in [_head, _tail) are claimed by a
        //    producer and not yet by a consumer.
        // Q2 Slot life cycle. For the slot s of position p, _marks[s] goes through exactly
        //       Mark(p, empty)  --producer wins CAS _tail p->p+1, writes _slots[s]-->  Mark(p, full)
        //       Mark(p, full)   --consumer wins CAS _head p->p+1, reads _slots[s]-->  Mark(p+capacity, empty)
        //    and each arrow is taken by the one context that won the CAS for p (so no two contexts ever
        //    write the same slot at once). The mark is written with Interlocked.Exchange, after the slot.
        // Q3 Ownership. A block handed to a successful TryEnqueue is in exactly one slot until exactly one
        //    consumer takes it; no block is lost or duplicated. At quiescence: enqueued - dequeued == Count
        //    == number of full marks, and every full slot holds a distinct non-null block. An empty slot is not
        //    cleared: it may still name the block it held last (a reference nobody reads, overwritten by the next
        //    lap's producer), since on the interpreter a null store would cost about 2% of a handler's cycle.
        // Q4 FIFO. Blocks leave in position order; a block is returned only after every block of an earlier
        //    position was taken. (A producer that claimed p and has not yet published makes the queue look
        //    empty to consumers until it does: they report "empty", never skip p.)
        // Q5 No sleeping beside a ready block. A thread sleeps in Dequeue only after it counted itself in
        //    _sleepers and then failed to take the head block. Every publish reads _sleepers after its
        //    fenced mark write and calls Set() if it is not 0; every sleeper that takes a block, gives up
        //    or sees Dispose passes the Set() on if the next head block is ready (or the queue is disposed)
        //    and sleepers remain. Hence whenever the head block is ready and a thread sleeps, the event is
        //    set or an awake thread is on its way to take that block. See WAKE-UP comments.
        // Q6 ABA. A stale CAS on _head or _tail can succeed only if exactly a multiple of _wrap (at least
        //    4,096 * capacity) positions passed between its read and its CAS.
        //
        // MODEL (for the Promela/Coyote checks; each line is one atomic step, as on the nano interpreter,
        // where a context can be switched out between any two of them). Memory order: the publish XCHG is also
        // the fence between the mark write and the read of _sleepers (Q5); the consumer's mark write is plain,
        // kept after its read of the slot by the interpreter (one thread at a time), x86-64 (a load is never passed
        // by a later store) and ARM64 (the address dependency through the block it read; see TryDequeue).
        //   enqueue(b): t := _tail; m := _marks[t%C];
        //               [m == Mark(t,empty)] CAS(_tail, t, t+1) -> _slots[t%C] := b; XCHG(_marks[t%C], Mark(t,full));
        //                                                          s := _sleepers; [s != 0] Set
        //               [m behind t] -> return full;  [else] -> retry with a fresh _tail
        //   take():     h := _head; m := _marks[h%C];
        //               [m == Mark(h,full)] CAS(_head, h, h+1) -> b := _slots[h%C];
        //                                                          _marks[h%C] := Mark(h+C,empty); return b
        //               [m not ahead of h] -> return empty;  [else] -> retry with a fresh _head
        //   dequeue:    take() or: INC(_sleepers); loop { [_disposed] break; take() or WaitOne };
        //               DEC(_sleepers); s := _sleepers; [s != 0 && (_disposed || head ready)] Set
        //   dispose:    XCHG(_disposed, 1); Set
        //   The event is one boolean: Set makes it true (or releases one waiter); WaitOne waits for true and
        //   makes it false. Properties: Q1-Q4 always; no lost block (every enqueued block is dequeued
        //   exactly once or is still in the queue); liveness of Q5: a sleeper is never blocked forever while
        //   the head block is published, nor after Dispose. Small bounds suffice: C = 1 and 2, two producers
        //   (one may be "interrupt-like": never waits), two sleepers, positions wrapping every 3 to 4 laps
        //   (WRAP = 4 for C = 1, 3C for C = 2: Distance needs WRAP/2 > C; the model's header says why).
        // ------------------------------------------------------------------------------------------------

        /// <summary>Largest capacity: the most blocks one pool can own.</summary>
        public const int MaxCapacity = FreeListWord.MaxBlocks;

        // Positions wrap below this bound (rounded down to a multiple of the capacity).
        private const int PositionRange = 0x10000000;

        private readonly int _capacity;

        // Positions run 0 .. _wrap - 1; _wrap is a multiple of _capacity and at most 2^28.
        private readonly int _wrap;

        // The blocks: a slot whose mark is full holds its position's block; an empty one holds null or the block it
        // held last (Q3).
        private readonly Block[] _slots;

        // Per-slot sequence words: Mark(position, full) = position * 2 + (full ? 1 : 0) (see Q2).
        private readonly int[] _marks;

        // Threads blocked in Dequeue wait here; Set() by producers and by passing sleepers (Q5).
        private readonly AutoResetEvent _ready = new AutoResetEvent(false);

        private readonly BlockQueueStatistics _statistics;

        // Next position to dequeue.
        private int _head;

        // Next position to enqueue.
        private int _tail;

        // Times _head and _tail wrapped to 0 (for the enqueued and dequeued counts).
        private int _headLaps;
        private int _tailLaps;

        // Threads inside Dequeue's waiting loop (counted before their last check; see Q5).
        private int _sleepers;

        private int _disposed;

        // Most blocks in the queue just after an enqueue, since construction or the last reset.
        private int _highWater;

        // EventCounts pairs: rejected because full, waits, timeouts.
        private readonly int[] _counts = new int[BlockQueueStatistics.CountsLength];

        /// <summary>
        /// Creates an empty queue that holds up to <paramref name="capacity"/> blocks. Allocates its ring now and
        /// nothing after. Threads only.
        /// </summary>
        /// <param name="capacity">Blocks the queue can hold: 1 to <see cref="MaxCapacity"/>.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is out of range.</exception>
        public BlockQueue(int capacity)
        {
            if (capacity < 1 || capacity > MaxCapacity)
            {
                throw new ArgumentOutOfRangeException("capacity", "Must be 1 to " + MaxCapacity + ".");
            }

            _capacity = capacity;
            _wrap = (PositionRange / capacity) * capacity;
            _slots = new Block[capacity];
            _marks = new int[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _marks[i] = i << 1;
            }

            _statistics = new BlockQueueStatistics(this);
        }

        /// <summary>Blocks the queue can hold, as given to the constructor. Any context, never waits.</summary>
        public int Capacity
        {
            get { return _capacity; }
        }

        /// <summary>
        /// Blocks in the queue now (a snapshot; it counts a block whose <see cref="TryEnqueue"/> is still in
        /// progress). Any context, never waits, O(1).
        /// </summary>
        public int Count
        {
            get
            {
                int head = _head;
                return Depth(_tail, head);
            }
        }

        /// <summary>True once <see cref="Dispose"/> has run. Any context, never waits.</summary>
        public bool IsDisposed
        {
            get { return _disposed != 0; }
        }

        /// <summary>
        /// The queue's counters (enqueued, dequeued, rejected because full, waits, timeouts, high-water mark):
        /// one live object, created with the queue. Any context, never waits.
        /// </summary>
        public BlockQueueStatistics Statistics
        {
            get { return _statistics; }
        }

        /// <summary>
        /// Appends a block if there is room. Any context (interrupt handlers included): never waits, takes no
        /// lock, allocates nothing; wakes one thread waiting in <see cref="Dequeue(int)"/>, if any.
        /// </summary>
        /// <param name="block">A block the caller holds; on success the queue carries it to a consumer.</param>
        /// <returns>
        /// True when the block was queued. False when the queue is full: the caller still holds the block and
        /// should free it (and count a drop).
        /// </returns>
        /// <exception cref="ArgumentNullException"><paramref name="block"/> is null.</exception>
        /// <exception cref="InvalidOperationException">
        /// <paramref name="block"/> is not held (it was freed), or is already in a queue (this one or another); the
        /// pool and every queue are unchanged.
        /// </exception>
        /// <exception cref="ObjectDisposedException">The queue has been disposed (checked before the block).</exception>
        public bool TryEnqueue(Block block)
        {
            if (block == null)
            {
                throw new ArgumentNullException("block");
            }

            // ThrowIfDisposed, written out (a call costs as much as several checks on the interpreter).
            if (_disposed != 0)
            {
                throw new ObjectDisposedException("BlockQueue");
            }

            // A block is in one place at a time. A freed block must not travel (it could then be free and queued at
            // once, and have two holders), nor a queued one (two consumers would get it). One CAS moves the block's
            // link from held to queued: exact even when two contexts enqueue, or free, the same block at once; the
            // loser is refused. From here the block is the queue's until a consumer takes it (TryDequeue moves it
            // back to held), and Free refuses it; a full queue (below) gives the mark back. A poisoning pool's
            // blocks are HeldChecked: they take MarkQueuedChecked, which keeps the flag, or is refused. The queue
            // writes the pool's link itself, by BlockLink's named states, instead of calling a method of the pool:
            // on the interpreter that call would cost about 5% of a TryAlloc + TryEnqueue + TryDequeue + Free cycle.
            // Model: model/blockqueue.pml [TryEnqueue.own]
            if (Interlocked.CompareExchange(ref block._pool._links[block._slot], BlockLink.Queued, BlockLink.Held) != BlockLink.Held)
            {
                MarkQueuedChecked(block);
            }

            // Model: model/blockqueue.pml [TryEnqueue.read]
            int position = _tail;
            int[] marks = _marks; // read twice below: once into a local (see TryDequeue)
            while (true)
            {
                int slot = position % _capacity;
                // Model: model/blockqueue.pml [TryEnqueue.mark]
                int mark = marks[slot];
                if (mark == position << 1)
                {
                    // The slot is empty for this very position: claim the position (Q2, first arrow).
                    int next = position + 1;
                    if (next == _wrap)
                    {
                        next = 0;
                    }

                    // Model: model/blockqueue.pml [TryEnqueue.cas]
                    if (Interlocked.CompareExchange(ref _tail, next, position) == position)
                    {
                        // Publish: Mark(position, full), which is mark | 1 since mark is Mark(position, empty).
                        // Model: model/blockqueue.pml [TryEnqueue.slot] [TryEnqueue.publish]
                        _slots[slot] = block;
                        Interlocked.Exchange(ref marks[slot], mark | 1);
                        if (next == 0)
                        {
                            Interlocked.Increment(ref _tailLaps);
                        }

                        // The queue's length after our enqueue, as one unsigned comparison on the common path. _head
                        // is read after our publish, so consumers may already have passed `next`: then the difference
                        // is negative (huge unsigned) or wraps to about _wrap, is above the capacity, and is no record.
                        if ((uint)(next - _head) > (uint)_highWater)
                        {
                            RecordHighWater(next);
                        }

                        // WAKE-UP (publish side), paired with the check after "Interlocked.Increment(ref
                        // _sleepers)" in Dequeue: our fenced mark write comes before this read of _sleepers,
                        // and the sleeper's fenced increment comes before its read of the mark. So either it
                        // sees our block, or we see it counted and Set(); a Set() with nobody waiting stays
                        // latched for its WaitOne.
                        // Model: model/blockqueue.pml [TryEnqueue.wake] [TryEnqueue.set]
                        if (_sleepers != 0)
                        {
                            _ready.Set();
                        }

                        return true;
                    }
                }
                else if (Distance(mark >> 1, position) < 0)
                {
                    // The slot still holds (or is being emptied of) the block from one lap ago: with _tail at
                    // this position that means capacity blocks are in the queue. Full: the caller holds the block
                    // again.
                    // Model: model/blockqueue.pml [TryEnqueue.unown]
                    block._pool._links[block._slot] += BlockLink.QueuedOffset;
                    EventCounts.Increment(_counts, BlockQueueStatistics.RejectedFullAt);
                    return false;
                }

                // Another producer claimed this position since we read _tail.
                // Model: model/blockqueue.pml [TryEnqueue.reread]
                position = _tail;
            }
        }

        /// <summary>
        /// Takes the oldest block if one is ready. Any context: never waits, takes no lock, allocates nothing.
        /// Still works after <see cref="Dispose"/>, so that the owner can drain and free the blocks left.
        /// </summary>
        /// <param name="block">The block, now held by the caller; null when the method returns false.</param>
        /// <returns>False when the queue is empty.</returns>
        public bool TryDequeue(out Block block)
        {
            // Fields read twice are read once, into locals: on the interpreter a field load costs several local
            // loads (these three locals, and TryEnqueue's marks, save about 3% of a handler's TryAlloc + TryEnqueue +
            // TryDequeue + Free cycle).
            // Model: model/blockqueue.pml [TryDequeue.read]
            int position = _head;
            int[] marks = _marks;
            int capacity = _capacity;
            int wrap = _wrap;
            while (true)
            {
                int slot = position % capacity;
                // Model: model/blockqueue.pml [TryDequeue.mark]
                int mark = marks[slot];
                if (mark == ((position << 1) | 1))
                {
                    // The slot holds this position's block: claim the position (Q2, second arrow). Our CAS is a
                    // full fence, so the slot read below sees the producer's write, which came before its mark.
                    int next = position + 1;
                    if (next == wrap)
                    {
                        next = 0;
                    }

                    // Model: model/blockqueue.pml [TryDequeue.cas]
                    if (Interlocked.CompareExchange(ref _head, next, position) == position)
                    {
                        // The slot keeps its reference until the next lap's producer overwrites it (Q3).
                        // Model: model/blockqueue.pml [TryDequeue.slot]
                        Block taken = _slots[slot];

                        // Queued -> held: the consumer holds the block now (TryEnqueue's mark, given back).
                        // Model: model/blockqueue.pml [TryDequeue.own]
                        taken._pool._links[taken._slot] += BlockLink.QueuedOffset;
                        block = taken;
                        int free = position + capacity;
                        if (free >= wrap)
                        {
                            free -= wrap;
                        }

                        // Hands the slot to the producer of the next lap. A plain store: it follows our read of the
                        // slot, and no store-load pair needs a fence here (producers never sleep on it). What keeps the
                        // slot read before it: the interpreter runs one thread at a time; x86-64 never lets a later
                        // store pass a load; on ARM64 the read of taken._pool, whose address comes from the slot read,
                        // precedes this store, which orders the slot read before it (an address dependency followed by
                        // a store). The .NET memory model alone does not order an ordinary read before a later
                        // ordinary write: on host .NET this relies on the JIT not hoisting the store above those reads.
                        // Model: model/blockqueue.pml [TryDequeue.free]
                        marks[slot] = free << 1;
                        if (next == 0)
                        {
                            Interlocked.Increment(ref _headLaps);
                        }

                        return true;
                    }
                }
                else if (Distance(mark >> 1, position) <= 0)
                {
                    // Not yet published for this position (or never enqueued): empty (Q4).
                    block = null;
                    return false;
                }

                // Another consumer took this position since we read _head.
                // Model: model/blockqueue.pml [TryDequeue.reread]
                position = _head;
            }
        }

        /// <summary>
        /// Takes the oldest block, waiting as long as it takes for one. Threads only: may block. Never call it
        /// from an interrupt handler or timer callback.
        /// </summary>
        /// <returns>A block the caller now holds.</returns>
        /// <exception cref="ObjectDisposedException">The queue is disposed, before or during the wait.</exception>
        /// <exception cref="InvalidOperationException">Called on nanoFramework's interrupt thread (a GPIO or HighResTimer handler), where it could stall every other interrupt.</exception>
        public Block Dequeue()
        {
            return Dequeue(Timeout.Infinite);
        }

        /// <summary>
        /// Takes the oldest block, waiting up to <paramref name="millisecondsTimeout"/> for one. Threads only:
        /// may block (except with a timeout of 0). Waiting allocates nothing.
        /// </summary>
        /// <param name="millisecondsTimeout">0 polls, <see cref="Timeout.Infinite"/> (-1) waits forever.</param>
        /// <returns>A block the caller now holds, or null if none came in time.</returns>
        /// <exception cref="ArgumentOutOfRangeException">The timeout is negative and not -1.</exception>
        /// <exception cref="ObjectDisposedException">The queue is disposed, before or during the wait.</exception>
        /// <exception cref="InvalidOperationException">
        /// Called with a timeout other than 0 on nanoFramework's interrupt thread (a GPIO or HighResTimer handler), where
        /// it could stall every other interrupt.
        /// </exception>
        public Block Dequeue(int millisecondsTimeout)
        {
            if (millisecondsTimeout != 0 && CallingContext.IsInterruptThread())
            {
                throw CallingContext.BlockingInHandler("BlockQueue.Dequeue", "In a handler call TryDequeue, or Dequeue(0), which never wait.");
            }

            Deadline.CheckTimeout(millisecondsTimeout);

            // Model: model/blockqueue.pml [Dequeue.disposed0]
            ThrowIfDisposed();
            Block block;
            if (TryDequeue(out block))
            {
                return block;
            }

            if (millisecondsTimeout == 0)
            {
                EventCounts.Increment(_counts, BlockQueueStatistics.TimeoutsAt);
                return null;
            }

            EventCounts.Increment(_counts, BlockQueueStatistics.WaitsAt);
            long deadline = Deadline.After(millisecondsTimeout);
            // Model: model/blockqueue.pml [Dequeue.inc]
            Interlocked.Increment(ref _sleepers);
            bool disposed = false;
            bool leaving = false;
            try
            {
                while (true)
                {
                    // Disposal first: once it is seen, waiters leave with ObjectDisposedException even if blocks
                    // are left (the owner drains those with TryDequeue).
                    // Model: model/blockqueue.pml [Dequeue.disposed]
                    if (_disposed != 0)
                    {
                        disposed = true;
                        break;
                    }

                    // WAKE-UP (wait side), paired with the publish in TryEnqueue: we are counted in _sleepers
                    // (a fenced increment) before this check, so a block published after the check finds us
                    // counted and Set()s, and the WaitOne below returns at once.
                    if (TryDequeue(out block))
                    {
                        break;
                    }

                    int wait = Deadline.MillisecondsLeft(deadline);
                    if (wait == 0)
                    {
                        break;
                    }

                    // A true return may be stale (a Set() latched for a sleeper that has since left): the loop
                    // re-checks, so that costs a turn, never a block. The sleep is a nap (Deadline.Nap): a Set() that
                    // never comes, because a producer left by an exception between its publish and its Set(), costs
                    // at most Deadline.RecheckMilliseconds.
                    // Model: model/blockqueue.pml [Dequeue.wait]
                    _ready.WaitOne(Deadline.Nap(wait), false);
                }

                leaving = true;
            }
            finally
            {
                // Model: model/blockqueue.pml [Dequeue.dec]
                Interlocked.Decrement(ref _sleepers);

                // WAKE-UP (hand-on side): one AutoResetEvent carries one Set() however many producers called it,
                // so a thread leaving the wait passes a Set() on when another block is ready or the queue is
                // disposed and sleepers remain (Q5). Without this, two blocks published to two sleepers before
                // either woke would wake only one of them. It runs on every exit, an exception included: a thread
                // aborted in its WaitOne may have taken a Set() with it.
                // Model: model/blockqueue.pml [Dequeue.passon]
                if (_sleepers != 0 && (_disposed != 0 || IsHeadReady()))
                {
                    _ready.Set();
                }

                // A thread leaving by an exception after it took a block passes the block on rather than take it
                // with it: back into the queue for the next consumer, or, if there is no room (or the queue was
                // disposed meanwhile), home to its pool.
                if (!leaving && block != null)
                {
                    PassOnTaken(block);
                }
            }

            if (disposed)
            {
                throw new ObjectDisposedException("BlockQueue");
            }

            if (block == null)
            {
                EventCounts.Increment(_counts, BlockQueueStatistics.TimeoutsAt);
            }

            return block;
        }

        // Gives a block that a consumer leaving by an exception had already taken to the next consumer, or home.
        // Threads only (Dequeue's exceptional exit); never waits.
        private void PassOnTaken(Block block)
        {
            if (_disposed == 0)
            {
                try
                {
                    if (TryEnqueue(block))
                    {
                        return;
                    }
                }
                catch (ObjectDisposedException)
                {
                    // Disposed since the check: the block goes home instead.
                }
            }

            block._pool.Free(block);
        }

        /// <summary>
        /// Disposes the queue: every thread waiting in <see cref="Dequeue(int)"/> wakes with
        /// <see cref="ObjectDisposedException"/>, and later <see cref="TryEnqueue"/> and <see cref="Dequeue(int)"/>
        /// calls throw it. Blocks still in the queue stay there: take them with <see cref="TryDequeue"/> and free
        /// them. Calling it again does nothing. Threads only; never waits.
        /// </summary>
        /// <exception cref="InvalidOperationException">Called on nanoFramework's interrupt thread (a GPIO or HighResTimer handler), where it could stall every other interrupt.</exception>
        public void Dispose()
        {
            if (CallingContext.IsInterruptThread())
            {
                throw CallingContext.BlockingInHandler("BlockQueue.Dispose", "Dispose the queue from a thread.");
            }

            // Model: model/blockqueue.pml [Dispose.xchg]
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            // Wakes one sleeper; each sleeper that sees _disposed passes the Set() on (Q5), so all wake.
            // Model: model/blockqueue.pml [Dispose.set]
            _ready.Set();
        }

        // TryEnqueue's mark for a block that was not Held: HeldChecked (a poisoning pool's) -> QueuedChecked by one
        // CAS; anything else is refused. Any context.
        // Throws InvalidOperationException: The block is free, retired, or already in a queue.
        private static void MarkQueuedChecked(Block block)
        {
            const int HeldChecked = BlockLink.HeldChecked;
            int link = Interlocked.CompareExchange(ref block._pool._links[block._slot], HeldChecked - BlockLink.QueuedOffset, HeldChecked);
            if (link == HeldChecked)
            {
                return;
            }

            throw new InvalidOperationException(BlockLink.IsQueued(link)
                ? "The block is already in a BlockQueue: a block can be in one queue once."
                : "The block is not held: it was freed before TryEnqueue.");
        }

        /// <summary>
        /// On-demand integrity audit: checks that the positions, the slots and their marks agree (Q1-Q3), that every
        /// queued block is in the queue once and marked queued in its pool, and that the counts add up. Returns a
        /// clear result instead of throwing. Exact while no other context uses the queue: run it at a quiet moment.
        /// Any context, never waits; O(capacity squared); allocates nothing unless it finds a problem.
        /// </summary>
        /// <param name="problem">null when consistent, else a sentence naming the first inconsistency.</param>
        /// <returns>True when consistent.</returns>
        public bool Validate(out string problem)
        {
            problem = Audit();
            return problem == null;
        }

        // The audit behind Validate: null, or the first violation.
        private string Audit()
        {
            int head = _head;
            int tail = _tail;
            int count = Distance(tail, head);
            if (count < 0 || count > _capacity)
            {
                return "head " + head + " and tail " + tail + " are " + count + " apart; capacity is " + _capacity + ".";
            }

            for (int i = 0; i < _capacity; i++)
            {
                int position = Advance(head, i);
                int slot = position % _capacity;
                bool queued = i < count;
                int expected = (position << 1) | (queued ? 1 : 0);
                if (_marks[slot] != expected)
                {
                    return "Slot " + slot + " has mark " + _marks[slot] + ", expected " + expected + ".";
                }

                // An empty slot may still name the block it held last (Q3): only full slots are checked.
                if (queued && _slots[slot] == null)
                {
                    return "Slot " + slot + " is queued but holds no block.";
                }

                if (queued && !BlockLink.IsQueued(_slots[slot]._pool._links[_slots[slot]._slot]))
                {
                    return "Block " + _slots[slot].Index + " is in the queue but its pool does not mark it queued.";
                }

                for (int j = 0; queued && j < i; j++)
                {
                    if (_slots[Advance(head, j) % _capacity] == _slots[slot])
                    {
                        return "Block " + _slots[slot].Index + " is in the queue twice.";
                    }
                }
            }

            long balance = _statistics.Enqueued - _statistics.Dequeued;
            if (balance != count)
            {
                return "enqueued - dequeued = " + balance + " but the queue holds " + count + ".";
            }

            return null;
        }

        // Positions taken so far at one end: laps * _wrap + position. Any context; a snapshot.
        internal long Taken(bool tail)
        {
            while (true)
            {
                int laps = tail ? _tailLaps : _headLaps;
                int position = tail ? _tail : _head;
                // The second read of the laps is a CAS that writes back what it finds, so that it is a real read
                // after the position's on host .NET (see BlockPool.WordUnchanged).
                int again = tail
                    ? Interlocked.CompareExchange(ref _tailLaps, laps, laps)
                    : Interlocked.CompareExchange(ref _headLaps, laps, laps);
                if (again == laps)
                {
                    return ((long)laps * _wrap) + position;
                }
            }
        }

        // Raises the high-water mark to the queue's length up to end (the position after an enqueue just published),
        // read again here: consumers only move _head on, so this length is at most the one TryEnqueue saw, and never
        // more than the queue held at this read. No record when consumers have passed end (a negative difference, or
        // one that wraps to about _wrap). Any context.
        private void RecordHighWater(int end)
        {
            int depth = end - _head;
            if (depth < 0)
            {
                depth += _wrap;
            }

            if (depth <= _capacity)
            {
                Watermark.RaiseTo(ref _highWater, depth);
            }
        }

        // The high-water mark. Any context.
        internal int HighWater
        {
            get { return _highWater; }
        }

        // Restarts the high-water mark from 0. Any context.
        internal void ResetHighWater()
        {
            Interlocked.Exchange(ref _highWater, 0);
        }

        // The event counters (see BlockQueueStatistics). Any context.
        internal int[] Counts
        {
            get { return _counts; }
        }

        // True when the block at the head is published. Any context; a snapshot.
        private bool IsHeadReady()
        {
            // Model: model/blockqueue.pml [IsHeadReady.read] [IsHeadReady.mark]
            int position = _head;
            return _marks[position % _capacity] == ((position << 1) | 1);
        }

        // Blocks between two positions, clamped to 0..capacity (reads race; a snapshot).
        private int Depth(int tail, int head)
        {
            int depth = Distance(tail, head);
            if (depth < 0)
            {
                return 0;
            }

            return depth > _capacity ? _capacity : depth;
        }

        // position + steps, wrapping at _wrap (steps is 0 to capacity).
        private int Advance(int position, int steps)
        {
            int next = position + steps;
            return next >= _wrap ? next - _wrap : next;
        }

        // a - b as a signed number of positions, in (-_wrap/2, _wrap/2].
        private int Distance(int a, int b)
        {
            int d = a - b;
            if (d > _wrap / 2)
            {
                return d - _wrap;
            }

            return d <= -(_wrap / 2) ? d + _wrap : d;
        }

        private void ThrowIfDisposed()
        {
            if (_disposed != 0)
            {
                throw new ObjectDisposedException("BlockQueue");
            }
        }
    }
}

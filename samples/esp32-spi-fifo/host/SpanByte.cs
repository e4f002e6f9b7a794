// Licensed under the MIT License. See LICENSE in the repository root.

namespace System
{
    /// <summary>
    /// Host stand-in for nanoFramework mscorlib's <c>System.SpanByte</c> (host .NET has none), so that the sample's
    /// device files compile unchanged here: a view of part of a byte array with exactly the members the sample uses.
    /// A <c>ref struct</c>, like the real one; its checks are stricter (any index outside the view throws).
    /// </summary>
    public readonly ref struct SpanByte
    {
        private readonly byte[] _array;
        private readonly int _start;
        private readonly int _length;

        /// <summary>A view of <paramref name="length"/> bytes of the array from <paramref name="start"/>.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The range is not inside the array.</exception>
        public SpanByte(byte[] array, int start, int length)
        {
            int size = array == null ? 0 : array.Length;
            if (start < 0 || length < 0 || start > size - length)
            {
                throw new ArgumentOutOfRangeException(nameof(length), "The range is not inside the array.");
            }

            _array = array;
            _start = start;
            _length = length;
        }

        /// <summary>Bytes in the view.</summary>
        public int Length => _length;

        /// <summary>The byte at <paramref name="index"/> of the view.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The index is outside the view.</exception>
        public byte this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_length)
                {
                    throw new ArgumentOutOfRangeException(nameof(index), "Index out of range.");
                }

                return _array[_start + index];
            }
        }
    }
}

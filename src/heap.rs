//! The wasm heap: one free list per power-of-two size class (8 B to 2 GiB), memory taken from
//! `memory.grow` in steps of at least 64 KiB and never returned. A freed block goes to the front
//! of its class's list and is the next one handed out. It replaces talc (−0.38 KB brotli): the SDK's
//! allocations are small and short-lived (strings, events, batches), so a block is never split
//! or merged and the cost of rounding up is bounded by 2×. Single-threaded (wasm32 without
//! atomics).

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

const CLASSES: usize = 29; // 8 << 28 = 2 GiB
const PAGE: usize = 65_536;

/// The allocator (see the module).
pub struct Heap {
    state: UnsafeCell<State>,
}

struct State {
    /// The first free block of each class (0: none); a free block holds the next one's address.
    free: [usize; CLASSES],
    /// Never-used memory: `next..end`.
    next: usize,
    end: usize,
}

// SAFETY: wasm32 without atomics has one thread.
unsafe impl Sync for Heap {}

impl Heap {
    /// An empty heap.
    pub const fn new() -> Heap {
        Heap { state: UnsafeCell::new(State { free: [0; CLASSES], next: 0, end: 0 }) }
    }
}

/// The size class of an allocation: the smallest `c` with `8 << c >= max(size, align)`.
pub fn class(layout: Layout) -> usize {
    let s = layout.size().max(layout.align()).max(8);
    (usize::BITS - (s - 1).leading_zeros()) as usize - 3
}

unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let c = class(layout);
        if c >= CLASSES {
            return null_mut();
        }
        let st = &mut *self.state.get();
        let head = st.free[c];
        // Blocks are 8-aligned; one for a larger alignment is taken from the list only if it fits.
        if head != 0 && head % layout.align() == 0 {
            st.free[c] = *(head as *const usize);
            return head as *mut u8;
        }
        let size = 8usize << c;
        let mut start = (st.next + layout.align() - 1) & !(layout.align() - 1);
        if start + size > st.end || st.end == 0 {
            let pages = (size + layout.align()).div_ceil(PAGE).max(1);
            let old = core::arch::wasm32::memory_grow(0, pages);
            if old == usize::MAX {
                return null_mut();
            }
            let base = old * PAGE;
            if base != st.end {
                st.next = base; // not contiguous with what was left: start afresh
            }
            st.end = base + pages * PAGE;
            start = (st.next + layout.align() - 1) & !(layout.align() - 1);
        }
        st.next = start + size;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let c = class(layout);
        let st = &mut *self.state.get();
        *(ptr as *mut usize) = st.free[c];
        st.free[c] = ptr as usize;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align_unchecked(new_size, layout.align());
        if class(new) == class(layout) {
            return ptr; // still fits its block
        }
        let p = self.alloc(new);
        if !p.is_null() {
            core::ptr::copy_nonoverlapping(ptr, p, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        p
    }
}

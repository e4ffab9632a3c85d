//go:build linux

package followup

import (
	"syscall"
	"unsafe"
)

// hugePages asks Linux to back a large, freshly made slice with 2 MB
// pages (transparent huge pages in "madvise" mode, the usual default). The
// indexes and the grouped visits are read at random: with 4 KB pages
// nearly every access also misses the TLB. A refusal changes nothing but
// speed, so errors are ignored.
func hugePages[T any](s []T) {
	const page = 4096
	size := uintptr(cap(s)) * unsafe.Sizeof(*new(T))
	if size < 4<<20 {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), size)
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	skip := (page - start%page) % page
	end := (start + size) &^ (page - 1)
	syscall.Madvise(b[skip:end-start], syscall.MADV_HUGEPAGE)
}

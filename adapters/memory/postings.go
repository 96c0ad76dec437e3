package memory

import (
	"math/bits"
	"slices"
)

// postings is the set of ordinals of one trigram's cars: list (sorted) while it is sparse, else bits (bit n set:
// car n has the trigram; list is then nil). n is the number of cars in either form.
type postings struct {
	list []uint32
	bits []uint64
	n    int
}

// has reports whether n is in p.
func (p *postings) has(n uint32) bool {
	if p.list == nil && p.bits != nil {
		return int(n/64) < len(p.bits) && p.bits[n/64]&(1<<(n%64)) != 0
	}
	_, ok := slices.BinarySearch(p.list, n)
	return ok
}

// add puts n into p and reports whether it was not there; cars is the dealer's number of ordinals, which decides
// the form: a bitmap (cars/8 bytes at most) once the list would take more bytes (4 per entry).
func (p *postings) add(n uint32, cars int) bool {
	if p.bits != nil {
		w := int(n / 64)
		if w < len(p.bits) && p.bits[w]&(1<<(n%64)) != 0 {
			return false
		}
		if w >= len(p.bits) {
			p.bits = append(p.bits, make([]uint64, w+1-len(p.bits))...)
		}
		p.bits[w] |= 1 << (n % 64)
		p.n++
		return true
	}
	i, found := slices.BinarySearch(p.list, n)
	if found {
		return false
	}
	p.list = slices.Insert(p.list, i, n)
	p.n++
	if p.n >= 64 && 32*p.n >= cars {
		p.toBits()
	}
	return true
}

// drop takes n out of p and reports whether it was there. A bitmap naming fewer than a 64th of the dealer's cars
// becomes a list again.
func (p *postings) drop(n uint32, cars int) bool {
	if p.bits != nil {
		w := int(n / 64)
		if w >= len(p.bits) || p.bits[w]&(1<<(n%64)) == 0 {
			return false
		}
		p.bits[w] &^= 1 << (n % 64)
		p.n--
		if 64*p.n < cars {
			p.toList()
		}
		return true
	}
	i, found := slices.BinarySearch(p.list, n)
	if !found {
		return false
	}
	p.list = slices.Delete(p.list, i, i+1)
	p.n--
	return true
}

// toBits turns p into its bitmap form.
func (p *postings) toBits() {
	b := make([]uint64, p.list[len(p.list)-1]/64+1)
	for _, n := range p.list {
		b[n/64] |= 1 << (n % 64)
	}
	p.bits, p.list = b, nil
}

// toList turns p into its sorted-list form.
func (p *postings) toList() {
	l := make([]uint32, 0, p.n)
	l = appendBits(l, p.bits)
	p.bits, p.list = nil, l
}

// appendBits appends the numbers of the set bits of b to l, ascending.
func appendBits(l []uint32, b []uint64) []uint32 {
	for w, x := range b {
		for x != 0 {
			l = append(l, uint32(w*64+bits.TrailingZeros64(x)))
			x &= x - 1
		}
	}
	return l
}

//go:build race

package tm

// raceEnabled makes the slowest tests smaller: the race detector slows the
// naive scan they compare against about tenfold.
const raceEnabled = true

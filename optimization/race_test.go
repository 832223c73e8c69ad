//go:build race

package optimization

const raceEnabled = true

package main

import "testing"

// TestMain_runs runs the example end to end (it exits non-zero on failure).
func TestMainRuns(t *testing.T) { main() }

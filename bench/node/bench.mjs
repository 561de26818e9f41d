// Moved to benches/node/bench.mjs (kept so `make bench-node` keeps working until the Makefile
// points there).
await import("../../benches/node/bench.mjs");

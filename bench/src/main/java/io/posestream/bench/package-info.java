/**
 * The benchmarks behind `posestream bench`: each measures throughput next to its limit in the same run and prints a
 * table with the machine noted. Uses the modules' public API only. Layer 3 (entry points), module bench.
 */
package io.posestream.bench;

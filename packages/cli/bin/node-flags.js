/**
 * The flags every Drydock process gives Node, wherever it starts one: the launcher's `#!` line, the
 * container's entry point, scripts/start.sh, the test harness and the benchmarks (a test holds
 * them to this list).
 *
 * `--max-semi-space-size=4` (MiB): a smaller young generation than V8's default. A scan streams
 * hundreds of MB of decompressed chunks and file copies through short-lived Buffers whose memory
 * lies outside the heap; with the default young generation they outlived the few scavenges and
 * V8 ran a full mark-compact every few dozen MB (15-19 in one scan of a 357 MB layer). Measured on
 * the benchmark images (bench/RESULTS.md, 2026-11-28): a million-file image 2.41 -> 1.93 s and
 * peak RSS 376 -> 283 MB; debian-node 1.27 -> 1.20 s; a warm re-scan 309-336 -> 282-301 ms. V8
 * reads it only when the process starts, so it cannot be set from inside.
 */
export const nodeFlags = Object.freeze(['--max-semi-space-size=4']);

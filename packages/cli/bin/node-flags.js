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
 *
 * `--initial-old-space-size=64` (MiB): the old generation may reach 64 MiB before V8 sizes it from
 * what survives. A scan starts with a small old generation (~20 MiB live) and a steady stream of
 * promoted short-lived objects, so V8 otherwise ran a mark-compact every 70-100 ms early in a scan
 * (up to 16 in a million-file scan). Measured on the benchmark images (bench/RESULTS.md,
 * 2026-11-28 afternoon, best of 3, with and without): million-files 2.24 -> 2.01 s and peak RSS
 * 324 -> 281 MB; go-binaries 1.22 -> 1.09 s; python-java 1.12 -> 1.05 s; debian-node 1.16 ->
 * 1.20 s; peak RSS of the others within 16 MB either way.
 */
export const nodeFlags = Object.freeze(['--max-semi-space-size=4', '--initial-old-space-size=64']);

/**
 * Turns the JSON the benchmarks write (JMH's {@code -rf json} files and {@code MemoryUnderSize}'s outcome list)
 * into the Markdown tables and PNG charts of {@code docs/benchmarks.md}: {@link
 * io.transflux.benchmarks.report.BenchmarkCharts} is the command-line front door, {@link
 * io.transflux.benchmarks.report.EndToEndTable} the table {@code transflux bench} prints.
 */
@NullMarked
package io.transflux.benchmarks.report;

import org.jspecify.annotations.NullMarked;

package dev.converge.pipelines.spec;

/**
 * How a review job cuts files into units of review work.
 *
 * @param lines lines per chunk (default 200)
 * @param overlap lines shared by consecutive chunks, less than {@code lines} (default 20, or a tenth of
 *     {@code lines} when that is less)
 * @param rulesPerCall how many rules one reviewer call checks at most (default 10)
 */
public record ChunkingSpec(Integer lines, Integer overlap, Integer rulesPerCall) {}

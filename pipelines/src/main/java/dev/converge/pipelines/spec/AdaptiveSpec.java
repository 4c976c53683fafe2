package dev.converge.pipelines.spec;

/**
 * Adaptive sampling: a first wave of {@code minSamples} per task, then waves of {@code wave} more
 * until at least {@code agree} samples made the same passing change and it leads the next one by
 * {@code margin}, or {@code maxSamples} are made.
 *
 * @param minSamples samples in the first wave (default 3)
 * @param maxSamples most samples per task (default 9)
 * @param wave samples per later wave (default 1: the fewest calls, the most waves)
 * @param agree candidates that must make the leading change (default 3)
 * @param margin lead over the next change (default 2)
 */
public record AdaptiveSpec(Integer minSamples, Integer maxSamples, Integer wave, Integer agree, Integer margin) {}

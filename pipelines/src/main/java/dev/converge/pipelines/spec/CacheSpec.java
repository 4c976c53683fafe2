package dev.converge.pipelines.spec;

/**
 * The cache of agent answers: content-addressed files that make a re-run of the same spec free.
 *
 * @param dir the cache folder, relative to the spec file (default: {@code cache} in the output
 *     folder; the CLI's {@code --cache} wins)
 * @param mode {@code readwrite} (default: answer from the cache, store new answers), {@code
 *     refresh} (call every agent again and store the answers) or {@code off}
 */
public record CacheSpec(String dir, String mode) {}

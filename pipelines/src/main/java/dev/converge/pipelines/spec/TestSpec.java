package dev.converge.pipelines.spec;

/**
 * The test gate: Converge runs {@code command} with {@code sh -c} in a fresh worktree with the
 * candidate applied; exit code 0 passes.
 *
 * @param command the shell command
 * @param timeoutSeconds the command is killed after this many seconds (default 600)
 * @param sandbox {@code auto} (default): under bubblewrap where it works (no network, only the
 *     checkout and a private /tmp writable); {@code on}: always, or refuse to test; {@code off}
 */
public record TestSpec(String command, Integer timeoutSeconds, String sandbox) {}

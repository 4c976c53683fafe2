package dev.converge.pipelines.spec;

/**
 * How the accepted changes of the tasks of one repository are combined. Changes are merged in
 * task-id order with a 3-way merge and the combination is tested again with the target's test
 * command; this section only says what happens to true conflicts.
 *
 * @param resolver the id of an agent that is asked to resolve a true conflict (it runs in a
 *     checkout whose conflicting files hold git's conflict markers, listed in {@code
 *     CONVERGE_FILES}); its resolution must pass the tests of both tasks. Without one, the later
 *     task ends {@code conflict}. The resolver does not implement tasks unless {@code
 *     implement.agents} names it.
 */
public record MergeSpec(String resolver) {}

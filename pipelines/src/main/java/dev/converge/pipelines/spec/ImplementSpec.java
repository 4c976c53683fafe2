package dev.converge.pipelines.spec;

import java.util.List;

/**
 * Who implements each task, and how many samples they make.
 *
 * @param agents ids of the agents that each implement every task (default: all agents except the
 *     resolver, planner, verifier and repair agents)
 * @param samples how many independent samples each agent makes per task (default 1)
 * @param sampling {@code fixed} (default: {@code samples} per agent) or {@code adaptive} (waves of
 *     samples until the vote is decided, see {@code adaptive})
 * @param adaptive the bounds and stopping rule of adaptive sampling
 * @param cascade ids of agents tried in order, cheapest first: a task goes to the next agent only
 *     when the one before could not get a change through the tests, vote and verifier (instead of
 *     {@code agents})
 */
public record ImplementSpec(
    List<String> agents, Integer samples, String sampling, AdaptiveSpec adaptive, List<String> cascade) {
  public ImplementSpec {
    agents = agents == null ? List.of() : List.copyOf(agents);
    cascade = cascade == null ? List.of() : List.copyOf(cascade);
  }

  public boolean adaptiveSampling() {
    return "adaptive".equals(sampling);
  }
}

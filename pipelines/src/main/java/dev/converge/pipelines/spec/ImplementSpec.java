package dev.converge.pipelines.spec;

import java.util.List;

/**
 * Who implements each task.
 *
 * @param agents ids of the agents that each implement every task (default: all agents)
 * @param samples how many independent samples each agent makes per task (default 1)
 */
public record ImplementSpec(List<String> agents, Integer samples) {
  public ImplementSpec {
    agents = agents == null ? List.of() : List.copyOf(agents);
  }
}

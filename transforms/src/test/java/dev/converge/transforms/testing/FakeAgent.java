package dev.converge.transforms.testing;

import dev.converge.transforms.agent.Agent;
import dev.converge.transforms.agent.CallLimits;

/** The identity and concurrency of an in-test agent, so a fake states only what it does. */
public abstract class FakeAgent implements Agent {
  private final String id;
  private final String kind;
  private final int concurrency;

  protected FakeAgent(String id, String kind, int concurrency) {
    this.id = id;
    this.kind = kind;
    this.concurrency = concurrency;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public CallLimits limits() {
    return CallLimits.DEFAULT.withConcurrency(concurrency);
  }
}
